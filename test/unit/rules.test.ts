import { describe, test } from 'node:test';
import { allRules } from '../../server/src/rules';
import { assertInvalid, assertValid, caseName } from '../support/rule-tester';

for (const rule of allRules) {
  describe(`rule ${rule.meta.id}`, () => {
    test('has valid and invalid cases', () => {
      if (rule.cases.valid.length === 0 || rule.cases.invalid.length === 0) throw new Error('a rule needs both valid and invalid cases');
    });
    for (const c of rule.cases.valid) test(`valid: ${caseName(c)}`, () => assertValid(rule, c));
    for (const c of rule.cases.invalid) test(`invalid: ${caseName(c)}`, () => assertInvalid(rule, c));
  });
}
