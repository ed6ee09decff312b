/**
 * Runs a rule's `cases` table, as ESLint's RuleTester does: valid code gives no finding of the rule;
 * invalid code gives exactly the expected findings, and applying each finding's first fix gives `output`.
 * Every fix must also leave a Dockerfile that parses without new problems, silence the rule, and be
 * idempotent (the rule offers nothing more to apply on the fixed text).
 */
import assert from 'node:assert/strict';
import { analyze } from '../../server/src/engine';
import type { Finding, Rule, ValidCase, InvalidCase } from '../../server/src/rules/types';
import { isSuppressionFix } from '../../server/src/rules/runner';
import { applyEdits } from '../../server/src/text/edits';
import { memoryContext } from './memory-context';
import { testEnv } from './test-env';

export function findingsOf(rule: Rule, code: string, files?: Record<string, number | string>): Finding[] {
  const env = { ...testEnv(), context: files ? memoryContext(files) : null };
  const report = analyze(code, { rules: [rule], env });
  assert.equal(report.internalErrors.length, 0, `internal errors: ${report.internalErrors.join('\n')}`);
  return report.findings.filter((f) => f.ruleId === rule.meta.id);
}

export function applyFirstFixes(text: string, findings: readonly Finding[]): string {
  const edits = findings.flatMap((f) => f.fixes.find((fix) => !isSuppressionFix(fix))?.edits ?? []);
  return applyEdits(text, edits).text;
}

export function caseName(c: string | ValidCase | InvalidCase): string {
  const code = typeof c === 'string' ? c : c.code;
  const name = typeof c === 'string' ? undefined : c.name;
  return name ?? code.split(/\r?\n/).slice(1).join(' | ').slice(0, 70);
}

export function assertValid(rule: Rule, c: string | ValidCase): void {
  const code = typeof c === 'string' ? c : c.code;
  const files = typeof c === 'string' ? undefined : c.files;
  const findings = findingsOf(rule, code, files);
  assert.deepEqual(findings.map((f) => `${f.messageId}@${f.range.start.line}: ${f.message}`), [], 'expected no findings');
}

export function assertInvalid(rule: Rule, c: InvalidCase): void {
  const findings = findingsOf(rule, c.code, c.files);
  assert.deepEqual(
    findings.map((f) => ({ messageId: f.messageId, ...(c.errors[0]?.line !== undefined ? { line: f.range.start.line } : {}) })),
    c.errors.map((e) => ({ messageId: e.messageId, ...(e.line !== undefined ? { line: e.line } : {}) })),
    'findings differ from the expected errors',
  );
  for (const [i, expected] of c.errors.entries()) {
    for (const [key, value] of Object.entries(expected.data ?? {})) assert.equal(findings[i].data[key], value, `data.${key}`);
    assert.ok(!/undefined|\{\{/.test(findings[i].message), `message has unfilled placeholders: ${findings[i].message}`);
  }
  for (const f of findings) {
    assert.ok(f.fixes.filter(isSuppressionFix).length === 2, 'every finding offers the two suppression fixes');
  }
  const hasFix = findings.some((f) => f.fixes.some((fix) => !isSuppressionFix(fix)));
  if (c.output === null) {
    assert.equal(hasFix, false, 'case says no fix, but the rule offers one');
    return;
  }
  assert.ok(hasFix, 'case expects a fix, but the rule offers none');
  const fixed = applyFirstFixes(c.code, findings);
  assert.equal(fixed, c.output, 'fixed text differs from output');
  const after = analyze(fixed, { rules: [rule], env: { ...testEnv(), context: c.files ? memoryContext(c.files) : null } });
  const before = analyze(c.code, { rules: [rule], env: testEnv() });
  assert.ok(after.problems.length <= before.problems.length, `the fix added parse problems: ${after.problems.map((p) => p.message).join('; ')}`);
  assert.deepEqual(after.findings.filter((f) => f.ruleId === rule.meta.id).map((f) => f.message), [], 'the rule still fires after its fix');
  assert.equal(applyFirstFixes(fixed, after.findings), fixed, 'the fix is not idempotent');
}
