/** Entry point of the bundled CLI (server/out/cli.js, launched by bin/dockerfile-lean.js). */
import { run } from './run';
import { startLanguageServer } from './lsp-entry';

function main(): void {
  const argv = process.argv.slice(2);
  if (argv[0] === 'lsp') {
    // The same language server as the extension's, over stdio (or --node-ipc / --socket) for other editors.
    startLanguageServer();
    return;
  }
  let code: number;
  try {
    code = run(argv);
  } catch (error) {
    process.stderr.write(`dockerfile-lean: unexpected error: ${error instanceof Error ? error.stack : String(error)}\n`);
    code = 2;
  }
  // Let stdout drain before exiting (large JSON piped to another process).
  process.exitCode = code;
}

main();
