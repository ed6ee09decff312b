/**
 * `npm install` and `npm ci` keep every downloaded tarball in ~/.npm/_cacache. Nothing reads that cache
 * at runtime, yet unless the same RUN empties it, it ships in the layer — often as big as node_modules.
 */
import type { Rule, RuleMeta, RuleReport, RuleContext } from './types';
import type { ShellCommand } from '../shell/types';
import { cacheDiscarded, commandsOf, reportsByStage, shippedRunsOf, type ToolCache } from './lib/queries';
import { stageFacts } from './lib/stage-facts';
import { appendCommandToRun } from './lib/edits';
import { ruleDocsUrl } from './lib/docs-url';
import { sizeSuffix } from './lib/size-text';
import { layerPart } from '../sizing/lookup';

export const npmCache: ToolCache = {
  defaultPaths: ['~/.npm/_cacache'],
  options: ['--cache'],
  env: ['npm_config_cache'],
  cleans: (c) => c.packageOp?.manager === 'npm' && c.packageOp.verb === 'cache-clean',
};

export const meta: RuleMeta = {
  id: 'npm-cache-not-cleaned',
  type: 'size',
  defaultSeverity: 'warning',
  docs: { description: "Empty npm's download cache in the RUN that filled it", url: ruleDocsUrl('npm-cache-not-cleaned') },
  fixable: true,
  messages: {
    cacheLeft: "'npm {{verb}}' leaves its download cache (~/.npm/_cacache) in this layer{{size}}; nothing uses it at runtime: run 'npm cache clean --force' in the same RUN.",
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
    // One report per RUN: its fix empties the cache once, after every install.
    const install = commandsOf(run).find((c) => installs(c) && !cacheDiscarded(run, c, npmCache, env));
    if (!install) continue;
    const savings = layerPart(sizing, run.index, 'npm cache');
    const fix = appendCommandToRun(model, run, 'npm cache clean --force');
    reports.push({
      messageId: 'cacheLeft',
      data: { verb: install.argv.find((w, i) => i > 0 && !w.value.startsWith('-'))?.value ?? 'install', size: sizeSuffix(savings) },
      range: install.range,
      stageIndex: run.stageIndex,
      savings,
      fixes: fix ? [{ title: 'Empty the npm cache in the same RUN (npm cache clean --force)', kind: 'quickfix', safe: true, preferred: true, edits: [fix] }] : [],
    });
  }
  return reports;
}

function installs(command: ShellCommand): boolean {
  return command.packageOp?.manager === 'npm' && command.packageOp.verb === 'install';
}

export const cases: Rule['cases'] = {
  valid: [
    'FROM node:20-slim\nRUN npm ci && npm cache clean --force',
    'FROM node:20-slim\nRUN npm install; npm cache clean --force',
    'FROM node:20-slim\nRUN npm ci && rm -rf /root/.npm',
    { name: 'home directory of another user', code: 'FROM node:20-slim\nUSER node\nRUN npm ci && rm -rf /home/node/.npm/_cacache' },
    { name: '$HOME spelling', code: 'FROM node:20-slim\nRUN npm ci && rm -rf "$HOME/.npm"' },
    { name: 'cache mount', code: 'FROM node:20-slim\nRUN --mount=type=cache,target=/root/.npm npm ci' },
    { name: 'cache mount for the node user', code: 'FROM node:20-slim\nRUN --mount=type=cache,target=/home/node/.npm,uid=1000 npm ci' },
    { name: '--cache in a temporary directory that is removed', code: 'FROM node:20-slim\nRUN npm ci --cache /tmp/npm-cache && rm -rf /tmp/npm-cache' },
    { name: 'npm_config_cache on a cache mount', code: 'FROM node:20-slim\nENV npm_config_cache=/cache/npm\nRUN --mount=type=cache,target=/cache npm ci' },
    { name: 'builder-only stage', code: 'FROM node:20 AS build\nRUN npm ci && npm run build\nFROM nginx:alpine\nCOPY --from=build /app/dist /usr/share/nginx/html' },
    { name: 'heredoc cleans up', code: 'FROM node:20-slim\nRUN <<EOF\nnpm ci\nnpm cache clean --force\nEOF' },
    { name: 'continuation with comment lines', code: 'FROM node:20-slim\nRUN npm ci \\\n  # drop the cache\n  && npm cache clean --force' },
    { name: 'other npm verbs download nothing', code: 'FROM node:20-slim\nRUN npm run start' },
    { name: 'exec form is not a shell', code: 'FROM node:20-slim\nRUN ["npm", "ci"]' },
  ],
  invalid: [
    {
      code: 'FROM node:20-slim\nRUN npm ci',
      output: 'FROM node:20-slim\nRUN npm ci && npm cache clean --force',
      errors: [{ messageId: 'cacheLeft', line: 1, data: { verb: 'ci', size: '' } }],
    },
    {
      name: 'npm i with packages',
      code: 'FROM node:20-slim\nRUN npm i -g pm2',
      output: 'FROM node:20-slim\nRUN npm i -g pm2 && npm cache clean --force',
      errors: [{ messageId: 'cacheLeft', line: 1, data: { verb: 'i' } }],
    },
    {
      name: 'cleanup in a later RUN does not shrink this layer',
      code: 'FROM node:20-slim\nRUN npm install\nRUN npm cache clean --force',
      output: 'FROM node:20-slim\nRUN npm install && npm cache clean --force\nRUN npm cache clean --force',
      errors: [{ messageId: 'cacheLeft', line: 1 }],
    },
    {
      name: 'clean before the install does not count',
      code: 'FROM node:20-slim\nRUN npm cache clean --force && npm ci',
      output: 'FROM node:20-slim\nRUN npm cache clean --force && npm ci && npm cache clean --force',
      errors: [{ messageId: 'cacheLeft', line: 1 }],
    },
    {
      name: 'clean after || runs only on failure',
      code: 'FROM node:20-slim\nRUN npm ci || npm cache clean --force',
      output: 'FROM node:20-slim\nRUN npm ci || npm cache clean --force && npm cache clean --force',
      errors: [{ messageId: 'cacheLeft', line: 1 }],
    },
    {
      name: '--cache in /tmp that is not removed',
      code: 'FROM node:20-slim\nRUN npm ci --cache /tmp/npm-cache',
      output: 'FROM node:20-slim\nRUN npm ci --cache /tmp/npm-cache && npm cache clean --force',
      errors: [{ messageId: 'cacheLeft', line: 1 }],
    },
    {
      name: 'removing the default cache does not help when npm_config_cache moved it',
      code: 'FROM node:20-slim\nENV npm_config_cache=/opt/npm-cache\nRUN npm ci && rm -rf /root/.npm',
      output: 'FROM node:20-slim\nENV npm_config_cache=/opt/npm-cache\nRUN npm ci && rm -rf /root/.npm && npm cache clean --force',
      errors: [{ messageId: 'cacheLeft', line: 2 }],
    },
    {
      name: 'multi-line with a comment line keeps the style',
      code: 'FROM node:20-slim\nRUN npm ci \\\n  # build the app\n  && npm run build',
      output: 'FROM node:20-slim\nRUN npm ci \\\n  # build the app\n  && npm run build \\\n  && npm cache clean --force',
      errors: [{ messageId: 'cacheLeft', line: 1 }],
    },
    {
      name: 'heredoc gets a new line',
      code: 'FROM node:20-slim\nRUN <<EOF\nnpm ci\nEOF',
      output: 'FROM node:20-slim\nRUN <<EOF\nnpm ci\nnpm cache clean --force\nEOF',
      errors: [{ messageId: 'cacheLeft', line: 2 }],
    },
    {
      name: 'ONBUILD trigger runs in downstream images',
      code: 'FROM node:20-slim\nONBUILD RUN npm ci',
      output: 'FROM node:20-slim\nONBUILD RUN npm ci && npm cache clean --force',
      errors: [{ messageId: 'cacheLeft', line: 1 }],
    },
  ],
};

export const rule: Rule = { meta, check, checkStage, cases };
