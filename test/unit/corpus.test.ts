/**
 * The corpus (test/corpus/<ecosystem>-<name>/): real-world-style Dockerfiles, each with the build-context
 * files it COPYs and an `expected.json` written from the rule docs. Every entry is analysed as the CLI does
 * (FileSystemEnvironment, so COPY sizes and context lookups use the entry's folder), and must give exactly
 * the expected (rule, line) findings, no internal errors, no parse problems, and survive `--fix`.
 * See test/corpus/README.md.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { analyze, ParseCache, type EngineConfig, type Report } from '../../server/src/engine';
import { allRules } from '../../server/src/rules';
import { isSuppressionFix } from '../../server/src/rules/runner';
import { applyEdits } from '../../server/src/text/edits';
import { FileSystemEnvironment } from '../../server/src/io/environment';

const corpusDir = path.resolve(__dirname, '../corpus');

interface ExpectedFinding { rule: string; line: number }

interface Expected {
  description: string;
  /** What a careful reviewer expects from the rule docs (1-based lines). */
  findings: ExpectedFinding[];
  /** Parse problems the file is meant to have (default 0). */
  problems?: number;
  /** The engine disagrees with `findings` and the rule is not fixed yet: why. */
  knownIssue?: string;
  /** With `knownIssue`: what the engine reports today, asserted so a change in either direction is seen. */
  engineFindings?: ExpectedFinding[];
}

const knownRules = new Set(allRules.map((r) => r.meta.id));

function entries(): string[] {
  return readdirSync(corpusDir).filter((name) => statSync(path.join(corpusDir, name)).isDirectory()).sort();
}

function readExpected(dir: string): Expected {
  const file = path.join(dir, 'expected.json');
  const expected = JSON.parse(readFileSync(file, 'utf8')) as Expected;
  assert.equal(typeof expected.description, 'string', `${file}: "description" must be a string`);
  assert.ok(Array.isArray(expected.findings), `${file}: "findings" must be an array`);
  const lists = [expected.findings, ...(expected.engineFindings ? [expected.engineFindings] : [])];
  for (const f of lists.flat()) {
    assert.ok(knownRules.has(f.rule), `${file}: unknown rule id '${f.rule}' (registered: ${[...knownRules].join(', ')})`);
    assert.ok(Number.isInteger(f.line) && f.line >= 1, `${file}: line must be a 1-based integer (${JSON.stringify(f)})`);
  }
  if (expected.knownIssue !== undefined) {
    assert.ok(expected.knownIssue.trim() !== '', `${file}: "knownIssue" must explain the disagreement`);
    assert.ok(Array.isArray(expected.engineFindings), `${file}: a knownIssue entry records the engine's current findings in "engineFindings"`);
  } else {
    assert.equal(expected.engineFindings, undefined, `${file}: "engineFindings" only goes with "knownIssue"`);
  }
  return expected;
}

const key = (f: ExpectedFinding) => `${f.rule}@${f.line}`;

/** Multiset difference with a readable message: what is missing, what is extra, what the engine said. */
function assertSameFindings(report: Report, expected: ExpectedFinding[], label: string): void {
  const actual = report.findings.map((f) => ({ rule: f.ruleId, line: f.range.start.line + 1 }));
  const missing = expected.map(key);
  const extra: string[] = [];
  for (const k of actual.map(key)) {
    const i = missing.indexOf(k);
    if (i >= 0) missing.splice(i, 1);
    else extra.push(k);
  }
  if (missing.length === 0 && extra.length === 0) return;
  const said = report.findings.map((f) => `  line ${f.range.start.line + 1}  ${f.ruleId}: ${f.message}`).join('\n') || '  (nothing)';
  assert.fail(`${label}\n  missing (expected, not reported): ${missing.join(', ') || '-'}\n  extra (reported, not expected):   ${extra.join(', ') || '-'}\nthe engine reported:\n${said}`);
}

const safeFixEdits = (report: Report) =>
  report.findings.flatMap((f) => f.fixes.find((x) => !isSuppressionFix(x) && x.safe)?.edits ?? []);

const environment = new FileSystemEnvironment();

test('the corpus has at least 44 entries, each with a Dockerfile and expected.json', () => {
  const names = entries();
  assert.ok(names.length >= 44, `only ${names.length} corpus entries`);
  for (const name of names) {
    assert.match(name, /^[a-z]+-[a-z0-9-]+$/, `${name}: folders are named <ecosystem>-<short-name>`);
    for (const file of ['Dockerfile', 'expected.json']) {
      assert.ok(statSync(path.join(corpusDir, name, file), { throwIfNoEntry: false })?.isFile(), `${name}/${file} is missing`);
    }
  }
});

for (const name of entries()) {
  test(`corpus: ${name}`, (t) => {
    const dir = path.join(corpusDir, name);
    const dockerfile = path.join(dir, 'Dockerfile');
    const expected = readExpected(dir);
    const text = readFileSync(dockerfile, 'utf8');
    const { env, project } = environment.prepare(dockerfile);
    assert.deepEqual(project.problems, [], 'project config problems');
    assert.ok(env.context, 'the entry folder is read as the build context');
    const config: EngineConfig = { rules: project.rules, buildArgs: project.buildArgs };
    const cache = new ParseCache();

    const report = analyze(text, { config, env, cache });
    assert.equal(report.skipped, null, 'the file was skipped');
    assert.deepEqual(report.internalErrors, [], 'internal errors');
    assert.equal(report.problems.length, expected.problems ?? 0,
      `parse problems: ${report.problems.map((p) => `line ${p.range.start.line + 1}: ${p.message}`).join('; ') || 'none'}`);

    if (expected.knownIssue) {
      t.diagnostic(`known issue: ${expected.knownIssue}`);
      assertSameFindings(report, expected.engineFindings ?? [],
        `${name}: the engine's findings changed for a knownIssue entry; if it now matches "findings", drop "knownIssue" and "engineFindings"`);
    } else {
      assertSameFindings(report, expected.findings, `${name}: findings differ from expected.json`);
    }

    // `dockerfile-lean --fix`: safe fixes in passes until nothing changes.
    let fixed = text;
    let after = report;
    for (let pass = 0; pass < 10; pass++) {
      const edits = safeFixEdits(after);
      if (edits.length === 0) break;
      const next = applyEdits(fixed, edits).text;
      if (next === fixed) break;
      fixed = next;
      after = analyze(fixed, { config, env, cache });
    }
    const fresh = analyze(fixed, { config, env });
    assert.deepEqual(fresh.internalErrors, [], 'internal errors after --fix');
    assert.ok(fresh.problems.length <= report.problems.length,
      `--fix added parse problems: ${fresh.problems.map((p) => `line ${p.range.start.line + 1}: ${p.message}`).join('; ')}\n--- fixed text ---\n${fixed}`);
    const left = fresh.findings.filter((f) => f.fixes.some((x) => !isSuppressionFix(x) && x.safe));
    assert.deepEqual(left.map((f) => `line ${f.range.start.line + 1} ${f.ruleId}: ${f.message}`), [],
      `safe-fixable findings remain after --fix\n--- fixed text ---\n${fixed}`);
  });
}
