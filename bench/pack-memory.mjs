// What loading one Debian data pack costs the language server: load time and the RSS / heap / external
// memory it adds, each release measured in a fresh node process after a full GC, plus the first queries an
// analysis makes (the essential set, a curl closure) and the pack's size as shipped and as the VSIX (a zip)
// stores it. Nothing here asserts a figure: read them against the previous run. On a shared machine the
// CPU time of the load is steadier than its wall time.
//
//   node bench/pack-memory.mjs [--release bookworm]... [--runs 3] [--json]
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateRawSync } from 'node:zlib';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);
const releases = args.flatMap((a, i) => (args[i - 1] === '--release' ? [a] : []));
const runsIndex = args.indexOf('--runs');
const runs = runsIndex >= 0 ? Number(args[runsIndex + 1]) : 3;
const asJson = args.includes('--json');

// The child: measures one load in a process that has loaded nothing else of the engine's data.
const child = `
const { loadDebianIndex, findDataDir } = require(${JSON.stringify(path.join(root, 'server/src/io/data-packs.ts'))});
const release = process.argv.at(-1);
findDataDir();
const settle = () => { for (let i = 0; i < 4; i++) global.gc(); return process.memoryUsage(); };
const before = settle();
const cpu0 = process.cpuUsage();
const t0 = process.hrtime.bigint();
const load = loadDebianIndex(release);
const t1 = process.hrtime.bigint();
const cpu = process.cpuUsage(cpu0);
if (!load.value) { console.log(JSON.stringify({ problem: load.problem })); process.exit(0); }
const loaded = settle();
const index = load.value;
const t2 = process.hrtime.bigint();
const essential = index.essentialPackages();
const t3 = process.hrtime.bigint();
const curl = index.closure(['curl'], { withRecommends: true, installed: essential });
const t4 = process.hrtime.bigint();
const used = settle();
const ms = (a, b) => Number(b - a) / 1e6;
const mb = (x) => x / 1e6;
const delta = (m) => ({ rss: mb(m.rss - before.rss), heapUsed: mb(m.heapUsed - before.heapUsed), external: mb(m.external - before.external) });
console.log(JSON.stringify({
  packages: index.packageCount, loadMs: ms(t0, t1), loadCpuMs: (cpu.user + cpu.system) / 1000, essentialMs: ms(t2, t3), closureMs: ms(t3, t4),
  essentialCount: essential.size, curlCount: curl.packages.length,
  baseRss: mb(before.rss), afterLoad: delta(loaded), afterQueries: delta(used),
}));
`;

const packFiles = readdirSync(path.join(root, 'server/data')).filter((f) => /^debian-[a-z]+-amd64\./.test(f)).sort();
const wanted = releases.length ? releases : [...new Set(packFiles.map((f) => f.split('-')[1]))];
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const report = [];
for (const release of wanted) {
  const samples = [];
  for (let r = 0; r < runs; r++) {
    const out = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', '-e', child, release], { cwd: root, encoding: 'utf8' });
    if (out.status !== 0) throw new Error(`child failed for ${release}: ${out.stderr}`);
    samples.push(JSON.parse(out.stdout.trim().split('\n').at(-1)));
  }
  if (samples[0].problem) { report.push({ release, problem: samples[0].problem }); continue; }
  const files = packFiles.filter((f) => f.startsWith(`debian-${release}-`)).map((f) => {
    const bytes = readFileSync(path.join(root, 'server/data', f));
    // vsce zips the VSIX with deflate; level 9 is close to what it stores.
    return { file: f, bytes: statSync(path.join(root, 'server/data', f)).size, zipped: deflateRawSync(bytes, { level: 9 }).length };
  });
  const pick = (get) => Math.round(median(samples.map(get)) * 10) / 10;
  report.push({
    release, runs, files, packages: samples[0].packages,
    loadMs: pick((s) => s.loadMs), loadCpuMs: pick((s) => s.loadCpuMs), essentialMs: pick((s) => s.essentialMs), closureMs: pick((s) => s.closureMs),
    rssAfterLoadMB: pick((s) => s.afterLoad.rss), heapAfterLoadMB: pick((s) => s.afterLoad.heapUsed), externalAfterLoadMB: pick((s) => s.afterLoad.external),
    rssAfterQueriesMB: pick((s) => s.afterQueries.rss), heapAfterQueriesMB: pick((s) => s.afterQueries.heapUsed),
    baseRssMB: pick((s) => s.baseRss),
  });
}

if (asJson) {
  console.log(JSON.stringify(report, null, 2));
} else {
  for (const r of report) {
    if (r.problem) { console.log(`${r.release}: ${r.problem}`); continue; }
    console.log(`${r.release} (${r.packages} packages, median of ${r.runs} fresh processes; base RSS ${r.baseRssMB} MB)`);
    for (const f of r.files) console.log(`  ${f.file}: ${(f.bytes / 1e6).toFixed(2)} MB on disk, ${(f.zipped / 1e6).toFixed(2)} MB deflated (as in the VSIX)`);
    console.log(`  load ${r.loadMs} ms (${r.loadCpuMs} ms CPU): +${r.rssAfterLoadMB} MB RSS, +${r.heapAfterLoadMB} MB heap, +${r.externalAfterLoadMB} MB external`);
    console.log(`  essential set ${r.essentialMs} ms, curl closure ${r.closureMs} ms: +${r.rssAfterQueriesMB} MB RSS, +${r.heapAfterQueriesMB} MB heap in all`);
  }
}
