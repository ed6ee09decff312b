/**
 * `apt-get update` downloads package lists into /var/lib/apt/lists. Unless the same RUN deletes them,
 * they are frozen into that layer for good: deleting them in a later RUN saves nothing.
 */
import type { Rule, RuleMeta, RuleReport, RuleContext } from './types';
import { commandsOf, hasCacheMount, removedLater, reportsByStage, shippedRunsOf } from './lib/queries';
import { appendCommandToRun } from './lib/edits';
import { ruleDocsUrl } from './lib/docs-url';
import { layerPart } from '../sizing/lookup';

const listsPath = '/var/lib/apt/lists';

export const meta: RuleMeta = {
  id: 'apt-lists-not-cleaned',
  type: 'size',
  defaultSeverity: 'warning',
  docs: { description: 'Remove apt package lists in the RUN that downloaded them', url: ruleDocsUrl('apt-lists-not-cleaned') },
  fixable: true,
  messages: {
    listsLeft: "apt package lists from 'apt-get update' stay in this layer{{size}}: delete /var/lib/apt/lists/* in the same RUN (a later RUN cannot shrink this layer).",
  },
  hadolint: ['DL3009'],
};

export function check(context: RuleContext): RuleReport[] {
  return reportsByStage(context, checkStage);
}

/** The reports about one stage's RUNs (see Rule.checkStage). */
export function checkStage({ model, sizing }: RuleContext, stageIndex: number): RuleReport[] {
  const reports: RuleReport[] = [];
  for (const run of shippedRunsOf(model, stageIndex)) {
    if (hasCacheMount(run, listsPath)) continue;
    const commands = commandsOf(run);
    const update = commands.find((c) => c.packageOp?.manager === 'apt' && c.packageOp.verb === 'update');
    if (!update || removedLater(commands, update.index, listsPath)) continue;
    const savings = layerPart(sizing, run.index, 'apt lists');
    const fix = appendCommandToRun(model, run, 'rm -rf /var/lib/apt/lists/*');
    reports.push({
      messageId: 'listsLeft',
      data: { size: savings ? ` (~${(savings.bytes / 1e6).toFixed(0)} MB)` : '' },
      range: run.range,
      stageIndex: run.stageIndex,
      savings,
      fixes: fix ? [{ title: 'Remove apt lists in the same RUN (rm -rf /var/lib/apt/lists/*)', kind: 'quickfix', safe: true, preferred: true, edits: [fix] }] : [],
    });
  }
  return reports;
}

export const cases: Rule['cases'] = {
  valid: [
    'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*',
    'FROM debian:bookworm-slim\nRUN apt-get update; apt-get install -y curl; rm -rf /var/lib/apt/lists/',
    { name: 'cache mount keeps lists out of the layer', code: 'FROM debian:bookworm-slim\nRUN --mount=type=cache,target=/var/lib/apt/lists apt-get update && apt-get install -y curl' },
    { name: 'builder stage only used through COPY --from', code: 'FROM debian:bookworm AS build\nRUN apt-get update && apt-get install -y gcc\nFROM debian:bookworm-slim\nCOPY --from=build /usr/bin/gcc /usr/bin/gcc' },
    { name: 'heredoc script cleans up', code: 'FROM debian:bookworm-slim\nRUN <<EOF\napt-get update\napt-get install -y curl\nrm -rf /var/lib/apt/lists/*\nEOF' },
    { name: 'continuation with comment lines', code: 'FROM debian:bookworm-slim\nRUN apt-get update \\\n  # tools\n  && apt-get install -y curl \\\n  && rm -rf /var/lib/apt/lists/*' },
    { name: 'install without update writes no lists', code: 'FROM debian:bookworm-slim\nRUN apt-get install -y ./local.deb' },
    { name: 'exec form is not a shell', code: 'FROM debian:bookworm-slim\nRUN ["apt-get", "update"]' },
  ],
  invalid: [
    {
      code: 'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl',
      output: 'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*',
      errors: [{ messageId: 'listsLeft', line: 1 }],
    },
    {
      name: 'cleanup only in a later layer',
      code: 'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl\nRUN rm -rf /var/lib/apt/lists/*',
      output: 'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\nRUN rm -rf /var/lib/apt/lists/*',
      errors: [{ messageId: 'listsLeft', line: 1 }],
    },
    {
      name: 'multi-line with leading && keeps the style',
      code: 'FROM debian:bookworm-slim\nRUN apt-get update \\\n    && apt-get install -y --no-install-recommends curl',
      output: 'FROM debian:bookworm-slim\nRUN apt-get update \\\n    && apt-get install -y --no-install-recommends curl \\\n    && rm -rf /var/lib/apt/lists/*',
      errors: [{ messageId: 'listsLeft', line: 1 }],
    },
    {
      name: 'multi-line with trailing && keeps the style',
      code: 'FROM debian:bookworm-slim\nRUN apt-get update && \\\n    apt-get install -y curl',
      output: 'FROM debian:bookworm-slim\nRUN apt-get update && \\\n    apt-get install -y curl && \\\n    rm -rf /var/lib/apt/lists/*',
      errors: [{ messageId: 'listsLeft', line: 1 }],
    },
    {
      name: 'heredoc gets a new line before its delimiter',
      code: 'FROM debian:bookworm-slim\nRUN <<EOF\napt-get update\napt-get install -y curl\nEOF',
      output: 'FROM debian:bookworm-slim\nRUN <<EOF\napt-get update\napt-get install -y curl\nrm -rf /var/lib/apt/lists/*\nEOF',
      errors: [{ messageId: 'listsLeft', line: 1 }],
    },
    {
      name: 'cleanup that only runs when the install fails does not count',
      code: 'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl || rm -rf /var/lib/apt/lists/*',
      output: 'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl || rm -rf /var/lib/apt/lists/* && rm -rf /var/lib/apt/lists/*',
      errors: [{ messageId: 'listsLeft', line: 1 }],
    },
    {
      name: 'ONBUILD trigger runs in downstream images',
      code: 'FROM debian:bookworm-slim\nONBUILD RUN apt-get update && apt-get install -y curl',
      output: 'FROM debian:bookworm-slim\nONBUILD RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*',
      errors: [{ messageId: 'listsLeft', line: 1 }],
    },
    {
      name: 'CRLF line endings are kept',
      code: 'FROM debian:bookworm-slim\r\nRUN apt-get update \\\r\n  && apt-get install -y curl\r\n',
      output: 'FROM debian:bookworm-slim\r\nRUN apt-get update \\\r\n  && apt-get install -y curl \\\r\n  && rm -rf /var/lib/apt/lists/*\r\n',
      errors: [{ messageId: 'listsLeft', line: 1 }],
    },
  ],
};

export const rule: Rule = { meta, check, checkStage, cases };
