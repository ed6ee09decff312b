/**
 * Property-based fuzzing of the engine, the rules and their fixes with fast-check, over arbitrary
 * Dockerfile-ish text and mutated realistic Dockerfiles. Runs are bounded so the file takes ~20 s; set
 * FUZZ_RUNS (a multiplier) and FUZZ_SEED to explore further. A failure prints the seed and the shrunk input.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyze, AnalysisCache, ParseCache, type Report } from '../../server/src/engine';
import { allRules } from '../../server/src/rules';
import type { DataPacks, EngineEnv } from '../../server/src/engine-env';
import { applyEdits } from '../../server/src/text/edits';
import type { Finding, Fix } from '../../server/src/rules/types';
import { rangesOutside } from '../support/invariants';
import { anyDockerfile, applyMutation, mutations, realisticDockerfiles, dockerfileText } from '../support/dockerfile-arbitraries';
import { testEnv } from '../support/test-env';
import { memoryContext } from '../support/memory-context';
// @ts-expect-error: the benchmark's generator is plain JavaScript
import { generateDockerfile } from '../../bench/generate.mjs';

const scale = Number(process.env.FUZZ_RUNS ?? 1);
const seed = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : 20260101;
const runs = (n: number) => ({ numRuns: Math.max(1, Math.round(n * scale)), seed });
// Fuzzed files may be mostly odd bytes; the binary-file guard is tested elsewhere, here everything is read.
const options = { config: { maxFileBytes: 1 << 24 } };

function problemsOf(report: Report): string[] {
  return report.internalErrors.concat(rangesOutside(report).map((r) => `range outside the document: ${r}`));
}

test('analyze never throws, reports no internal error, and keeps every range inside the document', () => {
  fc.assert(fc.property(anyDockerfile, (text) => {
    const report = analyze(text, options);
    assert.deepEqual(problemsOf(report), []);
  }), runs(700));
});

/** The fixes a user can apply to a finding, as the editor offers them. */
function fixesOf(report: Report): { finding: Finding; fix: Fix }[] {
  return report.findings.flatMap((finding) => finding.fixes.map((fix) => ({ finding, fix })));
}

test('every fix leaves a file analyze accepts, with ranges inside it, and applying it again changes nothing', () => {
  fc.assert(fc.property(anyDockerfile, fc.nat(), (text, pick) => {
    const report = analyze(text, options);
    const offered = fixesOf(report);
    fc.pre(offered.length > 0);
    // Every offered fix would be too slow over hundreds of runs; a random one per run covers them over time.
    const { finding, fix } = offered[pick % offered.length];
    const once = applyEdits(text, fix.edits).text;
    const after = analyze(once, options);
    assert.deepEqual(problemsOf(after), [], `after '${fix.title}' on ${JSON.stringify(text)}`);
    // Idempotence: the same fix for the same rule at the same line, offered again, must be a no-op.
    const again = fixesOf(after).find((f) => f.finding.ruleId === finding.ruleId && f.fix.title === fix.title && f.finding.range.start.line === finding.range.start.line);
    if (again) {
      const twice = applyEdits(once, again.fix.edits).text;
      assert.equal(twice, once, `'${fix.title}' (${finding.ruleId}) applied twice differs from once on ${JSON.stringify(text)}`);
    }
  }), runs(350));
});

test('a fix never adds a syntax error the file did not have', () => {
  fc.assert(fc.property(fc.constantFrom(...realisticDockerfiles), mutations, fc.nat(), (base, edits, pick) => {
    const text = edits.slice(0, 2).reduce(applyMutation, base);
    const report = analyze(text, options);
    const offered = fixesOf(report);
    fc.pre(offered.length > 0);
    const { fix } = offered[pick % offered.length];
    const after = analyze(applyEdits(text, fix.edits).text, options);
    const errors = (r: Report) => new Set(r.problems.filter((p) => p.severity === 'error').map((p) => p.message));
    const added = [...errors(after)].filter((m) => !errors(report).has(m));
    assert.deepEqual(added, [], `'${fix.title}' on ${JSON.stringify(text)}`);
  }), runs(200));
});

/** What a user sees of a report, and the model the rules read: must not depend on the cache. */
function observable(report: Report): string {
  const { model } = report;
  return JSON.stringify({
    findings: report.findings,
    problems: report.problems,
    image: report.image,
    instructions: model.instructions,
    stages: model.stages.map((s) => ({ ...s, fromInstruction: s.fromInstruction.index, instructions: s.instructions.map((i) => i.index) })),
    edges: model.edges,
    shipped: [...model.shippedStageIndexes],
    globalArgs: [...model.globalArgs],
  });
}

test('incremental analysis (a reused ParseCache over many edits) equals a fresh analysis every time', () => {
  fc.assert(fc.property(fc.oneof(fc.constantFrom(...realisticDockerfiles), dockerfileText), fc.array(mutations, { minLength: 1, maxLength: 6 }), (start, batches) => {
    const cache = new ParseCache();
    let text = start;
    analyze(text, { ...options, cache });
    for (const batch of batches) {
      for (const m of batch) text = applyMutation(text, m);
      assert.equal(observable(analyze(text, { ...options, cache })), observable(analyze(text, options)), JSON.stringify(text));
    }
  }), runs(250));
});

test('incremental analysis after line-moving edits: chunks shifted up and down equal a fresh parse', () => {
  // Edits that add and remove whole lines move every later chunk: the cached placements must follow.
  const base = realisticDockerfiles[0];
  fc.assert(fc.property(fc.array(fc.record({ line: fc.nat(), remove: fc.boolean(), text: fc.constantFrom('RUN apt-get update', '', '# c', 'ENV A=$B', 'FROM scratch AS x', 'RUN <<EOF', 'EOF') }), { minLength: 1, maxLength: 20 }), (edits) => {
    const cache = new ParseCache();
    const lines = base.split('\n');
    analyze(lines.join('\n'), { ...options, cache });
    for (const edit of edits) {
      const at = edit.line % (lines.length + 1);
      if (edit.remove && lines.length > 1) lines.splice(Math.min(at, lines.length - 1), 1);
      else lines.splice(at, 0, edit.text);
      const text = lines.join('\n');
      assert.equal(observable(analyze(text, { ...options, cache })), observable(analyze(text, options)));
    }
  }), runs(150));
});

// ---------------------------------------------------------------------------------------------------------
// The whole-analysis cache: stage estimates reused while their inputs are unchanged.

const packs = testEnv().data as DataPacks;
/** Data packs as the language server sees them before the Debian packs have loaded. */
const packsNotLoaded: DataPacks = { baseImages: () => packs.baseImages(), debian: () => null };
const contextFiles = { 'requirements.txt': 120, 'curl.txt': 50, 'wget.txt': 70, 'package.json': '{"name":"app"}', 'src/app.py': 4000, '.env': 'TOKEN=1', 'node_modules/x/index.js': 900 };
const sharedContext = memoryContext(contextFiles);
/** Environments an analysis may see from one keystroke to the next (packs loading, context walked again…). */
const environments: (() => EngineEnv)[] = [
  () => ({ data: packs, context: sharedContext }),
  () => ({ data: packs, context: sharedContext }),
  () => ({ data: packs, context: memoryContext({ ...contextFiles, 'src/app.py': 9000 }) }),
  // Same sizes and file count, one secret apart: only the secrets rule can tell them apart.
  () => ({ data: packs, context: memoryContext({ 'src/app.py': 4000, '.env': 'TOKEN=1' }) }),
  () => ({ data: packs, context: memoryContext({ 'src/app.py': 4000, 'notes.md': 'TOKEN=1' }) }),
  () => ({ data: packsNotLoaded, context: sharedContext }),
  () => ({ data: packs, context: null }),
  () => ({ data: null, context: sharedContext }),
];
const generated = [40, 90].map((lines, i) => generateDockerfile(lines, 5 + i) as string);
/** Stages that build on and copy from each other, so an edit in one changes the estimates of others. */
const dependentStages = [
  'ARG BASE=debian:bookworm-slim',
  'FROM ${BASE} AS build',
  'ARG TOOL=curl',
  'RUN apt-get update && apt-get install -y --no-install-recommends $TOOL ca-certificates && mkdir -p /out && cp /usr/bin/curl /out/',
  'COPY requirements.txt ${TOOL}.txt /out/',
  'ENV PIP_NO_CACHE_DIR=1 NPM_CONFIG_CACHE=/tmp/npm',
  'FROM build AS test',
  'RUN apt-get install -y jq && pip install flask && npm install -g pino',
  'FROM scratch AS out',
  'COPY . /',
  'FROM debian:bookworm-slim',
  'COPY --from=build /out /opt/out',
  'COPY --from=test / /snapshot',
  'COPY --from=out / /empty',
  'FROM python:3.12-slim AS pybase',
  'ENV PIP_NO_CACHE_DIR=1',
  'FROM pybase AS pyapp',
  'RUN pip install flask',
  'FROM node:22 AS nodebuild',
  'WORKDIR /app',
  'RUN npm ci',
  'FROM node:22-slim AS noderun',
  'WORKDIR /app',
  'RUN npm ci --omit=dev',
  'COPY --from=nodebuild /app/node_modules ./node_modules',
  'RUN --mount=type=bind,from=build,target=/b apt-get update && apt-get install -y git',
  '',
].join('\n');
/** Build args given by the user, as the server and the CLI pass them. */
const buildArgChoices: Record<string, string>[] = [{}, {}, { TOOL: 'wget' }, { BASE: 'python:3.12-slim', PY: '3.11' }];

test('incremental analysis with an AnalysisCache (parses and stage estimates reused) equals a fresh analysis, as packs and contexts change', () => {
  const edits = fc.array(fc.record({ batch: mutations, env: fc.nat({ max: environments.length - 1 }), buildArgs: fc.nat({ max: buildArgChoices.length - 1 }) }), { minLength: 1, maxLength: 6 });
  fc.assert(fc.property(fc.oneof(fc.constantFrom(...realisticDockerfiles, ...generated, dependentStages), dockerfileText), edits, (start, steps) => {
    const cache = new AnalysisCache();
    let text = start;
    analyze(text, { ...options, cache, env: environments[0]() });
    for (const step of steps) {
      for (const m of step.batch) text = applyMutation(text, m);
      const env = environments[step.env]();
      const config = { ...options.config, buildArgs: buildArgChoices[step.buildArgs] };
      assert.equal(observable(analyze(text, { config, cache, env })), observable(analyze(text, { config, env })), JSON.stringify(text));
    }
  }), runs(100));
});

test('incremental analysis with an AnalysisCache after single-character edits at every kind of line equals a fresh analysis', () => {
  // The editor's usual change: one character typed or deleted. Every line of the files, in turn.
  for (const [text, env] of [[generated[1], environments[0]()], [dependentStages, environments[0]()], [dependentStages, { data: null, context: null }]] as const) {
    const lines = text.split('\n');
    const cache = new AnalysisCache();
    analyze(text, { ...options, cache, env });
    for (let line = 0; line < lines.length; line++) {
      for (const at of text === dependentStages ? [3, 12, lines[line].length - 2] : [3]) {
        if (at < 0 || at > lines[line].length) continue;
        const typed = (line + at) % 2 === 0;
        const edited = typed ? lines[line].slice(0, at) + 'x' + lines[line].slice(at) : lines[line].slice(0, at) + lines[line].slice(at + 1);
        const changed = [...lines.slice(0, line), edited, ...lines.slice(line + 1)].join('\n');
        assert.equal(observable(analyze(changed, { ...options, cache, env })), observable(analyze(changed, { ...options, env })), `line ${line + 1}: ${edited}`);
      }
    }
  }
});

test('incremental analysis with an AnalysisCache equals a fresh analysis when only the build args change', () => {
  const env = environments[0]();
  const cache = new AnalysisCache();
  for (const buildArgs of [...buildArgChoices, ...buildArgChoices.slice().reverse()]) {
    const config = { ...options.config, buildArgs };
    assert.equal(observable(analyze(dependentStages, { config, cache, env })), observable(analyze(dependentStages, { config, env })), JSON.stringify(buildArgs));
  }
});

test('an edit in one stage estimates that stage and the stages built on it again, and reuses the others', () => {
  const text = generated[1];
  const cache = new AnalysisCache();
  const env = environments[0]();
  const first = analyze(text, { ...options, cache, env });
  const stageCount = first.model.stages.length;
  assert.ok(stageCount >= 4, `a generated file has several stages (${stageCount})`);
  assert.equal(cache.sizing.estimatedStages, stageCount);
  analyze(text, { ...options, cache, env });
  assert.equal(cache.sizing.estimatedStages, 0, 'nothing changed: every stage reused');
  // Type into the last stage's first RUN: only that stage (nothing builds on the last one) is estimated again.
  const last = first.model.stages[stageCount - 1];
  const run = last.instructions.find((i) => i.keyword === 'RUN');
  assert.ok(run);
  const lines = text.split('\n');
  lines[run.range.start.line] += ' x';
  const edited = analyze(lines.join('\n'), { ...options, cache, env });
  assert.equal(cache.sizing.estimatedStages, 1);
  assert.equal(observable(edited), observable(analyze(lines.join('\n'), { ...options, env })));
});

test('an edit in a stage that others are built on estimates those again, even when its own estimate does not change', () => {
  // The stages built on it read its environment (PIP_NO_CACHE_DIR here), not only its estimate.
  const text = ['FROM python:3.12-slim AS base', 'ENV PIP_NO_CACHE_DIR=1', 'LABEL a=b', '', 'FROM base', 'RUN pip install numpy', ''].join('\n');
  const cache = new AnalysisCache();
  const env = environments[0]();
  analyze(text, { ...options, cache, env });
  const edited = text.replace('PIP_NO_CACHE_DIR=1', 'PIP_NO_CACHE_DIR=');
  const report = analyze(edited, { ...options, cache, env });
  assert.equal(cache.sizing.estimatedStages, 2);
  assert.equal(observable(report), observable(analyze(edited, { ...options, env })));
});

test('rules that report stage by stage check again only the stages an edit touched', () => {
  const text = generated[1];
  const cache = new AnalysisCache();
  const env = environments[0]();
  const first = analyze(text, { ...options, cache, env });
  const perStageRules = allRules.filter((r) => r.checkStage).length;
  assert.ok(perStageRules >= 5);
  assert.equal(cache.rules.checkedStages, perStageRules * first.model.stages.length, 'the first analysis checks every stage');
  analyze(text, { ...options, cache, env });
  assert.equal(cache.rules.checkedStages, 0, 'nothing changed: every stage reused');
  const last = first.model.stages[first.model.stages.length - 1];
  const run = last.instructions.find((i) => i.keyword === 'RUN')!;
  const lines = text.split('\n');
  lines[run.range.start.line] += ' x';
  const edited = lines.join('\n');
  const report = analyze(edited, { ...options, cache, env });
  assert.equal(cache.rules.checkedStages, perStageRules, 'one stage per rule');
  assert.equal(observable(report), observable(analyze(edited, { ...options, env })));
});

test('an edit that changes only the size of a stage others are built on keeps their layers: only bases and totals are worked out again', () => {
  const text = ['FROM debian:bookworm-slim AS base', 'RUN head -c 1000 /dev/zero > /blob', 'FROM base AS mid', 'RUN apt-get update && apt-get install -y jq', 'FROM mid', 'RUN head -c 10 /dev/zero > /x', ''].join('\n');
  const cache = new AnalysisCache();
  const env = environments[0]();
  const first = analyze(text, { ...options, cache, env });
  const edited = text.replace('head -c 1000', 'head -c 2000');
  const report = analyze(edited, { ...options, cache, env });
  assert.notEqual(report.image.total?.bytes, first.image.total?.bytes, 'the edit changes the image size');
  assert.equal(cache.sizing.estimatedStages, 3);
  assert.equal(cache.sizing.relaidStages, 2, 'the two stages built on it keep their layers');
  assert.equal(observable(report), observable(analyze(edited, { ...options, env })));
});

test('a stage built on another is sized again when the packages the other installed change', () => {
  // The child's layers depend on the apt state it starts with: jq needs less when its library is already there.
  const text = ['FROM debian:bookworm-slim AS base', 'RUN apt-get update && apt-get install -y libjq1', '', 'FROM base', 'RUN apt-get install -y jq', ''].join('\n');
  const cache = new AnalysisCache();
  const env = environments[0]();
  const first = analyze(text, { ...options, cache, env });
  const edited = text.replace('libjq1', 'curl');
  const report = analyze(edited, { ...options, cache, env });
  assert.notEqual(report.image.stages[1].layers[0].figure?.bytes, first.image.stages[1].layers[0].figure?.bytes, 'jq costs more without its library');
  assert.equal(observable(report), observable(analyze(edited, { ...options, env })));
});

test('undoing an edit that changed every stage after it (a broken FROM or heredoc end) reuses what was there before it', () => {
  const text = generated[1];
  const lines = text.split('\n');
  const env = environments[0]();
  for (const broken of [lines.findIndex((l, i) => i > 5 && l.startsWith('FROM ')), lines.findIndex((l, i) => i > 5 && l === 'EOF')]) {
    assert.ok(broken > 0);
    const cache = new AnalysisCache();
    analyze(text, { ...options, cache, env });
    const edited = [...lines.slice(0, broken), lines[broken].slice(0, 1) + 'x' + lines[broken].slice(1), ...lines.slice(broken + 1)].join('\n');
    assert.equal(observable(analyze(edited, { ...options, cache, env })), observable(analyze(edited, { ...options, env })));
    const undone = analyze(text, { ...options, cache, env });
    assert.equal(cache.sizing.estimatedStages, 0, `line ${broken + 1}: every stage reused`);
    assert.equal(cache.rules.checkedStages, 0);
    assert.equal(observable(undone), observable(analyze(text, { ...options, env })));
  }
});

test('an edit in a stage others copy from that leaves what they copy alone keeps their layers; one that changes it does not', () => {
  const text = ['FROM debian:bookworm-slim AS build', 'RUN head -c 5000 /dev/zero > /out/blob', 'USER app', '', 'FROM debian:bookworm-slim', 'COPY --from=build /out /out', ''].join('\n');
  const cache = new AnalysisCache();
  const env = environments[0]();
  analyze(text, { ...options, cache, env });
  const userEdit = text.replace('USER app', 'USER apps');
  const kept = analyze(userEdit, { ...options, cache, env });
  assert.equal(cache.sizing.relaidStages, 1, 'the copying stage keeps its layers');
  assert.equal(observable(kept), observable(analyze(userEdit, { ...options, env })));
  const pathEdit = userEdit.replace('> /out/blob', '> /srv/blob');
  const changed = analyze(pathEdit, { ...options, cache, env });
  assert.equal(cache.sizing.relaidStages, 0, 'the copied path is no longer written there: sized again');
  assert.equal(observable(changed), observable(analyze(pathEdit, { ...options, env })));
});

test('editing a global ARG works out again only the stages that take it', () => {
  const text = ['ARG PIP_NO_CACHE_DIR=1', 'ARG UNUSED=1', 'FROM python:3.12-slim AS app', 'ARG PIP_NO_CACHE_DIR', 'RUN pip install numpy', '',
    'FROM debian:bookworm-slim AS other', 'RUN apt-get update && apt-get install -y curl', ''].join('\n');
  const cache = new AnalysisCache();
  const env = environments[0]();
  analyze(text, { ...options, cache, env });
  const unused = text.replace('UNUSED=1', 'UNUSED=2');
  analyze(unused, { ...options, cache, env });
  assert.equal(cache.sizing.estimatedStages, 0, 'no stage takes UNUSED');
  const taken = unused.replace('PIP_NO_CACHE_DIR=1', 'PIP_NO_CACHE_DIR=');
  const report = analyze(taken, { ...options, cache, env });
  assert.equal(cache.sizing.estimatedStages, 1, 'the stage that declares ARG PIP_NO_CACHE_DIR');
  assert.equal(observable(report), observable(analyze(taken, { ...options, env })));
});
