/**
 * pip keeps every downloaded wheel in ~/.cache/pip. In an image that cache is dead weight, often as big as
 * the packages themselves. `--no-cache-dir` (or PIP_NO_CACHE_DIR=1, or a cache mount) avoids it.
 */
import type { Rule, RuleMeta, RuleReport, RuleContext } from './types';
import { commandsOf, envIsTruthy, hasCacheMount, removedLater, reportsByStage, shippedRunsOf } from './lib/queries';
import { stageFacts } from './lib/stage-facts';
import { insertAfterWord, verbWord } from './lib/edits';
import { ruleDocsUrl } from './lib/docs-url';
import { hasFlag } from '../shell/package-managers';
import { layerPart } from '../sizing/lookup';
import { formatBytes } from '../sizing/figure';

/** `~/` lies in any home directory: /root, $HOME or /home/<user> (pip runs as whoever USER says). */
const cacheDir = '~/.cache/pip';

export const meta: RuleMeta = {
  id: 'pip-no-cache',
  type: 'size',
  defaultSeverity: 'warning',
  docs: { description: 'Run pip install with --no-cache-dir', url: ruleDocsUrl('pip-no-cache') },
  fixable: true,
  messages: {
    cacheLeft: "'pip install' keeps its download cache in this layer{{size}}: add --no-cache-dir.",
  },
  hadolint: ['DL3042'],
};

export function check(context: RuleContext): RuleReport[] {
  return reportsByStage(context, checkStage);
}

/** The reports about one stage's RUNs (see Rule.checkStage). */
export function checkStage({ model, sizing }: RuleContext, stageIndex: number): RuleReport[] {
  const facts = stageFacts(model);
  const reports: RuleReport[] = [];
  for (const run of shippedRunsOf(model, stageIndex)) {
    if (hasCacheMount(run, cacheDir)) continue;
    const env = facts.environmentAt(run);
    if (envIsTruthy(env, 'PIP_NO_CACHE_DIR') || /^(off|false|0)$/i.test(env.get('PIP_NO_CACHE_DIR') ?? '-')) continue;
    const commands = commandsOf(run);
    for (const command of commands) {
      const op = command.packageOp;
      if (op?.manager !== 'pip' || op.verb !== 'install' || command.argv.some((w) => w.value === 'download')) continue;
      if (hasFlag(command, '--no-cache-dir', '--no-cache')) continue;
      if (removedLater(commands, command.index, cacheDir) || purgedLater(commands, command.index)) continue;
      const verb = verbWord(command, ['install']);
      const savings = layerPart(sizing, run.index, 'pip cache');
      reports.push({
        messageId: 'cacheLeft',
        data: { size: savings && savings.bytes > 0 ? ` (~${formatBytes(savings.bytes)})` : '' },
        range: command.range,
        stageIndex: run.stageIndex,
        savings,
        fixes: verb ? [{ title: 'Add --no-cache-dir', kind: 'quickfix', safe: true, preferred: true, edits: [insertAfterWord(verb, '--no-cache-dir')] }] : [],
      });
    }
  }
  return reports;
}

function purgedLater(commands: ReturnType<typeof commandsOf>, index: number): boolean {
  return commands.some((c) => c.index > index && c.packageOp?.manager === 'pip' && c.packageOp.verb === 'cache-clean');
}

export const cases: Rule['cases'] = {
  valid: [
    'FROM python:3.12-slim\nRUN pip install --no-cache-dir flask',
    'FROM python:3.12-slim\nENV PIP_NO_CACHE_DIR=1\nRUN pip install flask',
    'FROM python:3.12-slim\nRUN --mount=type=cache,target=/root/.cache/pip pip install flask',
    'FROM python:3.12-slim\nRUN pip install flask && rm -rf /root/.cache/pip',
    'FROM python:3.12-slim\nRUN pip install flask && pip cache purge',
    { name: 'cache deleted through ~', code: 'FROM python:3.12-slim\nRUN pip install flask && rm -rf ~/.cache/pip' },
    { name: 'non-root user deletes its own cache', code: 'FROM python:3.12-slim\nUSER app\nRUN pip install --user flask && rm -rf /home/app/.cache/pip' },
    { name: 'cache mount on $HOME', code: 'FROM python:3.12-slim\nRUN --mount=type=cache,target=$HOME/.cache/pip pip install flask' },
    { name: 'builder-only stage', code: 'FROM python:3.12 AS build\nRUN pip install flask\nFROM python:3.12-slim\nCOPY --from=build /usr/local/lib/python3.12/site-packages /usr/local/lib/python3.12/site-packages' },
    'FROM python:3.12-slim\nRUN pip download flask -d /wheels',
  ],
  invalid: [
    {
      code: 'FROM python:3.12-slim\nRUN pip install -r requirements.txt',
      output: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir -r requirements.txt',
      errors: [{ messageId: 'cacheLeft', line: 1 }],
    },
    {
      name: 'python -m pip',
      code: 'FROM python:3.12-slim\nRUN python3 -m pip install --upgrade pip',
      output: 'FROM python:3.12-slim\nRUN python3 -m pip install --no-cache-dir --upgrade pip',
      errors: [{ messageId: 'cacheLeft', line: 1 }],
    },
    {
      name: 'cache removed in a later RUN does not count',
      code: 'FROM python:3.12-slim\nRUN pip3 install flask\nRUN rm -rf /root/.cache/pip',
      output: 'FROM python:3.12-slim\nRUN pip3 install --no-cache-dir flask\nRUN rm -rf /root/.cache/pip',
      errors: [{ messageId: 'cacheLeft', line: 1 }],
    },
  ],
};

export const rule: Rule = { meta, check, checkStage, cases };
