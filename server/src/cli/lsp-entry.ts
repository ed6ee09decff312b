import { runLanguageServer } from '../lsp/main';

/** `dockerfile-lean lsp --stdio`: the extension's language server, for any LSP client. */
export function startLanguageServer(): void {
  const argv = process.argv.slice(3);
  if (!argv.some((a) => a === '--stdio' || a === '--node-ipc' || a.startsWith('--socket=') || a.startsWith('--pipe='))) {
    process.stderr.write('dockerfile-lean lsp: choose a transport: --stdio (or --node-ipc, --socket=PORT, --pipe=NAME)\n');
    process.exitCode = 2;
    return;
  }
  runLanguageServer();
}
