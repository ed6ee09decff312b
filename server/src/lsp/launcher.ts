/**
 * Entry of server/out/server.js: runs the bundled language server (server/out/server-main.js), through
 * V8's code cache when the client names a folder for it (`--code-cache-dir=<folder>`; the VS Code client
 * passes its global storage). A start then skips compiling the bundle and the functions the first
 * analysis ran, about a fifth of the CPU time to the first diagnostics. Without the option, or when
 * anything about the cache fails, the bundle is simply loaded.
 *
 * The cache file is named by a hash of the bundle, the Node version, the architecture and the V8 flags,
 * so a new build or another Node never reads an old one (V8 itself only checks the source length). It
 * is written once, a few seconds after a start that had none, atomically (rename), from a folder only
 * this user may write.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import { Script } from 'node:vm';

/** Long enough for the first analysis to have run, so its functions are in the cache (tests shorten it). */
const writeDelayMs = Number(process.env.DOCKERFILE_LEAN_CODE_CACHE_DELAY_MS) || 3000;

export function launch(bundle: string, argv: readonly string[]): void {
  const load = () => createRequire(bundle)(bundle);
  const option = argv.find((a) => a.startsWith('--code-cache-dir='));
  const folder = option ? option.slice('--code-cache-dir='.length) : '';
  if (!folder) {
    load();
    return;
  }
  let source: string;
  try {
    source = readFileSync(bundle, 'utf8');
  } catch {
    load();
    return;
  }
  const key = createHash('sha256').update(source).update(`\0${process.version}\0${process.arch}\0${process.execArgv.join(' ')}`).digest('hex').slice(0, 40);
  const cacheFile = path.join(folder, `server-${key}.v8cache`);
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  let script: Script;
  try {
    script = new Script(Module.wrap(source), { filename: bundle, cachedData });
  } catch {
    load();
    return;
  }
  const bundleModule = new Module(bundle, module);
  bundleModule.filename = bundle;
  bundleModule.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(path.dirname(bundle));
  const wrapper = script.runInThisContext() as (exports: unknown, require: NodeRequire, module: Module, filename: string, dirname: string) => void;
  wrapper.call(bundleModule.exports, bundleModule.exports, createRequire(bundle), bundleModule, bundle, path.dirname(bundle));
  if (cachedData && !script.cachedDataRejected) return;
  setTimeout(() => {
    try {
      mkdirSync(folder, { recursive: true, mode: 0o700 });
      const partial = `${cacheFile}.${process.pid}`;
      writeFileSync(partial, script.createCachedData(), { mode: 0o600 });
      renameSync(partial, cacheFile);
      // Caches of earlier builds are never read again.
      for (const name of readdirSync(folder)) {
        if (name.startsWith('server-') && name.endsWith('.v8cache') && name !== path.basename(cacheFile)) unlinkSync(path.join(folder, name));
      }
    } catch {
      // A read-only or missing folder only means no cache next time.
    }
  }, writeDelayMs).unref();
}

launch(path.join(__dirname, 'server-main.js'), process.argv);
