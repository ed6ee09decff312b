// Shell parser benchmark: our parser (server/src/shell) against mvdan-sh, the Go parser compiled to
// JavaScript that the engine used before (kept as a devDependency for the differential test).
//
//   node bench/shell-parse.mjs             load cost, per-RUN parse time, cold parse of a 1,000-line file
//   node bench/shell-parse.mjs --rounds=N  more timing rounds (default 20)
//
// Both converters are bundled with esbuild into a temporary folder, so each child process loads plain
// JavaScript as the language server does. Load time and RSS growth (over a bare node process) are measured
// in fresh processes, median of 5.
// Prints a table; nothing here asserts a time.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateDockerfile } from './generate.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const rounds = Number(process.argv.find((a) => a.startsWith('--rounds='))?.slice('--rounds='.length) ?? 20);
const work = mkdtempSync(path.join(tmpdir(), 'shell-bench-'));

const parsers = {
  ours: { entry: 'server/src/shell/parse.ts', exportName: 'parseShell' },
  'mvdan-sh': { entry: 'test/support/mvdan-shell.ts', exportName: 'parseShellWithMvdan' },
};

/** The shell text of each RUN of a generated Dockerfile, continuations joined. */
function runScripts(dockerfile) {
  const scripts = [];
  const lines = dockerfile.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!/^RUN\s/.test(lines[i])) continue;
    let text = lines[i].replace(/^RUN\s+/, '');
    if (/<<-?["']?EOF/.test(text)) continue; // heredoc bodies: left out to keep the extraction simple
    while (/\\\s*$/.test(text) && i + 1 < lines.length) text = text.replace(/\\\s*$/, ' ') + lines[++i];
    scripts.push(text);
  }
  return scripts;
}

const median = (values) => values.slice().sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function bundle(name, { entry }) {
  const outfile = path.join(work, `${name}.cjs`);
  await build({ entryPoints: [path.join(root, entry)], outfile, bundle: true, platform: 'node', format: 'cjs', target: 'node20', minify: true, logLevel: 'warning' });
  return outfile;
}

/** Runs a child process that loads the bundle and prints JSON figures. */
function child(script) {
  const result = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout);
}

const runs = runScripts(generateDockerfile(1000, 2));
const scriptsFile = path.join(work, 'scripts.json');
writeFileSync(scriptsFile, JSON.stringify(runs));

const sourceSetup = `
const sourceOf = (text) => ({ text, documentOffsets: Array.from({ length: text.length + 1 }, (_, i) => i) });
const toPosition = (offset) => ({ line: 0, character: offset });
const scripts = JSON.parse(require('fs').readFileSync(${JSON.stringify(scriptsFile)}, 'utf8')).map(sourceOf);`;

const rows = [];
for (const [name, spec] of Object.entries(parsers)) {
  const file = await bundle(name, spec);
  const loads = [];
  for (let i = 0; i < 5; i++) {
    loads.push(child(`
      const rss0 = process.memoryUsage().rss; const t0 = process.hrtime.bigint();
      const mod = require(${JSON.stringify(file)});
      const t1 = process.hrtime.bigint();
      const rss1 = process.memoryUsage().rss;
      ${sourceSetup}
      // cold: the first parse of every RUN of a 1,000-line file right after loading (what a first open costs)
      const t2 = process.hrtime.bigint();
      for (const s of scripts) mod.${spec.exportName}(s, toPosition);
      const t3 = process.hrtime.bigint();
      console.log(JSON.stringify({ loadMs: Number(t1 - t0) / 1e6, rssMb: (rss1 - rss0) / 1048576,
        coldRssMb: (process.memoryUsage().rss - rss0) / 1048576, coldMs: Number(t3 - t2) / 1e6 }));`));
  }
  const warm = child(`
    const mod = require(${JSON.stringify(file)});
    ${sourceSetup}
    for (let i = 0; i < 3; i++) for (const s of scripts) mod.${spec.exportName}(s, toPosition);
    const perRun = [];
    for (let r = 0; r < ${rounds}; r++) {
      const t0 = process.hrtime.bigint();
      for (const s of scripts) mod.${spec.exportName}(s, toPosition);
      perRun.push(Number(process.hrtime.bigint() - t0) / 1e3 / scripts.length);
    }
    perRun.sort((a, b) => a - b);
    console.log(JSON.stringify({ usPerRun: perRun[Math.floor(perRun.length / 2)] }));`);
  rows.push({
    parser: name,
    'load ms': median(loads.map((l) => l.loadMs)).toFixed(1),
    'load RSS MB': median(loads.map((l) => l.rssMb)).toFixed(1),
    [`cold parse of ${runs.length} RUNs ms`]: median(loads.map((l) => l.coldMs)).toFixed(1),
    'RSS after it MB': median(loads.map((l) => l.coldRssMb)).toFixed(1),
    'warm µs per RUN': warm.usPerRun.toFixed(1),
  });
}
rmSync(work, { recursive: true, force: true });
const averageLength = Math.round(runs.reduce((sum, r) => sum + r.length, 0) / runs.length);
console.log(`RUN scripts from bench/generate.mjs (1,000 lines, seed 2): ${runs.length}, ${averageLength} characters on average`);
console.table(rows);
