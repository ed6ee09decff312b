#!/usr/bin/env node
// Scores the engine's size estimates against the real sizes in bench/accuracy/results.json.
// Runs the CLI's stable contract, `node bin/dockerfile-lean.js --format json <Dockerfile>...`,
// matches layers by their 0-based line within the measured stage, and prints median / p90
// absolute percentage errors for image totals and for RUN layers of >= 1 MB, the count of
// null estimates, and the worst misses.
//
//   node bench/accuracy/compare.mjs [--check] [--top N] [--json] [--results FILE] [--cli FILE]
//
// Exit code 0, except with --check: 1 when the median image-total error is > 10 % or the
// median RUN-layer error is > 20 % (or nothing could be scored).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scoreResults } from './score.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '..', '..');

function arg(name, def) {
	const i = process.argv.indexOf(name);
	return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : def;
}
const check = process.argv.includes('--check');
const asJson = process.argv.includes('--json');
const top = Number(arg('--top', '25'));
const resultsFile = resolve(arg('--results', join(here, 'results.json')));
const cli = resolve(arg('--cli', join(repoRoot, 'bin', 'dockerfile-lean.js')));

const mb = (b) => (typeof b === 'number' ? `${(b / 1e6).toFixed(2)} MB` : 'null');
const pct = (x) => (typeof x === 'number' ? `${x.toFixed(1)}%` : 'n/a');

function finish(code) {
	process.exit(check ? code : 0);
}

if (!existsSync(resultsFile)) {
	console.error(`No measured results at ${resultsFile}: run bench/accuracy/make-base.sh then node bench/accuracy/measure.mjs.`);
	finish(1);
}
const results = JSON.parse(readFileSync(resultsFile, 'utf8'));
const cases = (results.cases ?? []).filter((c) => !c.error);

// the COPY/ADD cases need their generated context files for the engine to size them
spawnSync(process.execPath, [join(here, 'gen-context.mjs'), '--quiet'], { stdio: 'inherit' });

/** Runs the CLI on some Dockerfiles; returns Map(absolute path -> image) or throws. */
function runCli(files) {
	const r = spawnSync(process.execPath, [cli, '--format', 'json', ...files], { cwd: repoRoot, encoding: 'utf8', maxBuffer: 256 << 20, timeout: 120_000 });
	if (r.error) throw new Error(`could not run the CLI: ${r.error.message}`);
	// exit 1 only means "diagnostics found"; 2 is a usage or I/O error
	let out;
	try {
		out = JSON.parse(r.stdout);
	} catch {
		throw new Error(`CLI exit ${r.status}, output is not JSON: ${(r.stderr || r.stdout).trim().split('\n').slice(0, 3).join(' | ')}`);
	}
	const map = new Map();
	for (const f of out.files ?? []) map.set(resolve(repoRoot, f.path), f.image ?? null);
	return map;
}

const estimates = new Map();
let cliProblem = null;
if (!existsSync(cli)) {
	cliProblem = `the CLI ${cli} does not exist yet (build it first: npm run build)`;
} else {
	const files = [...new Set(cases.map((c) => c.dockerfile))];
	let byPath = new Map();
	try {
		byPath = runCli(files);
	} catch (e) {
		// one bad file must not sink the rest: retry one by one
		for (const f of files) {
			try {
				for (const [k, v] of runCli([f])) byPath.set(k, v);
			} catch (e2) {
				byPath.set(resolve(repoRoot, f), { __error: String(e2.message ?? e2) });
			}
		}
		if (![...byPath.values()].some((v) => v && !v.__error)) cliProblem = String(e.message ?? e);
	}
	for (const c of cases) {
		const img = byPath.get(resolve(repoRoot, c.dockerfile));
		if (img === undefined) estimates.set(c.name, { error: 'file missing from the CLI output' });
		else if (img === null) estimates.set(c.name, { error: 'the CLI gave no image for this file' });
		else if (img.__error) estimates.set(c.name, { error: img.__error });
		else estimates.set(c.name, { image: img });
	}
}

const s = scoreResults(results, estimates);

if (asJson) {
	console.log(JSON.stringify({ cliProblem, ...s }, null, 2));
	finish(s.pass ? 0 : 1);
}

console.log(`Size accuracy: ${s.cases} measured case(s) from ${results.tool ?? '?'} (${results.generatedAt ?? '?'}), sizes = file content bytes, MB = 1e6 bytes`);
if (cliProblem) console.log(`\n!! ${cliProblem}. Every estimate counts as null.`);
const line = (label, x, extra = '') =>
	console.log(`${label.padEnd(30)} n=${String(x.n).padStart(3)}  scored=${String(x.scored).padStart(3)}  null=${String(x.nulls).padStart(3)}  median=${pct(x.median).padStart(7)}  p90=${pct(x.p90).padStart(7)}${extra}`);
console.log('');
line('Image totals (final stage)', s.totals);
line(`RUN layers >= ${s.runLayers.minBytes / 1e6} MB`, s.runLayers, `  (${s.runLayers.skippedSmall} smaller RUN layers not scored)`);
line('COPY/ADD layers (info)', s.copyLayers);
if (s.totals.scored === 0 && s.runLayers.scored === 0 && !cliProblem) {
	console.log('\n!! The CLI returned no usable estimates (all null): nothing to score yet.');
}
if (s.caseProblems.length) {
	console.log(`\nCases without an estimate (${s.caseProblems.length}):`);
	for (const p of s.caseProblems.slice(0, 10)) console.log(`  ${p.case}: ${p.problem}`);
	if (s.caseProblems.length > 10) console.log(`  ... and ${s.caseProblems.length - 10} more`);
}
if (s.misses.length) {
	console.log(`\nWorst misses (${Math.min(top, s.misses.length)} of ${s.misses.length} scored items):`);
	console.log(`  ${'case'.padEnd(32)} ${'what'.padEnd(10)} ${'real'.padStart(11)} ${'estimate'.padStart(11)} ${'error'.padStart(8)}  conf`);
	for (const r of s.misses.slice(0, top)) {
		const what = r.kind === 'total' ? 'total' : `L${r.line} ${r.instruction}`;
		console.log(`  ${r.case.padEnd(32)} ${what.padEnd(10)} ${mb(r.actual).padStart(11)} ${mb(r.estimate).padStart(11)} ${pct(r.errorPct).padStart(8)}  ${r.confidence ?? '-'}`);
	}
}
if (s.unestimated.length) {
	const show = s.unestimated.slice(0, 10).map((r) => `${r.case}:${r.kind === 'total' ? 'total' : 'L' + r.line}`);
	console.log(`\nNull estimates (${s.unestimated.length}): ${show.join(', ')}${s.unestimated.length > 10 ? ', ...' : ''}`);
}
console.log(`\nThresholds for --check: median total <= ${s.thresholds.medianTotalPct}%, median RUN layer <= ${s.thresholds.medianRunLayerPct}%: ${s.pass ? 'PASS' : 'FAIL (' + s.failures.join('; ') + ')'}`);
finish(s.pass ? 0 : 1);
