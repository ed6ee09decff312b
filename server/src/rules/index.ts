/** The rule registry: every rule, in the order findings of equal position are listed. */
import type { Rule } from './types';
import { rule as aptListsNotCleaned } from './apt-lists-not-cleaned';
import { rule as aptNoInstallRecommends } from './apt-no-install-recommends';
import { rule as pipNoCache } from './pip-no-cache';
import { rule as apkNoCache } from './apk-no-cache';
import { rule as npmCacheNotCleaned } from './npm-cache-not-cleaned';
import { rule as yarnCacheNotCleaned } from './yarn-cache-not-cleaned';
import { rule as npmDevDepsInImage } from './npm-dev-deps-in-image';
import { rule as cleanupInSeparateLayer } from './cleanup-in-separate-layer';
import { rule as buildToolsInFinalStage } from './build-tools-in-final-stage';
import { rule as runsAsRoot } from './runs-as-root';
import { rule as copySourceBeforeDeps } from './copy-source-before-deps';
import { rule as copyWholeStage } from './copy-whole-stage';
import { rule as multiStageOpportunity } from './multi-stage-opportunity';
import { rule as copyMissingFrom } from './copy-missing-from';
import { rule as scratchWithInterpreter } from './scratch-with-interpreter';
import { rule as nodeModulesOverwrite } from './node-modules-overwrite';
import { rule as largeBaseImage } from './large-base-image';
import { rule as copyEverythingWithoutDockerignore } from './copy-everything-without-dockerignore';
import { rule as secretsCopied } from './secrets-copied';

export const allRules: readonly Rule[] = [
  aptListsNotCleaned,
  aptNoInstallRecommends,
  pipNoCache,
  apkNoCache,
  npmCacheNotCleaned,
  yarnCacheNotCleaned,
  npmDevDepsInImage,
  cleanupInSeparateLayer,
  buildToolsInFinalStage,
  runsAsRoot,
  copySourceBeforeDeps,
  copyWholeStage,
  multiStageOpportunity,
  copyMissingFrom,
  scratchWithInterpreter,
  nodeModulesOverwrite,
  largeBaseImage,
  copyEverythingWithoutDockerignore,
  secretsCopied,
];

export function ruleById(id: string): Rule | undefined {
  return allRules.find((r) => r.meta.id === id);
}
