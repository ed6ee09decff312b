/** The rule registry: every rule, in the order findings of equal position are listed. */
import type { Rule } from './types';
import { rule as aptListsNotCleaned } from './apt-lists-not-cleaned';
import { rule as aptNoInstallRecommends } from './apt-no-install-recommends';
import { rule as pipNoCache } from './pip-no-cache';
import { rule as apkNoCache } from './apk-no-cache';

export const allRules: readonly Rule[] = [
  aptListsNotCleaned,
  aptNoInstallRecommends,
  pipNoCache,
  apkNoCache,
];

export function ruleById(id: string): Rule | undefined {
  return allRules.find((r) => r.meta.id === id);
}
