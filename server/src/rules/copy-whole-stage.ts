/**
 * A multi-stage build pays off because the final stage takes only the build's outputs. `COPY --from=build / /`
 * takes the builder's entire filesystem instead — compilers, caches and sources — and undoes the split.
 */
import type { Rule, RuleMeta, RuleReport, RuleContext } from './types';
import { instructionsOfStage, reportsByStage, stageLabel } from './lib/queries';
import { ruleDocsUrl } from './lib/docs-url';
import { sizeSuffix } from './lib/size-text';

export const meta: RuleMeta = {
  id: 'copy-whole-stage',
  type: 'size',
  defaultSeverity: 'warning',
  docs: { description: "Copy a stage's outputs, not its whole filesystem", url: ruleDocsUrl('copy-whole-stage') },
  fixable: false,
  messages: {
    wholeStage: "'COPY --from={{from}} {{source}}' copies the whole filesystem of stage {{stage}}{{size}}, its toolchain and caches included, which defeats the multi-stage split: copy only the build outputs (e.g. COPY --from={{from}} /app/dist /app/dist).",
  },
};

export function check(context: RuleContext): RuleReport[] {
  return reportsByStage(context, checkStage);
}

/** The reports about one stage's COPY --from instructions (see Rule.checkStage). */
export function checkStage({ model, sizing }: RuleContext, stageIndex: number): RuleReport[] {
  const reports: RuleReport[] = [];
  for (const copy of instructionsOfStage(model, stageIndex)) {
    const spec = copy.copy;
    if (!spec || spec.fromStage === null || copy.keyword !== 'COPY' || !model.shippedStageIndexes.has(copy.stageIndex)) continue;
    const source = spec.sources.find((s) => /^\/[.*]?$/.test(s.expanded));
    // A stage FROM scratch holds only what was copied into it: exporting it whole is the point.
    if (!source || model.stages[spec.fromStage]?.scratch) continue;
    const total = sizing.stages[spec.fromStage]?.total ?? null;
    reports.push({
      messageId: 'wholeStage',
      data: { from: spec.from ?? String(spec.fromStage), source: source.value, stage: stageLabel(model, spec.fromStage), size: sizeSuffix(total) },
      range: copy.range,
      stageIndex: copy.stageIndex,
      savings: total,
    });
  }
  return reports;
}

export const cases: Rule['cases'] = {
  valid: [
    'FROM golang:1.22 AS build\nRUN go build -o /out/app .\nFROM gcr.io/distroless/static\nCOPY --from=build /out/app /app',
    { name: 'exporting a scratch stage that holds only outputs', code: 'FROM golang:1.22 AS build\nRUN go build -o /out/app .\nFROM scratch AS artifacts\nCOPY --from=build /out/app /app\nFROM alpine:3.21\nCOPY --from=artifacts / /' },
    { name: 'copying a directory of the stage', code: 'FROM node:20 AS build\nRUN npm ci && npm run build\nFROM nginx:alpine\nCOPY --from=build /app/dist/ /usr/share/nginx/html/' },
    { name: 'from an image, not a stage', code: 'FROM alpine:3.21\nCOPY --from=busybox:stable /bin/busybox /bin/busybox' },
    { name: 'in a builder-only stage', code: 'FROM debian:bookworm AS a\nRUN echo a > /a\nFROM debian:bookworm AS b\nCOPY --from=a / /rootfs\nRUN tar -C /rootfs -czf /out.tgz .\nFROM alpine:3.21\nCOPY --from=b /out.tgz /out.tgz' },
  ],
  invalid: [
    {
      code: 'FROM golang:1.22 AS build\nRUN go build -o /usr/local/bin/app .\nFROM debian:bookworm-slim\nCOPY --from=build / /',
      output: null,
      errors: [{ messageId: 'wholeStage', line: 3, data: { from: 'build', source: '/', stage: "'build'", size: '' } }],
    },
    {
      name: 'into a directory, by stage index',
      code: 'FROM node:20\nRUN npm ci\nFROM node:20-slim\nCOPY --from=0 / /app',
      output: null,
      errors: [{ messageId: 'wholeStage', line: 3, data: { from: '0', stage: '#0' } }],
    },
    {
      name: 'in a stage the final stage is built FROM',
      code: 'FROM rust:1.80 AS build\nRUN cargo build --release\nFROM debian:bookworm-slim AS runtime\nCOPY --from=build /. /\nFROM runtime\nCMD ["app"]',
      output: null,
      errors: [{ messageId: 'wholeStage', line: 3, data: { source: '/.' } }],
    },
  ],
};

export const rule: Rule = { meta, check, checkStage, cases };
