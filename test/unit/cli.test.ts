import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensureBuilt } from '../support/built';

let cliPath = '';
before(() => { cliPath = ensureBuilt().cli; });

const cli = (args: string[], cwd?: string) => spawnSync(process.execPath, [cliPath, ...args], { encoding: 'utf8', cwd });

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'lean-cli-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const dirty = 'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl\nUSER nobody\n';
const clean = 'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\nUSER nobody\n';

test('exit 0 when clean, 1 when a warning remains, 2 on usage and I/O errors', () => {
  const dir = workspace({ 'clean/Dockerfile': clean, 'dirty/Dockerfile': dirty });
  assert.equal(cli([path.join(dir, 'clean/Dockerfile')]).status, 0);
  assert.equal(cli([path.join(dir, 'dirty/Dockerfile')]).status, 1);
  const missing = cli([path.join(dir, 'nope/Dockerfile')]);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /no such file or directory/);
  const usage = cli(['--format', 'xml', dir]);
  assert.equal(usage.status, 2);
  assert.match(usage.stderr, /--format must be text, json or sarif/);
  assert.equal(cli([]).status, 2);
  assert.equal(cli(['--rule', 'no-such-rule=off', dir]).status, 2);
});

test('--rule turns a rule off or changes its severity', () => {
  const dir = workspace({ Dockerfile: dirty });
  const off = cli(['--rule', 'apt-lists-not-cleaned=off', '--rule', 'apt-no-install-recommends=info', '--format', 'json', dir]);
  assert.equal(off.status, 0);
  const diagnostics = JSON.parse(off.stdout).files[0].diagnostics;
  assert.deepEqual(diagnostics.map((d: any) => [d.rule, d.severity]), [['apt-no-install-recommends', 'info']]);
});

test('--format json has the documented shape (0-based lines, one entry per file)', () => {
  const dir = workspace({ 'a/Dockerfile': dirty, 'b/Containerfile': clean, 'c/api.Dockerfile': clean, 'd/Dockerfile.prod': clean, 'node_modules/x/Dockerfile': dirty });
  const out = cli(['--format', 'json', dir]);
  const json = JSON.parse(out.stdout);
  assert.equal(json.version, 1);
  assert.deepEqual(json.files.map((f: any) => path.relative(dir, f.path)).sort(), ['a/Dockerfile', 'b/Containerfile', 'c/api.Dockerfile', 'd/Dockerfile.prod']);
  const a = json.files.find((f: any) => f.path.endsWith('a/Dockerfile'));
  const d = a.diagnostics.find((x: any) => x.rule === 'apt-lists-not-cleaned');
  assert.deepEqual(Object.keys(d).slice(0, 5), ['rule', 'severity', 'message', 'range', 'fixes']);
  assert.equal(d.severity, 'warning');
  assert.deepEqual(d.range, { start: { line: 1, character: 0 }, end: { line: 1, character: 45 } });
  assert.ok(d.fixes[0].title.length > 0);
  assert.deepEqual(Object.keys(a.image).slice(0, 3), ['finalStage', 'estimatedBytes', 'confidence']);
  assert.equal(a.image.finalStage, 0);
  const stage = a.image.stages[0];
  for (const key of ['index', 'name', 'from', 'baseBytes', 'estimatedBytes', 'layers']) assert.ok(key in stage, key);
  assert.equal(stage.from, 'debian:bookworm-slim');
  assert.deepEqual(stage.layers.map((l: any) => [l.line, l.instruction]), [[1, 'RUN'], [2, 'USER']]);
  for (const key of ['line', 'instruction', 'estimatedBytes', 'confidence']) assert.ok(key in stage.layers[0], key);
});

test('--fix applies safe fixes in place; a second --fix changes nothing', () => {
  const dir = workspace({ Dockerfile: 'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl\nRUN pip install flask\nUSER nobody\n' });
  const file = path.join(dir, 'Dockerfile');
  const first = cli(['--fix', file]);
  const fixed = readFileSync(file, 'utf8');
  assert.equal(fixed, 'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\nRUN pip install --no-cache-dir flask\nUSER nobody\n');
  // --no-install-recommends may change behaviour: reported, not applied.
  assert.equal(first.status, 1);
  assert.match(first.stdout, /apt-no-install-recommends/);
  cli(['--fix', file]);
  assert.equal(readFileSync(file, 'utf8'), fixed);
  cli(['--fix-suggestions', file]);
  assert.match(readFileSync(file, 'utf8'), /install --no-install-recommends -y curl/);
  assert.equal(cli([file]).status, 0);
});

test('--format sarif is SARIF 2.1.0 with rules and 1-based regions', () => {
  const dir = workspace({ Dockerfile: dirty });
  const sarif = JSON.parse(cli(['--format', 'sarif', dir], dir).stdout);
  assert.equal(sarif.version, '2.1.0');
  const run = sarif.runs[0];
  assert.equal(run.tool.driver.name, 'dockerfile-lean');
  assert.ok(run.tool.driver.rules.some((r: any) => r.id === 'apt-lists-not-cleaned' && r.helpUri));
  const result = run.results.find((r: any) => r.ruleId === 'apt-lists-not-cleaned');
  assert.equal(result.level, 'warning');
  assert.deepEqual(result.locations[0].physicalLocation.region, { startLine: 2, startColumn: 1, endLine: 2, endColumn: 46 });
  assert.equal(result.locations[0].physicalLocation.artifactLocation.uri, 'Dockerfile');
});

test('hostile files: binary junk and oversize files are skipped with a clear message', () => {
  const dir = workspace({ 'bin/Dockerfile': 'FROM x\n\u0000\u0001\u0002garbage' });
  const json = JSON.parse(cli(['--format', 'json', dir]).stdout);
  assert.match(json.files[0].diagnostics[0].message, /looks binary/);
  const big = workspace({ Dockerfile: 'FROM debian\n' + 'RUN echo x\n'.repeat(300000) });
  const out = cli(['--max-file-size', '100', '--format', 'json', big]);
  assert.equal(out.status, 0);
  assert.match(JSON.parse(out.stdout).files[0].diagnostics[0].message, /over the 100 KB limit/);
});

test('text output names the rule, the place and the image estimate line', () => {
  const dir = workspace({ Dockerfile: dirty });
  const out = cli(['--no-color', dir]);
  assert.match(out.stdout, /2:1 +warning +apt package lists/);
  assert.match(out.stdout, /Image estimate:/);
  assert.match(out.stdout, /✖ 2 problems \(0 errors, 2 warnings, 0 info\)/);
});

test('.dockerfile-lean.json sets rules for the project; command-line flags override it; bad config is reported, not fatal', () => {
  const dir = workspace({ '.git/HEAD': '', '.dockerfile-lean.json': JSON.stringify({ rules: { 'apt-lists-not-cleaned': 'off', 'apt-no-install-recommends': 'error' } }), 'svc/Dockerfile': dirty });
  const json = JSON.parse(cli(['--format', 'json', dir]).stdout);
  assert.deepEqual(json.files[0].diagnostics.map((d: any) => [d.rule, d.severity]), [['apt-no-install-recommends', 'error']]);
  const overridden = JSON.parse(cli(['--format', 'json', '--rule', 'apt-no-install-recommends=off', dir]).stdout);
  assert.deepEqual(overridden.files[0].diagnostics, []);
  const broken = workspace({ '.git/HEAD': '', '.dockerfile-lean.json': '{ nope', Dockerfile: dirty });
  const out = cli(['--format', 'json', broken]);
  assert.equal(out.status, 1);
  assert.match(out.stderr, /not valid JSON/);
  assert.equal(JSON.parse(out.stdout).files[0].diagnostics.length, 2);
});
