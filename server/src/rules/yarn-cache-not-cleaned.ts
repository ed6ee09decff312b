/**
 * Yarn (classic) keeps a copy of every package it fetched in its global cache, and pnpm keeps its
 * content-addressed store. Neither is read at runtime, yet unless the same RUN empties them they ship in the layer.
 */
import type { Rule, RuleMeta, RuleReport, RuleContext } from './types';
import type { PackageManager, ShellCommand } from '../shell/types';
import { cacheDiscarded, commandsOf, reportsByStage, shippedRunsOf, type ToolCache } from './lib/queries';
import { stageFacts } from './lib/stage-facts';
import { appendCommandToRun } from './lib/edits';
import { ruleDocsUrl } from './lib/docs-url';
import { sizeSuffix } from './lib/size-text';
import { layerPart } from '../sizing/lookup';

interface Tool {
  manager: PackageManager;
  messageId: string;
  cache: ToolCache;
  clean: string;
  part: string;
}

const cleans = (manager: PackageManager) => (c: ShellCommand) => c.packageOp?.manager === manager && c.packageOp.verb === 'cache-clean';

const tools: readonly Tool[] = [
  {
    manager: 'yarn',
    messageId: 'yarnCacheLeft',
    // As root, yarn 1 caches under /usr/local/share; other users under ~/.cache.
    cache: { defaultPaths: ['/usr/local/share/.cache/yarn', '~/.cache/yarn'], options: ['--cache-folder'], env: ['YARN_CACHE_FOLDER'], cleans: cleans('yarn') },
    clean: 'yarn cache clean',
    part: 'yarn cache',
  },
  {
    manager: 'pnpm',
    messageId: 'pnpmStoreLeft',
    cache: { defaultPaths: ['~/.local/share/pnpm/store', '~/.cache/pnpm'], options: ['--store-dir'], env: ['npm_config_store_dir'], cleans: cleans('pnpm') },
    clean: 'pnpm store prune',
    part: 'pnpm store',
  },
];

export const meta: RuleMeta = {
  id: 'yarn-cache-not-cleaned',
  type: 'size',
  defaultSeverity: 'warning',
  docs: { description: "Empty yarn's cache or pnpm's store in the RUN that filled it", url: ruleDocsUrl('yarn-cache-not-cleaned') },
  fixable: true,
  messages: {
    yarnCacheLeft: "'{{command}}' leaves yarn's package cache in this layer{{size}}; nothing uses it at runtime: run 'yarn cache clean' in the same RUN.",
    pnpmStoreLeft: "'{{command}}' leaves pnpm's package store in this layer{{size}}; nothing uses it at runtime: run 'pnpm store prune' in the same RUN.",
  },
};

export function check(context: RuleContext): RuleReport[] {
  return reportsByStage(context, checkStage);
}

/** The reports about one stage's RUNs (see Rule.checkStage). */
export function checkStage({ model, sizing }: RuleContext, stageIndex: number): RuleReport[] {
  const facts = stageFacts(model);
  const reports: RuleReport[] = [];
  for (const run of shippedRunsOf(model, stageIndex)) {
    const env = facts.environmentAt(run);
    for (const tool of tools) {
      // One report per RUN and tool: its fix empties the cache once, after every install.
      const install = commandsOf(run).find((c) => c.packageOp?.manager === tool.manager && c.packageOp.verb === 'install' && !cacheDiscarded(run, c, tool.cache, env));
      if (!install) continue;
      const savings = layerPart(sizing, run.index, tool.part);
      const fix = appendCommandToRun(model, run, tool.clean);
      reports.push({
        messageId: tool.messageId,
        data: { command: install.argv.slice(0, 2).map((w) => w.value).join(' '), size: sizeSuffix(savings) },
        range: install.range,
        stageIndex: run.stageIndex,
        savings,
        fixes: fix ? [{ title: `Empty the ${tool.part} in the same RUN (${tool.clean})`, kind: 'quickfix', safe: true, preferred: true, edits: [fix] }] : [],
      });
    }
  }
  return reports;
}

export const cases: Rule['cases'] = {
  valid: [
    'FROM node:20-slim\nRUN yarn install --frozen-lockfile && yarn cache clean',
    'FROM node:20-slim\nRUN yarn; yarn cache clean',
    'FROM node:20-slim\nRUN yarn install && rm -rf /usr/local/share/.cache/yarn',
    'FROM node:20-slim\nRUN pnpm install --frozen-lockfile && pnpm store prune',
    'FROM node:20-slim\nRUN pnpm install && rm -rf ~/.local/share/pnpm/store ~/.cache/pnpm',
    { name: 'yarn cache mount', code: 'FROM node:20-slim\nRUN --mount=type=cache,target=/usr/local/share/.cache/yarn yarn install' },
    { name: 'pnpm store on a cache mount', code: 'FROM node:20-slim\nRUN --mount=type=cache,id=pnpm,target=/pnpm/store pnpm install --store-dir /pnpm/store' },
    { name: '--cache-folder removed afterwards', code: 'FROM node:20-slim\nRUN yarn install --cache-folder /tmp/yc && rm -rf /tmp/yc' },
    { name: 'YARN_CACHE_FOLDER removed afterwards', code: 'FROM node:20-slim\nENV YARN_CACHE_FOLDER=/tmp/yc\nRUN yarn && rm -rf /tmp/yc' },
    { name: 'builder-only stage', code: 'FROM node:20 AS build\nRUN yarn install && yarn build\nFROM nginx:alpine\nCOPY --from=build /app/dist /usr/share/nginx/html' },
    { name: 'heredoc cleans up', code: 'FROM node:20-slim\nRUN <<EOF\nyarn install\nyarn cache clean\nEOF' },
    { name: 'continuation with comment lines', code: 'FROM node:20-slim\nRUN yarn install \\\n  # drop the cache\n  && yarn cache clean' },
    { name: 'yarn run downloads nothing', code: 'FROM node:20-slim\nRUN yarn run start' },
  ],
  invalid: [
    {
      code: 'FROM node:20-slim\nRUN yarn install --frozen-lockfile',
      output: 'FROM node:20-slim\nRUN yarn install --frozen-lockfile && yarn cache clean',
      errors: [{ messageId: 'yarnCacheLeft', line: 1, data: { command: 'yarn install', size: '' } }],
    },
    {
      name: 'bare yarn installs',
      code: 'FROM node:20-slim\nRUN yarn',
      output: 'FROM node:20-slim\nRUN yarn && yarn cache clean',
      errors: [{ messageId: 'yarnCacheLeft', line: 1 }],
    },
    {
      name: 'yarn add',
      code: 'FROM node:20-slim\nRUN yarn add express',
      output: 'FROM node:20-slim\nRUN yarn add express && yarn cache clean',
      errors: [{ messageId: 'yarnCacheLeft', line: 1 }],
    },
    {
      name: 'pnpm install',
      code: 'FROM node:20-slim\nRUN pnpm install --frozen-lockfile',
      output: 'FROM node:20-slim\nRUN pnpm install --frozen-lockfile && pnpm store prune',
      errors: [{ messageId: 'pnpmStoreLeft', line: 1, data: { command: 'pnpm install' } }],
    },
    {
      name: 'cleanup in a later RUN does not shrink this layer',
      code: 'FROM node:20-slim\nRUN yarn install\nRUN yarn cache clean',
      output: 'FROM node:20-slim\nRUN yarn install && yarn cache clean\nRUN yarn cache clean',
      errors: [{ messageId: 'yarnCacheLeft', line: 1 }],
    },
    {
      name: 'clean after || runs only on failure',
      code: 'FROM node:20-slim\nRUN pnpm install || pnpm store prune',
      output: 'FROM node:20-slim\nRUN pnpm install || pnpm store prune && pnpm store prune',
      errors: [{ messageId: 'pnpmStoreLeft', line: 1 }],
    },
    {
      name: 'trailing && continuation keeps the style',
      code: 'FROM node:20-slim\nRUN yarn install && \\\n    # production build\n    yarn build',
      output: 'FROM node:20-slim\nRUN yarn install && \\\n    # production build\n    yarn build && \\\n    yarn cache clean',
      errors: [{ messageId: 'yarnCacheLeft', line: 1 }],
    },
    {
      name: 'heredoc gets a new line',
      code: 'FROM node:20-slim\nRUN <<EOF\npnpm install\nEOF',
      output: 'FROM node:20-slim\nRUN <<EOF\npnpm install\npnpm store prune\nEOF',
      errors: [{ messageId: 'pnpmStoreLeft', line: 2 }],
    },
    {
      name: 'ONBUILD trigger runs in downstream images',
      code: 'FROM node:20-slim\nONBUILD RUN yarn install',
      output: 'FROM node:20-slim\nONBUILD RUN yarn install && yarn cache clean',
      errors: [{ messageId: 'yarnCacheLeft', line: 1 }],
    },
  ],
};

export const rule: Rule = { meta, check, checkStage, cases };
