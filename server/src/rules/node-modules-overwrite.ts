/**
 * A runtime stage that installs production dependencies and then copies the builder's node_modules over
 * them ships every devDependency after all, and pays twice: the production install stays in the layer
 * below, the full copy is added on top.
 */
import type { Rule, RuleMeta, RuleReport, RuleContext } from './types';
import type { DockerfileModel, Instruction } from '../model/types';
import type { ShellCommand } from '../shell/types';
import { flagValue, hasFlag } from '../shell/package-managers';
import { commandsOf, reportsByStage, resolvePath, runsOfStages, stageLabel } from './lib/queries';
import { stageFacts, type StageFacts } from './lib/stage-facts';
import { deleteInstruction } from './lib/edits';
import { ruleDocsUrl } from './lib/docs-url';
import { pathsProducedBy } from './lib/stage-outputs';
import { layerOf } from '../sizing/lookup';
import { formatBytes } from '../sizing/figure';

export const meta: RuleMeta = {
  id: 'node-modules-overwrite',
  type: 'size',
  defaultSeverity: 'warning',
  docs: { description: "Do not copy the builder's node_modules over a production install", url: ruleDocsUrl('node-modules-overwrite') },
  fixable: false,
  messages: {
    overwrites: "This COPY puts the node_modules of stage {{stage}}, devDependencies included, over the production install at line {{installLine}}{{size}}: the production install is wasted and the dev packages ship. Drop this COPY.",
    includes: "This COPY brings the node_modules of stage {{stage}}, devDependencies included, along with {{source}} over the production install at line {{installLine}}{{size}}: copy only the build output (e.g. dist/) and package.json.",
  },
};

export function check(context: RuleContext): RuleReport[] {
  return reportsByStage(context, checkStage);
}

/** The reports about one shipped stage's COPY --from instructions (see Rule.checkStage). */
export function checkStage({ model, sizing }: RuleContext, stageIndex: number): RuleReport[] {
  const reports: RuleReport[] = [];
  const facts = stageFacts(model);
  if (model.shippedStageIndexes.has(stageIndex)) {
    for (const install of model.stages[stageIndex].instructions) {
      if (install.keyword !== 'RUN' || install.onbuild || !commandsOf(install).some(isProductionInstall)) continue;
      const installed = resolvePath(facts.workdirAt(install), 'node_modules');
      for (const copy of model.stages[stageIndex].instructions) {
        if (copy.index <= install.index || copy.keyword !== 'COPY' || copy.copy?.fromStage == null || copy.onbuild) continue;
        const overwrite = overwriteOf(facts, copy, installed);
        if (!overwrite) continue;
        const layer = layerOf(sizing, copy.index)?.figure ?? null;
        const savings = layer && layer.bytes > 0 ? layer : null;
        reports.push({
          messageId: overwrite.onlyNodeModules ? 'overwrites' : 'includes',
          data: { stage: stageLabel(model, copy.copy.fromStage), installLine: install.range.start.line + 1, source: overwrite.source, size: savings ? ` (~${formatBytes(savings.bytes)})` : '' },
          range: copy.range,
          stageIndex,
          savings,
          fixes: overwrite.onlyNodeModules
            ? [{ title: "Remove the COPY of the builder's node_modules (keep the production install)", kind: 'quickfix', safe: false, preferred: true, edits: [deleteInstruction(model, copy)] }]
            : [],
        });
      }
    }
  }
  return reports;
}

/** `npm ci --omit=dev`, `npm install --production`, `yarn install --production`, `pnpm install --prod`. */
function isProductionInstall(command: ShellCommand): boolean {
  const op = command.packageOp;
  if (!op || op.verb !== 'install' || op.packages.length > 0) return false;
  if (op.manager === 'npm') return flagValue(command, '--omit') === 'dev' || hasFlag(command, '--production') || /^prod/.test(flagValue(command, '--only') ?? '');
  if (op.manager === 'yarn') return hasFlag(command, '--production');
  if (op.manager === 'pnpm') return hasFlag(command, '--prod', '-P');
  return false;
}

/**
 * Whether a COPY --from lands the source stage's node_modules on `installed`: the source is that
 * node_modules or a directory holding it, and the destination maps it onto the production install.
 */
function overwriteOf(facts: StageFacts, copy: Instruction, installed: string): { onlyNodeModules: boolean; source: string } | null {
  const fromStage = copy.copy?.fromStage;
  const destination = copy.copy?.destination;
  if (fromStage == null || !destination) return null;
  const modules = pathsProducedBy(facts.model, fromStage, facts).filter((p) => p.path.endsWith('/node_modules'));
  const target = resolvePath(facts.workdirAt(copy), destination.value);
  const sources = copy.copy?.sources ?? [];
  for (const source of sources) {
    const sourcePath = resolvePath('/', source.value);
    for (const produced of modules) {
      const inside = produced.path === sourcePath ? '' : produced.path.startsWith(sourcePath === '/' ? '/' : `${sourcePath}/`) ? produced.path.slice(sourcePath.length) : null;
      if (inside === null) continue;
      // A directory source copies its contents into the destination.
      const landsAt = inside === '' ? target : resolvePath(target, `.${inside}`);
      if (landsAt === installed) return { onlyNodeModules: inside === '' && sources.length === 1, source: source.value };
    }
  }
  return null;
}

export const cases: Rule['cases'] = {
  valid: [
    { name: 'copies only the build output', code: 'FROM node:22 AS build\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\nFROM node:22-slim\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci --omit=dev\nCOPY --from=build /app/dist ./dist' },
    { name: 'the copy comes before the install, which replaces it', code: 'FROM node:22 AS build\nWORKDIR /app\nRUN npm ci\nFROM node:22-slim\nWORKDIR /app\nCOPY --from=build /app/node_modules ./node_modules\nRUN npm ci --omit=dev' },
    { name: 'no production install in the runtime stage', code: 'FROM node:22 AS build\nWORKDIR /app\nRUN npm ci --omit=dev\nFROM node:22-slim\nWORKDIR /app\nCOPY --from=build /app/node_modules ./node_modules' },
    { name: 'node_modules copied somewhere else', code: 'FROM node:22 AS build\nWORKDIR /app\nRUN npm ci\nFROM node:22-slim\nWORKDIR /srv\nRUN npm ci --omit=dev\nCOPY --from=build /app/node_modules /opt/tools/node_modules' },
    { name: 'stage that only feeds a COPY --from does not ship', code: 'FROM node:22 AS build\nWORKDIR /app\nRUN npm ci\nFROM node:22-slim AS test\nWORKDIR /app\nRUN npm ci --omit=dev\nCOPY --from=build /app/node_modules ./node_modules\nFROM node:22-slim\nCOPY --from=test /app/report.txt .' },
  ],
  invalid: [
    {
      name: 'COPY of node_modules after npm ci --omit=dev',
      code: 'FROM node:22 AS build\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\nFROM node:22-slim\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci --omit=dev\nCOPY --from=build /app/node_modules ./node_modules\nCOPY --from=build /app/dist ./dist\nCMD ["node", "dist/index.js"]',
      output: 'FROM node:22 AS build\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\nFROM node:22-slim\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci --omit=dev\nCOPY --from=build /app/dist ./dist\nCMD ["node", "dist/index.js"]',
      errors: [{ messageId: 'overwrites', line: 8, data: { stage: "'build'", installLine: 8 } }],
    },
    {
      name: 'whole app directory copied after yarn --production',
      code: 'FROM node:22 AS builder\nWORKDIR /app\nCOPY . .\nRUN yarn install && yarn build\nFROM node:22-slim\nWORKDIR /app\nCOPY package.json yarn.lock ./\nRUN yarn install --production\nCOPY --from=builder /app .\nCMD ["node", "dist/index.js"]',
      output: null,
      errors: [{ messageId: 'includes', line: 8, data: { source: '/app' } }],
    },
    {
      name: 'pnpm --prod with an absolute destination',
      code: 'FROM node:22 AS build\nWORKDIR /src\nRUN pnpm install\nFROM node:22-slim\nWORKDIR /app\nRUN pnpm install --prod\nCOPY --from=build /src/node_modules /app/node_modules',
      output: 'FROM node:22 AS build\nWORKDIR /src\nRUN pnpm install\nFROM node:22-slim\nWORKDIR /app\nRUN pnpm install --prod',
      errors: [{ messageId: 'overwrites', line: 6 }],
    },
  ],
};

export const rule: Rule = { meta, check, checkStage, cases };
