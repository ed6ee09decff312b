/**
 * The VS Code client: it starts the bundled language server (server/out/server.js) over IPC and hosts
 * what only an editor can show (commands, the status bar item, the breakdown document). It does no
 * analysis: every figure it shows comes from the server.
 */
import * as vscode from 'vscode';
import {
  LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions,
} from 'vscode-languageclient/node';
import { breakdownMarkdown, formatBytes, type ImageSummary } from './breakdown';
import { serverArgs, serverExecArgv } from '../../server/src/lsp/launch-options';

export const clientId = 'dockerfileLean';
const breakdownScheme = 'dockerfile-lean-breakdown';

let client: LanguageClient | undefined;

/** What the in-editor tests (and other extensions) may use. */
export interface DockerfileLeanApi {
  /** Resolves when the language server has started (after a restart: the new one). */
  ready(): Promise<void>;
  /** The image estimate of an open Dockerfile, as the server computes it. */
  imageSummary(uri: vscode.Uri): Promise<ImageSummary | null>;
}

export async function activate(context: vscode.ExtensionContext): Promise<DockerfileLeanApi> {
  const output = vscode.window.createOutputChannel('Dockerfile Lean', { log: true });
  context.subscriptions.push(output);

  const serverModule = context.asAbsolutePath('server/out/server.js');
  // The server keeps V8's code cache in the extension's global storage (faster starts after the first).
  const run = {
    module: serverModule, transport: TransportKind.ipc,
    args: serverArgs(context.globalStorageUri.fsPath), options: { execArgv: [...serverExecArgv] },
  };
  const serverOptions: ServerOptions = { run, debug: run };

  const createClient = () => {
    const clientOptions: LanguageClientOptions = {
      documentSelector: [
        { scheme: 'file', language: 'dockerfile' },
        { scheme: 'untitled', language: 'dockerfile' },
      ],
      synchronize: { configurationSection: 'dockerfileLean' },
      outputChannel: output,
      // In an untrusted workspace the server reads nothing outside the open file (no build context, no data files).
      initializationOptions: { workspaceTrusted: vscode.workspace.isTrusted },
    };
    return new LanguageClient(clientId, 'Dockerfile Lean', serverOptions, clientOptions);
  };

  let starting: Promise<void> = Promise.resolve();
  const start = () => {
    client = createClient();
    starting = client.start().catch((error) => {
      output.error(`the language server did not start: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
      void vscode.window.showErrorMessage('Dockerfile Lean: the language server did not start. See the "Dockerfile Lean" output for details.');
    });
    return starting;
  };
  const restart = async () => {
    const old = client;
    client = undefined;
    if (old) {
      try { await old.stop(); } catch (error) { output.warn(`stopping the server failed: ${String(error)}`); }
      await old.dispose().catch(() => undefined);
    }
    await start();
    statusBar.refreshSoon();
  };

  const imageSummary = async (uri: vscode.Uri): Promise<ImageSummary | null> => {
    await starting;
    if (!client || !client.isRunning()) return null;
    return client.sendRequest<ImageSummary | null>('dockerfileLean/imageSummary', { uri: client.code2ProtocolConverter.asUri(uri) });
  };

  const statusBar = new ImageSizeStatus(imageSummary);
  context.subscriptions.push(statusBar);

  // The breakdown is a read-only Markdown document built from the server's image summary.
  const breakdowns = new BreakdownDocuments(imageSummary);
  context.subscriptions.push(vscode.workspace.registerTextDocumentContentProvider(breakdownScheme, breakdowns), breakdowns);

  context.subscriptions.push(
    vscode.commands.registerCommand('dockerfileLean.restartServer', restart),
    vscode.commands.registerCommand('dockerfileLean.showBreakdown', async (target?: vscode.Uri) => {
      const source = target instanceof vscode.Uri ? target : vscode.window.activeTextEditor?.document.uri;
      const document = source && vscode.workspace.textDocuments.find((d) => d.uri.toString() === source.toString());
      if (!source || !document || document.languageId !== 'dockerfile') {
        void vscode.window.showInformationMessage('Dockerfile Lean: open a Dockerfile to see its image breakdown.');
        return undefined;
      }
      const uri = breakdowns.uriFor(source);
      breakdowns.refresh(uri);
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.languages.setTextDocumentLanguage(doc, 'markdown');
      return vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true, preserveFocus: true });
    }),
    // Trust granted later: restart, so the server may now read the build context and data files.
    vscode.workspace.onDidGrantWorkspaceTrust(() => { void restart(); }),
  );

  await start();
  statusBar.refreshSoon();
  return { ready: () => starting, imageSummary };
}

export function deactivate(): Thenable<void> | undefined {
  if (!client) return undefined;
  return client.stop();
}

/** "$(package) ~87 MB" for the active Dockerfile; refreshed when its diagnostics (i.e. its analysis) change. */
class ImageSizeStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('dockerfileLean.imageSize', vscode.StatusBarAlignment.Right, 100);
  private readonly disposables: vscode.Disposable[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private generation = 0;

  constructor(private readonly summary: (uri: vscode.Uri) => Promise<ImageSummary | null>) {
    this.item.name = 'Dockerfile Lean: image size';
    this.item.command = 'dockerfileLean.showBreakdown';
    this.disposables.push(
      vscode.window.onDidChangeActiveTextEditor(() => this.refreshSoon()),
      vscode.languages.onDidChangeDiagnostics((e) => {
        const active = vscode.window.activeTextEditor?.document.uri.toString();
        if (active && e.uris.some((u) => u.toString() === active)) this.refreshSoon();
      }),
      vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration('dockerfileLean')) this.refreshSoon(); }),
    );
  }

  refreshSoon(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => { this.timer = undefined; void this.refresh(); }, 150);
  }

  private async refresh(): Promise<void> {
    const generation = ++this.generation;
    const document = vscode.window.activeTextEditor?.document;
    const config = vscode.workspace.getConfiguration('dockerfileLean', document?.uri);
    if (!document || document.languageId !== 'dockerfile' || !config.get<boolean>('statusBar.enabled', true) || !config.get<boolean>('enable', true)) {
      this.item.hide();
      return;
    }
    let summary: ImageSummary | null = null;
    try { summary = await this.summary(document.uri); } catch { summary = null; }
    if (generation !== this.generation) return;
    if (!summary) { this.item.hide(); return; }
    const size = summary.estimatedBytes === null ? 'size unknown' : `~${formatBytes(summary.estimatedBytes)}`;
    this.item.text = `$(package) ${size}`;
    this.item.tooltip = `Dockerfile Lean: estimated image size${summary.confidence ? ` (${summary.confidence} confidence)` : ''}. Click for the breakdown.`;
    this.item.show();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.item.dispose();
    this.disposables.forEach((d) => d.dispose());
  }
}

/** Virtual documents `dockerfile-lean-breakdown:<path>.md?<source uri>` rendering the server's image summary. */
class BreakdownDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly open = new Map<string, vscode.Uri>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly summary: (uri: vscode.Uri) => Promise<ImageSummary | null>) {
    this.disposables.push(vscode.workspace.onDidChangeTextDocument((e) => {
      const view = this.open.get(e.document.uri.toString());
      if (view) this.refresh(view);
    }));
  }

  uriFor(source: vscode.Uri): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: breakdownScheme, path: `${source.path} (image breakdown).md`, query: source.toString() });
    this.open.set(source.toString(), uri);
    return uri;
  }

  refresh(uri: vscode.Uri): void { this.changed.fire(uri); }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const source = vscode.Uri.parse(uri.query);
    const summary = await this.summary(source).catch(() => null);
    return breakdownMarkdown(source, summary);
  }

  dispose(): void {
    this.changed.dispose();
    this.disposables.forEach((d) => d.dispose());
  }
}
