/** A minimal LSP client over a child process's stdio, for tests (and the same calls the editor makes). */
import { spawn, type ChildProcess } from 'node:child_process';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';

export interface PublishedDiagnostics { uri: string; version?: number; diagnostics: any[] }

export class LspClient {
  readonly connection: MessageConnection;
  private readonly published: PublishedDiagnostics[] = [];
  private waiters: { match: (p: PublishedDiagnostics) => boolean; resolve: (p: PublishedDiagnostics) => void }[] = [];
  stderr = '';
  configuration: Record<string, unknown> = {};

  private constructor(readonly process: ChildProcess) {
    this.connection = createMessageConnection(new StreamMessageReader(process.stdout!), new StreamMessageWriter(process.stdin!));
    process.stderr!.on('data', (d) => { this.stderr += d; });
    this.connection.onNotification('textDocument/publishDiagnostics', (p: PublishedDiagnostics) => {
      this.published.push(p);
      this.waiters = this.waiters.filter((w) => (w.match(p) ? (w.resolve(p), false) : true));
    });
    this.connection.onRequest('workspace/configuration', (params: { items: { section?: string }[] }) => params.items.map(() => this.configuration));
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onNotification('window/logMessage', () => undefined);
    this.connection.onNotification('window/showMessage', () => undefined);
    this.connection.listen();
  }

  static async start(command: string, args: string[], capabilities: Record<string, unknown> = { workspace: { configuration: true } }): Promise<LspClient> {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const client = new LspClient(child);
    await client.connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities });
    await client.connection.sendNotification('initialized', {});
    return client;
  }

  diagnostics(uri: string, match: (p: PublishedDiagnostics) => boolean = () => true, timeoutMs = 10000): Promise<PublishedDiagnostics> {
    const existing = [...this.published].reverse().find((p) => p.uri === uri && match(p));
    if (existing) return Promise.resolve(existing);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri} in ${timeoutMs} ms; stderr: ${this.stderr}`)), timeoutMs);
      this.waiters.push({ match: (p) => p.uri === uri && match(p), resolve: (p) => { clearTimeout(timer); resolve(p); } });
    });
  }

  open(uri: string, text: string, version = 1): Promise<void> {
    return this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'dockerfile', version, text } });
  }

  change(uri: string, version: number, changes: unknown[]): Promise<void> {
    return this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
  }

  request<T = any>(method: string, params: unknown): Promise<T> {
    return this.connection.sendRequest(method, params) as Promise<T>;
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      await this.connection.sendNotification('exit');
    } catch { /* already gone */ }
    this.connection.dispose();
    this.process.kill();
  }
}
