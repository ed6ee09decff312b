/**
 * Without a USER instruction a container runs as root. Not a size problem, but the cheapest hardening
 * there is: a process that cannot write its own binaries or /etc limits what an exploit can do.
 */
import type { Rule, RuleMeta, RuleReport, RuleContext, Fix } from './types';
import type { DockerfileModel } from '../model/types';
import { isRootUser, stageLabel, userAtEnd } from './lib/queries';
import { insertAt, insertLinesBefore } from './lib/edits';
import { ruleDocsUrl } from './lib/docs-url';
import { lineBreakOf } from '../text/edits';

/** The uid distroless and Chainguard use for `nonroot`; numeric, so it needs no /etc/passwd entry. */
const nonRootUser = '65532:65532';

export const meta: RuleMeta = {
  id: 'runs-as-root',
  type: 'security',
  defaultSeverity: 'info',
  docs: { description: 'Run the final image as a non-root user', url: ruleDocsUrl('runs-as-root') },
  fixable: false,
  messages: {
    noUser: 'The image runs as root: no USER in the final stage {{stage}} or the stages it is built FROM. Add a USER with a non-root uid before CMD/ENTRYPOINT.',
    rootUser: "The image runs as root: the last USER (line {{line}}) is '{{user}}'. Switch to a non-root uid before CMD/ENTRYPOINT.",
  },
  hadolint: ['DL3002'],
};

export function check({ model }: RuleContext): RuleReport[] {
  const final = model.finalStageIndex;
  if (final === null) return [];
  const stage = model.stages[final];
  // Images made to run unprivileged say so in their tag (distroless `:nonroot`, `:nonroot-…`).
  if (/nonroot/.test(stage.from.tag ?? '')) return [];
  const last = userAtEnd(model, final);
  if (last && !isRootUser(last.user)) return [];
  return [{
    messageId: last ? 'rootUser' : 'noUser',
    data: last ? { line: last.instruction.range.start.line + 1, user: last.user } : { stage: stageLabel(model, final) },
    range: stage.fromInstruction.range,
    stageIndex: final,
    fixes: [addUser(model, final)],
  }];
}

/** `USER 65532:65532` before the stage's first CMD/ENTRYPOINT after its last RUN, else at the end of the stage. */
function addUser(model: DockerfileModel, stageIndex: number): Fix {
  const instructions = model.stages[stageIndex].instructions.filter((i) => !i.onbuild);
  const lastRun = Math.max(-1, ...instructions.filter((i) => i.keyword === 'RUN').map((i) => i.index));
  const start = instructions.find((i) => i.index > lastRun && (i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT'));
  const last = instructions[instructions.length - 1] ?? model.stages[stageIndex].fromInstruction;
  const edit = start ? insertLinesBefore(model, start, [`USER ${nonRootUser}`]) : insertAt(last.range.end, `${lineBreakOf(model.text)}USER ${nonRootUser}`);
  return { title: `Run as a non-root user (USER ${nonRootUser})`, kind: 'quickfix', safe: false, edits: [edit] };
}

export const cases: Rule['cases'] = {
  valid: [
    'FROM node:20-slim\nUSER node\nCMD ["node", "index.js"]',
    'FROM debian:bookworm-slim\nRUN useradd -r app\nUSER app:app\nCMD ["app"]',
    { name: 'USER in the stage the final stage is built FROM', code: 'FROM debian:bookworm-slim AS base\nUSER 1000\nFROM base\nCMD ["app"]' },
    { name: 'root in a builder stage does not matter', code: 'FROM golang:1.22 AS build\nUSER root\nRUN go build -o /app .\nFROM gcr.io/distroless/static\nCOPY --from=build /app /app\nUSER 65532:65532' },
    { name: 'base image tag says nonroot', code: 'FROM gcr.io/distroless/static-debian12:nonroot\nCOPY app /app\nENTRYPOINT ["/app"]' },
    { name: 'user from an argument', code: 'FROM debian:bookworm-slim\nARG APP_UID=1000\nUSER ${APP_UID}\nCMD ["app"]' },
  ],
  invalid: [
    {
      name: 'USER inserted before CMD',
      code: 'FROM python:3.12-slim\nCOPY . /app\nRUN pip install --no-cache-dir -r /app/requirements.txt\nCMD ["python", "/app/main.py"]',
      output: 'FROM python:3.12-slim\nCOPY . /app\nRUN pip install --no-cache-dir -r /app/requirements.txt\nUSER 65532:65532\nCMD ["python", "/app/main.py"]',
      errors: [{ messageId: 'noUser', line: 0 }],
    },
    {
      name: 'USER root at the end',
      code: 'FROM node:20-slim\nUSER node\nRUN npm ci\nUSER root\nENTRYPOINT ["node"]\nCMD ["index.js"]',
      output: 'FROM node:20-slim\nUSER node\nRUN npm ci\nUSER root\nUSER 65532:65532\nENTRYPOINT ["node"]\nCMD ["index.js"]',
      errors: [{ messageId: 'rootUser', line: 0, data: { line: 4, user: 'root' } }],
    },
    {
      name: 'USER 0:0 counts as root',
      code: 'FROM debian:bookworm-slim\nUSER 0:0',
      output: 'FROM debian:bookworm-slim\nUSER 0:0\nUSER 65532:65532',
      errors: [{ messageId: 'rootUser', line: 0, data: { user: '0:0' } }],
    },
    {
      name: 'scratch with a static binary still runs as uid 0',
      code: 'FROM golang:1.22 AS build\nRUN CGO_ENABLED=0 go build -o /app .\nFROM scratch AS runtime\nCOPY --from=build /app /app\nENTRYPOINT ["/app"]\n',
      output: 'FROM golang:1.22 AS build\nRUN CGO_ENABLED=0 go build -o /app .\nFROM scratch AS runtime\nCOPY --from=build /app /app\nUSER 65532:65532\nENTRYPOINT ["/app"]\n',
      errors: [{ messageId: 'noUser', line: 2, data: { stage: "'runtime'" } }],
    },
    {
      name: 'no CMD: appended at the end of the stage',
      code: 'FROM debian:bookworm-slim\nRUN echo hi\n',
      output: 'FROM debian:bookworm-slim\nRUN echo hi\nUSER 65532:65532\n',
      errors: [{ messageId: 'noUser', line: 0 }],
    },
    {
      name: 'a USER in ONBUILD applies downstream only',
      code: 'FROM debian:bookworm-slim\nONBUILD USER app\nCMD ["bash"]',
      output: 'FROM debian:bookworm-slim\nONBUILD USER app\nUSER 65532:65532\nCMD ["bash"]',
      errors: [{ messageId: 'noUser', line: 0 }],
    },
  ],
};

export const rule: Rule = { meta, check, cases };
