/**
 * Property-based fuzzing of the engine, the rules and their fixes with fast-check, over arbitrary
 * Dockerfile-ish text and mutated realistic Dockerfiles. Runs are bounded so the file takes ~20 s; set
 * FUZZ_RUNS (a multiplier) and FUZZ_SEED to explore further. A failure prints the seed and the shrunk input.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyze, ParseCache, type Report } from '../../server/src/engine';
import { applyEdits } from '../../server/src/text/edits';
import type { Finding, Fix } from '../../server/src/rules/types';
import { rangesOutside } from '../support/invariants';
import { anyDockerfile, applyMutation, mutations, realisticDockerfiles, dockerfileText } from '../support/dockerfile-arbitraries';

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
