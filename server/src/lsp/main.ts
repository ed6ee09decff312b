/**
 * Entry point of the bundled server (server/out/server.js). The connection picks its transport from the
 * command line: `--node-ipc` when VS Code starts it, `--stdio` for other editors and benchmarks.
 */
import { createConnection, ProposedFeatures, type Connection } from 'vscode-languageserver/node';
import { startServer } from './server';
import { fileSystemHooks } from './fs-hooks';

export function runLanguageServer(): Connection {
  const connection = createConnection(ProposedFeatures.all);
  // A bug must never take the editor's server down: log and keep serving.
  process.on('uncaughtException', (error) => connection.console.error(`uncaught: ${error.stack ?? error.message}`));
  process.on('unhandledRejection', (reason) => connection.console.error(`unhandled rejection: ${String(reason)}`));
  startServer(connection, fileSystemHooks());
  return connection;
}
