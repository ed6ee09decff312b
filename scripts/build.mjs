// Bundles the client, the language server and the CLI with esbuild.
// The VS Code extension host and the CLI load CommonJS, so every bundle is CJS for Node 20.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const production = process.argv.includes('--production');
const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  absWorkingDir: root,
};

// The language server is minified in every build, not only the VSIX's: a smaller bundle compiles faster at
// start, and the benchmarks measure what users run. server.js is a small launcher that loads
// server-main.js through V8's code cache when the client gives it a folder (server/src/lsp/launcher.ts).
const bundles = {
  client: [{ entryPoints: ['client/src/extension.ts'], outfile: 'client/out/extension.js', external: ['vscode'] }],
  server: [
    { entryPoints: ['server/src/lsp/entry.ts'], outfile: 'server/out/server-main.js', minify: true },
    { entryPoints: ['server/src/lsp/launcher.ts'], outfile: 'server/out/server.js', minify: true, sourcemap: false },
  ],
  cli: [{ entryPoints: ['server/src/cli/main.ts'], outfile: 'server/out/cli.js' }],
};
// --only=server,cli builds a subset (benchmarks and CLI tests need no client).
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
await Promise.all(Object.entries(bundles)
  .filter(([name]) => !only || only.includes(name))
  .flatMap(([, list]) => list.map((options) => build({ ...common, ...options }))));
