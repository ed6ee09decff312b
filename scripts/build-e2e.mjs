// Bundles the in-editor test suites (client/src/test) into client/out/test for VS Code's extension host:
// index.js (the mocha runner, extensionTestsPath), one <name>.test.js per suite, and runTest.js
// (@vscode/test-electron launcher, for machines with internet). vscode and mocha stay external.
// The extension itself is built by scripts/build.mjs.
import { build } from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const outdir = path.join(root, 'client/out/test');
// Flat output: index.js runs every *.test.js in its own folder.
const entryPoints = { index: 'client/src/test/index.ts', runTest: 'client/src/test/runTest.ts' };
for (const file of readdirSync(path.join(root, 'client/src/test/suite'))) {
  if (file.endsWith('.test.ts')) entryPoints[file.slice(0, -'.ts'.length)] = `client/src/test/suite/${file}`;
}

rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints,
  outdir,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'inline',
  logLevel: 'warning',
  absWorkingDir: root,
  external: ['vscode', 'mocha', '@vscode/test-electron'],
});
