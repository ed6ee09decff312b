/**
 * How a client starts the language server (server/out/server.js): the Node flags and arguments. The VS Code
 * client uses these, and so does the benchmark (bench/lsp-bench.mjs reads launch-options.json), so the
 * figures are those of the server as users run it.
 *
 * execArgv, measured with bench/lsp-bench.mjs (README "Performance"): a young generation of at most 4 MB
 * per semi-space (V8 grows it to 16 MB) and one V8 helper thread (default: one per core) keep the memory of
 * a long-running server 5-20 MB lower and did not slow keystrokes; a very large file's first analysis is
 * slower with them (10,000 lines: ~0.9 -> ~1.3 s).
 */
import options from './launch-options.json';

export const serverExecArgv: readonly string[] = options.execArgv;

/** Arguments after the module path: the folder for V8's code cache (see launcher.ts), when the client has one. */
export function serverArgs(codeCacheDir: string | null): string[] {
  return codeCacheDir ? [`--code-cache-dir=${codeCacheDir}`] : [];
}
