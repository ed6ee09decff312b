/**
 * `apk add` without `--no-cache` (and `apk update`) stores the package index in /var/cache/apk, a few MB
 * that ship in the layer. `apk add --no-cache` fetches the index to a temporary place instead.
 */
import type { Rule, RuleMeta, RuleReport, RuleContext, TextEdit } from './types';
import { commandsOf, hasCacheMount, removedLater, reportsByStage, shippedRunsOf } from './lib/queries';
import { appendCommandToRun, insertAfterWord, verbWord } from './lib/edits';
import { ruleDocsUrl } from './lib/docs-url';
import { hasFlag } from '../shell/package-managers';
import { layerPart } from '../sizing/lookup';
import { formatBytes } from '../sizing/figure';

const cacheDir = '/var/cache/apk';

export const meta: RuleMeta = {
  id: 'apk-no-cache',
  type: 'size',
  defaultSeverity: 'warning',
  docs: { description: 'Use apk add --no-cache instead of keeping the apk index in the image', url: ruleDocsUrl('apk-no-cache') },
  fixable: true,
  messages: {
    cacheLeft: "'apk {{verb}}' leaves the package index in /var/cache/apk in this layer{{size}}: use 'apk add --no-cache'.",
  },
  hadolint: ['DL3019'],
};

export function check(context: RuleContext): RuleReport[] {
  return reportsByStage(context, checkStage);
}

/** The reports about one stage's RUNs (see Rule.checkStage). */
export function checkStage({ model, sizing }: RuleContext, stageIndex: number): RuleReport[] {
  const reports: RuleReport[] = [];
  for (const run of shippedRunsOf(model, stageIndex)) {
    if (hasCacheMount(run, cacheDir)) continue;
    const commands = commandsOf(run);
    const writers = commands.filter((c) => c.packageOp?.manager === 'apk' && (c.packageOp.verb === 'update' || c.packageOp.verb === 'upgrade' ||
      (c.packageOp.verb === 'install' && !hasFlag(c, '--no-cache'))));
    const leftBehind = writers.filter((c) => !removedLater(commands, c.index, cacheDir) && !cacheCleanedLater(commands, c.index));
    if (leftBehind.length === 0) continue;
    // With an `apk update` in the RUN, only deleting the cache helps; otherwise --no-cache on each add.
    const hasUpdate = leftBehind.some((c) => c.packageOp?.verb !== 'install');
    let edits: TextEdit[];
    let title: string;
    if (hasUpdate) {
      const edit = appendCommandToRun(model, run, 'rm -rf /var/cache/apk/*');
      edits = edit ? [edit] : [];
      title = 'Delete /var/cache/apk/* in the same RUN';
    } else {
      edits = leftBehind.flatMap((c) => {
        const verb = verbWord(c, ['add']);
        return verb ? [insertAfterWord(verb, '--no-cache')] : [];
      });
      title = 'Add --no-cache to apk add';
    }
    const savings = layerPart(sizing, run.index, 'apk cache');
    const first = leftBehind[0];
    reports.push({
      messageId: 'cacheLeft',
      data: { verb: first.argv.find((w, i) => i > 0 && !w.value.startsWith('-'))?.value ?? 'add', size: savings && savings.bytes > 0 ? ` (~${formatBytes(savings.bytes)})` : '' },
      range: first.range,
      stageIndex: run.stageIndex,
      savings,
      fixes: edits.length ? [{ title, kind: 'quickfix', safe: true, preferred: true, edits }] : [],
    });
  }
  return reports;
}

function cacheCleanedLater(commands: ReturnType<typeof commandsOf>, index: number): boolean {
  return commands.some((c) => c.index > index && c.packageOp?.manager === 'apk' && c.packageOp.verb === 'cache-clean');
}

export const cases: Rule['cases'] = {
  valid: [
    'FROM alpine:3.21\nRUN apk add --no-cache curl',
    'FROM alpine:3.21\nRUN apk update && apk add curl && rm -rf /var/cache/apk/*',
    'FROM alpine:3.21\nRUN --mount=type=cache,target=/var/cache/apk apk add curl',
    { name: 'builder-only stage', code: 'FROM alpine:3.21 AS build\nRUN apk add build-base\nFROM alpine:3.21\nCOPY --from=build /out /out' },
  ],
  invalid: [
    {
      code: 'FROM alpine:3.21\nRUN apk add curl',
      output: 'FROM alpine:3.21\nRUN apk add --no-cache curl',
      errors: [{ messageId: 'cacheLeft', line: 1 }],
    },
    {
      name: 'apk update needs the cache deleted',
      code: 'FROM alpine:3.21\nRUN apk update && apk add --no-cache curl',
      output: 'FROM alpine:3.21\nRUN apk update && apk add --no-cache curl && rm -rf /var/cache/apk/*',
      errors: [{ messageId: 'cacheLeft', line: 1 }],
    },
    {
      name: 'virtual build deps',
      code: 'FROM alpine:3.21\nRUN apk add --virtual .build-deps gcc musl-dev \\\n && pip install x \\\n && apk del .build-deps',
      output: 'FROM alpine:3.21\nRUN apk add --no-cache --virtual .build-deps gcc musl-dev \\\n && pip install x \\\n && apk del .build-deps',
      errors: [{ messageId: 'cacheLeft', line: 1 }],
    },
  ],
};

export const rule: Rule = { meta, check, checkStage, cases };
