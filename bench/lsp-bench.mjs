// Language-server benchmark: our server against dockerfile-language-server-nodejs (the peer), measured in
// the same run on the same generated Dockerfiles, plus the CLI over a folder of Dockerfiles and the VSIX size.
//
//   npm run bench                       build, then run everything (a few minutes)
//   node bench/lsp-bench.mjs --quick    fewer edits and sizes, for a smoke run
//   node bench/lsp-bench.mjs --sizes=10000   only these document sizes (lines)
//   --servers=ours                      only these servers (ours, peer)
//   --no-cli                            skip the CLI measurement
//
// Only a full run (every size, both servers, the CLI, not --quick) replaces bench/results/latest.json; a
// partial run writes bench/results/partial.json, so a quick look never overwrites the published figures.
//
// Figures are printed as a table and written to bench/results/latest.json. Nothing here asserts a time:
// the numbers are read against the peer's, measured on the same machine a moment apart.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import jsonrpc from 'vscode-jsonrpc/node';
import { generateDockerfile, seededRandom } from './generate.mjs';

const { createMessageConnection, StreamMessageReader, StreamMessageWriter } = jsonrpc;

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const quick = process.argv.includes('--quick');
const sizesArgument = process.argv.find((a) => a.startsWith('--sizes='));
const sizes = sizesArgument ? sizesArgument.slice('--sizes='.length).split(',').map(Number) : quick ? [100, 1000] : [100, 1000, 10000];
// Each edit is an insertion and its undo: 2 measured changes. Small files get more, so the p95 is not
// just the second-worst sample; on 10,000 lines the peer needs ~0.3 s per change.
const editsFor = (lines) => (quick ? 10 : lines > 5000 ? 24 : 60);
const requestCount = quick ? 10 : 20;
const serversArgument = process.argv.find((a) => a.startsWith('--servers='));
const serverNames = serversArgument ? serversArgument.slice('--servers='.length).split(',') : ['ours', 'peer'];
const withCli = !process.argv.includes('--no-cli');
const fullRun = !quick && !sizesArgument && !serversArgument && withCli;

// Ours is started as the VS Code client starts it (client/src/extension.ts): the same Node flags and the
// same code-cache argument (server/src/lsp/launch-options.*), over stdio instead of VS Code's IPC, like the
// peer. The code cache lives in a fresh folder per run; one unmeasured start fills it first (as any start
// after the first in VS Code), and that first, cold start is reported on its own.
const launch = JSON.parse(readFileSync(path.join(root, 'server/src/lsp/launch-options.json'), 'utf8'));
const codeCacheDir = mkdtempSync(path.join(tmpdir(), 'lean-bench-code-cache-'));
const servers = {
  ours: {
    label: 'dockerfile-lean',
    args: [...launch.execArgv, path.join(root, 'server/out/server.js'), '--stdio', `--code-cache-dir=${codeCacheDir}`],
    module: path.join(root, 'server/out/server.js'),
  },
  peer: {
    label: 'dockerfile-language-server-nodejs@0.15.0',
    args: [path.join(root, 'node_modules/dockerfile-language-server-nodejs/bin/docker-langserver'), '--stdio'],
    module: path.join(root, 'node_modules/dockerfile-language-server-nodejs/bin/docker-langserver'),
  },
};

// ---------------------------------------------------------------------------------------------------------
// A minimal LSP client that records when each notification arrived.

class Client {
  constructor(name) {
    this.name = name;
    this.published = [];
    this.waiters = [];
    this.stderr = '';
  }

  static async start(name) {
    const client = new Client(name);
    const startedAt = performance.now();
    client.child = spawn(process.execPath, servers[name].args, { stdio: ['pipe', 'pipe', 'pipe'], cwd: root });
    client.child.stderr.on('data', (d) => { client.stderr += d; });
    const connection = createMessageConnection(new StreamMessageReader(client.child.stdout), new StreamMessageWriter(client.child.stdin));
    client.connection = connection;
    connection.onNotification('textDocument/publishDiagnostics', (p) => {
      const entry = { ...p, at: performance.now() };
      client.published.push(entry);
      client.waiters = client.waiters.filter((w) => (w.match(entry) ? (w.resolve(entry), false) : true));
    });
    // Both servers pull settings; each gets its defaults (ours: {}, the peer: null means "use defaults").
    connection.onRequest('workspace/configuration', (params) => params.items.map((i) => (i.section === 'dockerfileLean' ? {} : null)));
    connection.onRequest('client/registerCapability', () => null);
    connection.onNotification('window/logMessage', () => undefined);
    connection.onNotification('window/showMessage', () => undefined);
    connection.listen();
    await connection.sendRequest('initialize', {
      processId: process.pid, rootUri: null,
      capabilities: { workspace: { configuration: true }, textDocument: { publishDiagnostics: { versionSupport: true }, codeAction: {}, hover: {} } },
    });
    client.initializeMs = performance.now() - startedAt;
    client.startedAt = startedAt;
    await connection.sendNotification('initialized', {});
    return client;
  }

  /** The next publish for `uri` after `count` publishes for it were seen (the peer sends no versions). */
  nextPublish(uri, count, version, timeoutMs = 60000) {
    const forUri = this.published.filter((p) => p.uri === uri);
    const match = (p) => p.uri === uri && (p.version === undefined || version === undefined || p.version === version);
    const already = forUri.slice(count).find(match);
    if (already) return Promise.resolve(already);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.name}: no diagnostics for ${uri} within ${timeoutMs} ms\n${this.stderr}`)), timeoutMs);
      this.waiters.push({ match, resolve: (p) => { clearTimeout(timer); resolve(p); } });
    });
  }

  publishCount(uri) { return this.published.filter((p) => p.uri === uri).length; }

  memory() {
    const status = readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
    const kb = (field) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMB: kb('VmRSS') / 1024, peakMB: kb('VmHWM') / 1024 };
  }

  async stop() {
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      await this.connection.sendNotification('exit');
    } catch { /* gone already */ }
    this.connection.dispose();
    this.child.kill();
  }
}

// ---------------------------------------------------------------------------------------------------------
// One server, one document size.

function median(values) { return percentile(values, 50); }
function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Lines and columns for the edits: varied, reproducible, never past the end of a line. */
function editPlan(text, count, seed) {
  const random = seededRandom(seed);
  const lines = text.split('\n');
  const plan = [];
  while (plan.length < count) {
    const line = Math.floor(random() * lines.length);
    if (lines[line].trim().length < 2) continue;
    plan.push({ line, character: 1 + Math.floor(random() * (lines[line].length - 1)) });
  }
  return plan;
}

/** Positions to hover: keywords and words on varied instruction lines. */
function requestPlan(text, count, seed) {
  const random = seededRandom(seed);
  const lines = text.split('\n');
  const candidates = lines.map((l, i) => [l, i]).filter(([l]) => /^(FROM|RUN|COPY|ENV|WORKDIR|LABEL) /.test(l)).map(([, i]) => i);
  return Array.from({ length: count }, () => {
    const line = candidates[Math.floor(random() * candidates.length)];
    return { line, character: 1 + Math.floor(random() * Math.min(8, lines[line].length - 1)) };
  });
}

async function measure(name, lineCount) {
  const text = generateDockerfile(lineCount, 42);
  const uri = pathToFileURL(path.join(tmpdir(), `lean-bench-${lineCount}`, 'Dockerfile')).href;
  const client = await Client.start(name);
  const result = { server: name, lines: text.split('\n').length, initializeMs: client.initializeMs };

  const openedAt = performance.now();
  await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'dockerfile', version: 1, text } });
  const first = await client.nextPublish(uri, 0, 1);
  result.openToDiagnosticsMs = first.at - openedAt;
  result.startToDiagnosticsMs = first.at - client.startedAt;
  result.diagnosticsOnOpen = first.diagnostics.length;
  await sleep(300);
  result.idleRssMB = client.memory().rssMB;

  // Single-character edits, each sent as the editor does (incremental range change) and timed until the
  // diagnostics for that version arrive. Each insertion is followed by its undo, so edits do not pile up.
  const editTimes = [];
  let version = 1;
  let lastDiagnostics = first.diagnostics;
  for (const at of editPlan(text, editsFor(lineCount), 7 + lineCount)) {
    for (const change of [
      { range: { start: at, end: at }, text: 'x' },
      { range: { start: at, end: { line: at.line, character: at.character + 1 } }, text: '' },
    ]) {
      version++;
      const before = client.publishCount(uri);
      const sentAt = performance.now();
      await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [change] });
      const published = await client.nextPublish(uri, before, version);
      editTimes.push(published.at - sentAt);
      lastDiagnostics = published.diagnostics;
    }
  }
  result.editMedianMs = median(editTimes);
  result.editP95Ms = percentile(editTimes, 95);
  result.editCount = editTimes.length;

  const hoverTimes = [];
  const actionTimes = [];
  for (const position of requestPlan(text, requestCount, 11 + lineCount)) {
    let t = performance.now();
    await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position });
    hoverTimes.push(performance.now() - t);
    const range = { start: { line: position.line, character: 0 }, end: { line: position.line, character: 1 } };
    const diagnostics = lastDiagnostics.filter((d) => d.range.start.line <= position.line && d.range.end.line >= position.line);
    t = performance.now();
    await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics } });
    actionTimes.push(performance.now() - t);
  }
  result.hoverMedianMs = median(hoverTimes);
  result.codeActionMedianMs = median(actionTimes);
  result.peakRssMB = client.memory().peakMB;
  // Growth check: cost per 1,000 lines of one edit. Flat or falling with size means linear or better.
  result.editMsPer1000Lines = result.editMedianMs / (result.lines / 1000);
  await client.stop();
  return result;
}

// ---------------------------------------------------------------------------------------------------------
// CLI over a folder of Dockerfiles, and the VSIX.

function measureCli() {
  const dir = path.join(tmpdir(), 'lean-bench-cli');
  rmSync(dir, { recursive: true, force: true });
  const random = seededRandom(200);
  let totalLines = 0;
  for (let i = 0; i < 200; i++) {
    const sub = path.join(dir, `service-${String(i).padStart(3, '0')}`);
    mkdirSync(sub, { recursive: true });
    const text = generateDockerfile(30 + Math.floor(random() * 150), 1000 + i);
    totalLines += text.split('\n').length;
    writeFileSync(path.join(sub, 'Dockerfile'), text);
  }
  const cli = path.join(root, 'bin/dockerfile-lean.js');
  const times = [];
  let findings = 0;
  for (let run = 0; run < 3; run++) {
    const t = performance.now();
    const out = spawnSync(process.execPath, [cli, '--format', 'json', dir], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    times.push(performance.now() - t);
    if (out.status !== 0 && out.status !== 1) throw new Error(`CLI failed (${out.status}): ${out.stderr}`);
    const parsed = JSON.parse(out.stdout);
    const files = Array.isArray(parsed) ? parsed : parsed.files ?? [];
    findings = files.reduce((n, f) => n + (f.diagnostics?.length ?? 0), 0);
  }
  rmSync(dir, { recursive: true, force: true });
  return { files: 200, totalLines, wallMedianMs: median(times), wallRunsMs: times, findings, peer: 'none: hadolint is not installed here, so there is no CLI peer' };
}

function vsixSize() {
  const vsix = readdirSync(root).filter((f) => f.endsWith('.vsix'));
  if (vsix.length === 0) return { file: null, note: 'no *.vsix in the repository root: build one with `npm run package`, then re-run' };
  return { file: vsix[0], bytes: statSync(path.join(root, vsix[0])).size };
}

// ---------------------------------------------------------------------------------------------------------

const fmt = (v, digits = 1) => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(digits) : v === undefined ? '–' : String(v));
const ratio = (a, b) => (b > 0 ? `${(a / b).toFixed(2)}×` : 'n/a');

/** Our first start with an empty code-cache folder: its figures, then it stays up until the cache is written. */
async function firstStart() {
  const text = generateDockerfile(100, 42);
  const uri = pathToFileURL(path.join(tmpdir(), 'lean-bench-first', 'Dockerfile')).href;
  const client = await Client.start('ours');
  const openedAt = performance.now();
  await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'dockerfile', version: 1, text } });
  const first = await client.nextPublish(uri, 0, 1);
  const result = { lines: text.split('\n').length, initializeMs: client.initializeMs, openToDiagnosticsMs: first.at - openedAt, startToDiagnosticsMs: first.at - client.startedAt };
  // The launcher writes the cache a few seconds after a start that found none (server/src/lsp/launcher.ts).
  for (let waited = 0; waited < 10000 && readdirSync(codeCacheDir).length === 0; waited += 250) await sleep(250);
  await client.stop();
  result.codeCacheWritten = readdirSync(codeCacheDir).some((f) => f.endsWith('.v8cache'));
  return result;
}

async function main() {
  for (const name of serverNames) if (!existsSync(servers[name].module)) throw new Error(`missing ${servers[name].module} (run npm run build)`);
  let coldStart = null;
  if (serverNames.includes('ours')) {
    process.stderr.write('first start of ours (empty code cache; fills it)…\n');
    coldStart = await firstStart();
  }
  const results = [];
  for (const [round, lines] of sizes.entries()) {
    // Alternate which server goes first, so warm disk caches and CPU noise do not favour one side.
    const order = (round % 2 === 0 ? ['ours', 'peer'] : ['peer', 'ours']).filter((name) => serverNames.includes(name));
    const pair = {};
    for (const name of order) {
      process.stderr.write(`measuring ${name} on ${lines} lines…\n`);
      pair[name] = await measure(name, lines);
    }
    results.push(...order.map((name) => pair[name]));
  }
  let cli = null;
  if (withCli) {
    process.stderr.write('measuring the CLI…\n');
    cli = measureCli();
  }
  const vsix = vsixSize();

  const rows = [
    ['start → initialize result (ms)', 'initializeMs'],
    ['start → first diagnostics (ms)', 'startToDiagnosticsMs'],
    ['open → first diagnostics (ms)', 'openToDiagnosticsMs'],
    ['edit → diagnostics, median (ms)', 'editMedianMs'],
    ['edit → diagnostics, p95 (ms)', 'editP95Ms'],
    ['edit median per 1,000 lines (ms)', 'editMsPer1000Lines'],
    ['hover, median (ms)', 'hoverMedianMs'],
    ['code action, median (ms)', 'codeActionMedianMs'],
    ['idle RSS after open (MB)', 'idleRssMB'],
    ['peak RSS, VmHWM (MB)', 'peakRssMB'],
  ];
  const table = [];
  table.push(`| metric | lines | ours | peer | ours/peer |`, '|---|---:|---:|---:|---:|');
  for (const [label, key] of rows) {
    for (const lines of sizes) {
      const near = (name) => results.find((r) => r.server === name && Math.abs(r.lines - lines) < lines * 0.2 + 20) ?? { lines };
      const ours = near('ours');
      const peer = near('peer');
      table.push(`| ${label} | ${ours.lines} | ${fmt(ours[key])} | ${fmt(peer[key])} | ${ratio(ours[key], peer[key])} |`);
    }
  }
  const summary = [
    `Dockerfile Lean benchmark — ${new Date().toISOString()} — node ${process.version}, ${process.platform}/${process.arch}`,
    `ours: ${servers.ours.label}; peer: ${servers.peer.label}; ${sizes.map((n) => `${editsFor(n) * 2}`).join('/')} single-character changes (insert + undo) per size, ${requestCount} hovers and code actions`,
    `ours started as the VS Code client starts it: node ${launch.execArgv.join(' ')} server/out/server.js --code-cache-dir=<folder> (stdio here, IPC in VS Code), with the code cache a first start wrote${coldStart ? `; that first start (empty cache, ${coldStart.lines} lines): initialize ${fmt(coldStart.initializeMs)} ms, first diagnostics ${fmt(coldStart.startToDiagnosticsMs)} ms after start${coldStart.codeCacheWritten ? '' : ' (it wrote no cache!)'}` : ''}`,
    '',
    ...table,
    '',
    cli ? `CLI: ${cli.files} Dockerfiles (${cli.totalLines} lines), wall time median ${fmt(cli.wallMedianMs, 0)} ms over 3 runs (${cli.wallRunsMs.map((t) => fmt(t, 0)).join(', ')}), ${cli.findings} diagnostics; peer: ${cli.peer}.` : 'CLI: not measured (--no-cli).',
    vsix.file ? `VSIX: ${vsix.file} ${fmt(vsix.bytes / 1024, 0)} KB` : `VSIX: ${vsix.note}.`,
  ].join('\n');
  process.stdout.write(summary + '\n');
  // Which code was measured: the commit, and whether the working tree differed from it.
  const git = (...args) => spawnSync('git', args, { cwd: root, encoding: 'utf8' }).stdout?.trim() ?? '';
  const commit = git('rev-parse', '--short', 'HEAD');
  const dirty = git('status', '--porcelain', '--untracked-files=no', '--', 'server/src') !== '';
  process.stdout.write(`measured: ${commit}${dirty ? ' plus uncommitted changes in server/src' : ''}\n`);
  const outDir = path.join(root, 'bench/results');
  mkdirSync(outDir, { recursive: true });
  const outFile = path.join(outDir, fullRun ? 'latest.json' : 'partial.json');
  process.stdout.write(`written to ${path.relative(root, outFile)}\n`);
  writeFileSync(outFile, JSON.stringify({
    date: new Date().toISOString(), commit, dirty, node: process.version, quick, servers: Object.fromEntries(Object.entries(servers).map(([k, v]) => [k, v.label])),
    launch: { execArgv: launch.execArgv, codeCache: true }, coldStart,
    editChanges: Object.fromEntries(sizes.map((n) => [n, editsFor(n) * 2])), requests: requestCount, results, cli, vsix,
  }, null, 2) + '\n');
}

main()
  .catch((error) => { process.stderr.write(`${error.stack ?? error}\n`); process.exitCode = 1; })
  .finally(() => rmSync(codeCacheDir, { recursive: true, force: true }));
