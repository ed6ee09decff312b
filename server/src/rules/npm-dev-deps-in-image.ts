/**
 * `npm install` and `npm ci` install devDependencies too (test runners, bundlers, type checkers) unless told
 * to omit them. In the image that ships they are dead weight, often more than the runtime dependencies.
 */
import type { Rule, RuleMeta, RuleReport, RuleContext, Fix } from './types';
import type { Instruction } from '../model/types';
import type { ShellCommand, ShellWord } from '../shell/types';
import { commandsOf, finalStageChain, runsOfStages } from './lib/queries';
import { stageFacts } from './lib/stage-facts';
import { verbWord } from './lib/edits';
import { ruleDocsUrl } from './lib/docs-url';
import { sizeSuffix } from './lib/size-text';
import { flagValue } from '../shell/package-managers';
import { layerPart } from '../sizing/lookup';

const installVerbs = ['install', 'i', 'in', 'ci', 'isntall', 'install-clean'];

export const meta: RuleMeta = {
  id: 'npm-dev-deps-in-image',
  type: 'size',
  defaultSeverity: 'warning',
  docs: { description: 'Install only production dependencies in the final image', url: ruleDocsUrl('npm-dev-deps-in-image') },
  fixable: true,
  messages: {
    devDependencies: "'npm {{verb}}' also installs devDependencies (build and test tools) into the final image{{size}}: add --omit=dev, or set NODE_ENV=production.",
    deprecatedFlag: "'{{flag}}' is deprecated since npm 7 and npm warns about it: '--omit=dev' does the same.",
  },
};

export function check({ model, sizing }: RuleContext): RuleReport[] {
  const reports: RuleReport[] = [];
  const chain = finalStageChain(model);
  const facts = stageFacts(model);
  for (const run of runsOfStages(model, chain)) {
    for (const install of commandsOf(run)) {
      if (!installsProjectDependencies(install)) continue;
      const deprecated = deprecatedFlag(install);
      if (deprecated) {
        reports.push({
          messageId: 'deprecatedFlag',
          data: { flag: deprecated.words.map((w) => w.value).join(' ') },
          range: deprecated.words[0].range,
          stageIndex: run.stageIndex,
          fixes: [{
            title: `Replace ${deprecated.words.map((w) => w.value).join(' ')} with --omit=dev`, kind: 'quickfix', safe: true, preferred: true,
            edits: [{ range: { start: deprecated.words[0].range.start, end: deprecated.words[deprecated.words.length - 1].range.end }, newText: '--omit=dev' }],
          }],
        });
        continue;
      }
      if (omitsDev(install) || productionEnvironment(facts.environmentAt(run))) continue;
      if (prunedLater(model, run, install) || builtLater(model, chain, run, install)) continue;
      const savings = layerPart(sizing, run.index, 'dev dependencies');
      const verb = verbWord(install, installVerbs);
      const fixes: Fix[] = verb && !asksForDev(install)
        // Rewrites the verb word rather than inserting after it, so it cannot tie with an append at the end of the RUN.
        ? [{ title: 'Install without devDependencies (--omit=dev)', kind: 'quickfix', safe: false, edits: [{ range: verb.range, newText: `${verb.raw} --omit=dev` }] }]
        : [];
      reports.push({
        messageId: 'devDependencies',
        data: { verb: verb?.value ?? 'install', size: sizeSuffix(savings) },
        range: install.range,
        stageIndex: run.stageIndex,
        savings,
        fixes,
      });
    }
  }
  return reports;
}

/** `npm install` / `npm ci` of the project's package.json; `npm install express` adds a package instead. */
function installsProjectDependencies(command: ShellCommand): boolean {
  const op = command.packageOp;
  if (op?.manager !== 'npm' || op.verb !== 'install' || !verbWord(command, installVerbs)) return false;
  return op.packages.length === 0 && flagValue(command, '--global') === null && flagValue(command, '-g') === null;
}

/** `--production`, `--only=prod[uction]` or `--only prod`: still honoured, but deprecated for `--omit=dev`. */
function deprecatedFlag(command: ShellCommand): { words: ShellWord[] } | null {
  const argv = command.argv;
  for (let i = 1; i < argv.length; i++) {
    const value = argv[i].value;
    if (value === '--production' || value === '--production=true') return { words: [argv[i]] };
    if (/^--only=prod(uction)?$/.test(value)) return { words: [argv[i]] };
    if (value === '--only' && /^prod(uction)?$/.test(argv[i + 1]?.value ?? '')) return { words: [argv[i], argv[i + 1]] };
  }
  return null;
}

function omitsDev(command: ShellCommand): boolean {
  return command.argv.some((w, i) => (w.value === '--omit=dev') || (w.value === '--omit' && command.argv[i + 1]?.value === 'dev'));
}

/** `--include=dev` or `--production=false`: the author wants devDependencies here, so no automatic fix. */
function asksForDev(command: ShellCommand): boolean {
  return command.argv.some((w, i) => w.value === '--include=dev' || w.value === '--production=false' || (w.value === '--include' && command.argv[i + 1]?.value === 'dev'));
}

function productionEnvironment(env: ReadonlyMap<string, string>): boolean {
  const get = (name: string) => [...env].find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1]?.trim() ?? '';
  return get('NODE_ENV') === 'production' || get('npm_config_omit') === 'dev' || /^(true|1)$/.test(get('npm_config_production'));
}

/** Commands of the same stage after `install`, in this RUN and the later ones. */
function laterCommands(model: RuleContext['model'], stages: readonly number[], run: Instruction, install: ShellCommand): ShellCommand[] {
  return runsOfStages(model, stages)
    .filter((r) => r.index >= run.index && !r.onbuild)
    .flatMap((r) => commandsOf(r).filter((c) => r.index > run.index || c.index > install.index));
}

/** `npm prune --omit=dev` (or `--production`) later in the same stage removes the devDependencies again. */
function prunedLater(model: RuleContext['model'], run: Instruction, install: ShellCommand): boolean {
  return laterCommands(model, [run.stageIndex], run, install)
    .some((c) => c.name === 'npm' && !c.afterOr && verbWord(c, ['prune']) !== null && (omitsDev(c) || deprecatedFlag(c) !== null));
}

/** A build script after the install needs the devDependencies: a multi-stage build is the advice then, not this rule's. */
function builtLater(model: RuleContext['model'], chain: readonly number[], run: Instruction, install: ShellCommand): boolean {
  const stages = chain.filter((s) => s >= run.stageIndex);
  return laterCommands(model, stages, run, install).some((c) => c.packageOp !== null && ['npm', 'yarn', 'pnpm'].includes(c.packageOp.manager) && c.packageOp.verb === 'build');
}

export const cases: Rule['cases'] = {
  valid: [
    'FROM node:20-slim\nRUN npm ci --omit=dev',
    'FROM node:20-slim\nRUN npm install --omit dev',
    { name: 'NODE_ENV=production in the stage', code: 'FROM node:20-slim\nENV NODE_ENV=production\nRUN npm ci' },
    { name: 'NODE_ENV=production as an ARG of a base stage', code: 'FROM node:20-slim AS base\nARG NODE_ENV=production\nFROM base\nRUN npm ci' },
    { name: 'named packages add dependencies', code: 'FROM node:20-slim\nRUN npm install express' },
    { name: 'global installs are not the project', code: 'FROM node:20-slim\nRUN npm install -g pm2' },
    { name: 'pruned later in the same stage', code: 'FROM node:20-slim\nRUN npm ci\nCOPY . .\nRUN npm prune --omit=dev' },
    { name: 'pruned in the same RUN', code: 'FROM node:20-slim\nRUN npm ci && npm prune --omit=dev' },
    { name: 'build script needs the devDependencies', code: 'FROM node:20-slim\nRUN npm ci\nCOPY . .\nRUN npm run build' },
    { name: 'build in the same RUN through a heredoc', code: 'FROM node:20-slim\nRUN <<EOF\nnpm ci\nnpm run build\nEOF' },
    { name: 'builder stage', code: 'FROM node:20 AS build\nRUN npm ci\nRUN npm run build\nFROM node:20-slim\nRUN npm ci --omit=dev\nCOPY --from=build /app/dist ./dist' },
    { name: 'a stage that is not the final one', code: 'FROM node:20-slim AS test\nRUN npm ci\nFROM node:20-slim\nRUN npm ci --omit=dev' },
    { name: 'continuation with comment lines', code: 'FROM node:20-slim\nRUN npm ci \\\n  # only what runs\n  --omit=dev' },
  ],
  invalid: [
    {
      code: 'FROM node:20-slim\nRUN npm ci',
      output: 'FROM node:20-slim\nRUN npm ci --omit=dev',
      errors: [{ messageId: 'devDependencies', line: 1, data: { verb: 'ci', size: '' } }],
    },
    {
      name: 'the fix inserts --omit=dev after the verb',
      code: 'FROM node:20-slim\nRUN npm install && npm cache clean --force',
      output: 'FROM node:20-slim\nRUN npm install --omit=dev && npm cache clean --force',
      errors: [{ messageId: 'devDependencies', line: 1, data: { verb: 'install' } }],
    },
    {
      name: '--production is deprecated',
      code: 'FROM node:20-slim\nRUN npm ci --production',
      output: 'FROM node:20-slim\nRUN npm ci --omit=dev',
      errors: [{ messageId: 'deprecatedFlag', line: 1, data: { flag: '--production' } }],
    },
    {
      name: '--only=production is deprecated',
      code: 'FROM node:20-slim\nRUN npm install --only=production',
      output: 'FROM node:20-slim\nRUN npm install --omit=dev',
      errors: [{ messageId: 'deprecatedFlag', line: 1 }],
    },
    {
      name: '--only prod as two words',
      code: 'FROM node:20-slim\nRUN npm ci --only prod && npm cache clean --force',
      output: 'FROM node:20-slim\nRUN npm ci --omit=dev && npm cache clean --force',
      errors: [{ messageId: 'deprecatedFlag', line: 1, data: { flag: '--only prod' } }],
    },
    {
      name: 'in a stage the final stage is built FROM',
      code: 'FROM node:20-slim AS deps\nRUN npm ci\nFROM deps\nCMD ["node", "index.js"]',
      output: 'FROM node:20-slim AS deps\nRUN npm ci --omit=dev\nFROM deps\nCMD ["node", "index.js"]',
      errors: [{ messageId: 'devDependencies', line: 1 }],
    },
    {
      name: 'prune in a later stage does not shrink the earlier layer',
      code: 'FROM node:20-slim AS deps\nRUN npm ci\nFROM deps\nRUN npm prune --omit=dev',
      output: 'FROM node:20-slim AS deps\nRUN npm ci --omit=dev\nFROM deps\nRUN npm prune --omit=dev',
      errors: [{ messageId: 'devDependencies', line: 1 }],
    },
    {
      name: 'NODE_ENV=development does not omit',
      code: 'FROM node:20-slim\nENV NODE_ENV=development\nRUN npm ci',
      output: 'FROM node:20-slim\nENV NODE_ENV=development\nRUN npm ci --omit=dev',
      errors: [{ messageId: 'devDependencies', line: 2 }],
    },
    {
      name: '--include=dev is deliberate: reported, but no fix',
      code: 'FROM node:20-slim\nRUN npm ci --include=dev',
      output: null,
      errors: [{ messageId: 'devDependencies', line: 1 }],
    },
    {
      name: 'ONBUILD trigger',
      code: 'FROM node:20-slim\nONBUILD RUN npm ci',
      output: 'FROM node:20-slim\nONBUILD RUN npm ci --omit=dev',
      errors: [{ messageId: 'devDependencies', line: 1 }],
    },
  ],
};

export const rule: Rule = { meta, check, cases };
