/**
 * apt installs "Recommends" by default: often documentation tools, X libraries or language extras the
 * image never uses. `--no-install-recommends` keeps only what the packages need to work.
 * Dropping recommends can change behaviour, so the fix is offered, never applied by `--fix` on its own.
 */
import type { Rule, RuleMeta, RuleReport, RuleContext } from './types';
import { commandsOf, reportsByStage, shippedRunsOf } from './lib/queries';
import { insertAfterWord, verbWord } from './lib/edits';
import { ruleDocsUrl } from './lib/docs-url';
import { hasFlag, flagValue } from '../shell/package-managers';
import { layerPart } from '../sizing/lookup';
import { formatBytes } from '../sizing/figure';

export const meta: RuleMeta = {
  id: 'apt-no-install-recommends',
  type: 'size',
  defaultSeverity: 'warning',
  docs: { description: 'Install apt packages with --no-install-recommends', url: ruleDocsUrl('apt-no-install-recommends') },
  fixable: false,
  messages: {
    recommends: "'apt-get install' also installs recommended packages{{size}}: add --no-install-recommends and list what you really need.",
  },
  hadolint: ['DL3015'],
};

export function check(context: RuleContext): RuleReport[] {
  return reportsByStage(context, checkStage);
}

/** The reports about one stage's RUNs (see Rule.checkStage). */
export function checkStage({ model, sizing }: RuleContext, stageIndex: number): RuleReport[] {
  const reports: RuleReport[] = [];
  for (const run of shippedRunsOf(model, stageIndex)) {
    for (const command of commandsOf(run)) {
      const op = command.packageOp;
      if (op?.manager !== 'apt' || op.verb !== 'install' || command.argv.some((w) => w.value === 'build-dep')) continue;
      if (hasFlag(command, '--no-install-recommends') || disablesRecommendsByOption(command)) continue;
      const verb = verbWord(command, ['install', 'reinstall']);
      const savings = layerPart(sizing, run.index, 'recommended packages');
      reports.push({
        messageId: 'recommends',
        data: { size: savings && savings.bytes > 0 ? ` (~${formatBytes(savings.bytes)} more)` : '' },
        range: command.range,
        stageIndex: run.stageIndex,
        savings,
        fixes: verb ? [{ title: 'Add --no-install-recommends', kind: 'quickfix', safe: false, preferred: true, edits: [insertAfterWord(verb, '--no-install-recommends')] }] : [],
      });
    }
  }
  return reports;
}

function disablesRecommendsByOption(command: Parameters<typeof hasFlag>[0]): boolean {
  const option = flagValue(command, '-o') ?? flagValue(command, '--option');
  return option !== null && /^APT::Install-Recommends=(false|0|no)$/i.test(option);
}

export const cases: Rule['cases'] = {
  valid: [
    'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*',
    'FROM debian:bookworm-slim\nRUN apt-get install -y -o APT::Install-Recommends=false curl',
    { name: 'builder-only stage', code: 'FROM debian:bookworm AS build\nRUN apt-get install -y gcc\nFROM scratch\nCOPY --from=build /out /out' },
    { name: 'not an install', code: 'FROM debian:bookworm-slim\nRUN apt-get remove -y curl' },
  ],
  invalid: [
    {
      code: 'FROM debian:bookworm-slim\nRUN apt-get install -y curl',
      output: 'FROM debian:bookworm-slim\nRUN apt-get install --no-install-recommends -y curl',
      errors: [{ messageId: 'recommends', line: 1 }],
    },
    {
      name: 'each install command is reported',
      code: 'FROM debian:bookworm-slim\nRUN apt install -y curl \\\n && apt-get -y install git',
      output: 'FROM debian:bookworm-slim\nRUN apt install --no-install-recommends -y curl \\\n && apt-get -y install --no-install-recommends git',
      errors: [{ messageId: 'recommends', line: 1 }, { messageId: 'recommends', line: 2 }],
    },
    {
      name: 'sudo prefix',
      code: 'FROM debian:bookworm-slim\nRUN sudo apt-get install -y curl',
      output: 'FROM debian:bookworm-slim\nRUN sudo apt-get install --no-install-recommends -y curl',
      errors: [{ messageId: 'recommends', line: 1 }],
    },
  ],
};

export const rule: Rule = { meta, check, checkStage, cases };
