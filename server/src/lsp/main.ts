/**
 * Entry point of the bundled server (server/out/server.js). The connection picks its transport from the
 * command line: `--node-ipc` when VS Code starts it, `--stdio` for other editors and benchmarks.
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server';
import { fileSystemEnvironment } from '../io/environment';

export function main(): void {
  const connection = createConnection(ProposedFeatures.all);
  // A bug must never take the editor's server down: log and keep serving.
  process.on('uncaughtException', (error) => connection.console.error(`uncaught: ${error.stack ?? error.message}`));
  process.on('unhandledRejection', (reason) => connection.console.error(`unhandled rejection: ${String(reason)}`));
  startServer(connection, { environmentFor: fileSystemEnvironment() });
}

main();
