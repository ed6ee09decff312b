/**
 * How a client starts the language server (server/out/server.js): the Node flags and arguments. The VS Code
 * client uses these, and so does the benchmark (bench/lsp-bench.mjs reads launch-options.json), so the
 * figures are those of the server as users run it.
 *
 * execArgv: a young generation of at most 2 MB per semi-space (V8 grows it to 16 MB by default) keeps the
 * memory of a long-running server down (README "Performance" has the measurements).
 */
import options from './launch-options.json';

export const serverExecArgv: readonly string[] = options.execArgv;

/** Arguments after the module path: the folder for V8's code cache (see launcher.ts), when the client has one. */
export function serverArgs(codeCacheDir: string | null): string[] {
  return codeCacheDir ? [`--code-cache-dir=${codeCacheDir}`] : [];
}
