/**
 * `scratch` and distroless static/base images have no shell and no interpreters. A shell-form CMD runs
 * `/bin/sh -c`, and `python`, `node` or `java` must be in the image: the container fails at start with
 * "no such file or directory", after a build that looked fine.
 */
import type { Rule, RuleMeta, RuleReport, RuleContext, Fix } from './types';
import type { DockerfileModel, ImageRef } from '../model/types';
import { stageChain } from './lib/queries';
import { ruleDocsUrl } from './lib/docs-url';
import { execFormLine, interpreterOf, plainExecArgv, startInstructions, type StartInstruction } from './lib/start-command';

type Interpreter = NonNullable<ReturnType<typeof interpreterOf>>;

/** A small official image that has the interpreter. */
const baseFor: Record<Interpreter, string> = {
  sh: 'debian:bookworm-slim', python: 'python:3.12-slim', node: 'node:22-slim', java: 'eclipse-temurin:21-jre',
  ruby: 'ruby:3.3-slim', php: 'php:8.3-cli', perl: 'perl:5-slim',
};

export const meta: RuleMeta = {
  id: 'scratch-with-interpreter',
  type: 'correctness',
  defaultSeverity: 'error',
  docs: { description: 'A scratch or distroless final image cannot run a shell-form command or an interpreter', url: ruleDocsUrl('scratch-with-interpreter') },
  fixable: false,
  messages: {
    needsShell: "{{keyword}} is in shell form, so it runs '/bin/sh -c', but {{image}} has no shell: the container cannot start.",
    needsInterpreter: "{{keyword}} runs {{program}}, but {{image}} has no {{interpreter}}: the container cannot start.",
  },
};

export function check({ model }: RuleContext): RuleReport[] {
  const finalStage = model.finalStageIndex;
  if (finalStage === null) return [];
  const chain = stageChain(model, finalStage);
  const root = model.stages[chain[0]];
  if (!root || root.baseStage !== null || !(root.scratch || isShellLessDistroless(root.from))) return [];
  const image = root.scratch ? 'scratch' : root.from.expanded;
  const reports: RuleReport[] = [];
  for (const start of startInstructions(model, finalStage)) {
    const keyword = start.instruction.keyword;
    const interpreter = start.shellForm ? 'sh' : interpreterOf(start.argv[0] ?? '');
    if (!interpreter || copiesProgramIn(model, chain, start.shellForm ? 'sh' : start.argv[0])) continue;
    const baseFix: Fix = {
      title: `Run on ${baseFor[interpreter]}, which has ${interpreter === 'sh' ? 'a shell' : interpreter}`,
      kind: 'quickfix', safe: false, edits: [{ range: root.from.range, newText: baseFor[interpreter] }],
    };
    const execArgv = start.shellForm ? plainExecArgv(start) : null;
    const execFix: Fix[] = execArgv && interpreterOf(execArgv[0]) === null
      ? [{ title: `Write ${keyword} in exec form (${execFormLine(keyword, execArgv)})`, kind: 'quickfix', safe: false, preferred: true, edits: [{ range: start.instruction.range, newText: execFormLine(keyword, execArgv) }] }]
      : [];
    reports.push({
      messageId: start.shellForm ? 'needsShell' : 'needsInterpreter',
      data: { keyword, image, program: start.argv[0] ?? '', interpreter: interpreter === 'sh' ? 'shell' : interpreter },
      range: start.instruction.range,
      stageIndex: finalStage,
      fixes: [...execFix, baseFix],
    });
  }
  return reports;
}

/** distroless static/base images (not the :debug tags, which carry busybox). */
function isShellLessDistroless(ref: ImageRef): boolean {
  return /^gcr\.io\/distroless\/(static|base)/.test(ref.expanded) && !/debug/.test(ref.tag ?? '');
}

/** True when the stage chain COPYs the program (or a shell, for shell form) into the image itself. */
function copiesProgramIn(model: DockerfileModel, chain: readonly number[], program: string): boolean {
  const name = program.split('/').pop() ?? program;
  return chain.some((s) => model.stages[s].instructions.some((i) => (i.keyword === 'COPY' || i.keyword === 'ADD') &&
    [...(i.copy?.sources ?? []), ...(i.copy?.destination ? [i.copy.destination] : [])].some((a) => a.value.split('/').filter(Boolean).pop() === name || /busybox/.test(a.value))));
}

export const cases: Rule['cases'] = {
  valid: [
    { name: 'exec form binary', code: 'FROM scratch\nCOPY app /app\nENTRYPOINT ["/app"]' },
    { name: 'distroless python image has python', code: 'FROM gcr.io/distroless/python3-debian12\nCOPY app.py /app.py\nCMD ["python3", "/app.py"]' },
    { name: 'debug tag has busybox', code: 'FROM gcr.io/distroless/static-debian12:debug\nCMD echo hi' },
    { name: 'busybox copied in', code: 'FROM busybox:1.36 AS bb\nFROM scratch\nCOPY --from=bb /bin/busybox /bin/sh\nCMD echo hi' },
    { name: 'not the final stage', code: 'FROM scratch AS files\nCMD echo hi\nFROM debian:bookworm-slim\nCMD echo hi' },
    { name: 'slim base has a shell', code: 'FROM debian:bookworm-slim\nCMD echo hi' },
  ],
  invalid: [
    {
      name: 'shell form on scratch: exec form first',
      code: 'FROM scratch\nCOPY server /server\nCMD /server --port 8080',
      output: 'FROM scratch\nCOPY server /server\nCMD ["/server", "--port", "8080"]',
      errors: [{ messageId: 'needsShell', line: 2, data: { image: 'scratch' } }],
    },
    {
      name: 'shell features need the base fix',
      code: 'FROM scratch\nCOPY server /server\nCMD /server --port $PORT',
      output: 'FROM debian:bookworm-slim\nCOPY server /server\nCMD /server --port $PORT',
      errors: [{ messageId: 'needsShell', line: 2 }],
    },
    {
      name: 'python on distroless static',
      code: 'FROM python:3.12 AS build\nRUN pip install --target /deps flask\nFROM gcr.io/distroless/static-debian12\nCOPY --from=build /deps /deps\nCMD ["python", "-m", "flask", "run"]',
      output: 'FROM python:3.12 AS build\nRUN pip install --target /deps flask\nFROM python:3.12-slim\nCOPY --from=build /deps /deps\nCMD ["python", "-m", "flask", "run"]',
      errors: [{ messageId: 'needsInterpreter', line: 4, data: { interpreter: 'python', program: 'python' } }],
    },
    {
      name: 'node entrypoint on scratch',
      code: 'FROM scratch\nCOPY dist /app\nENTRYPOINT ["node", "/app/index.js"]',
      output: 'FROM node:22-slim\nCOPY dist /app\nENTRYPOINT ["node", "/app/index.js"]',
      errors: [{ messageId: 'needsInterpreter', line: 2, data: { interpreter: 'node' } }],
    },
    {
      name: 'sh -c in exec form on distroless base',
      code: 'FROM gcr.io/distroless/base-debian12\nCOPY app /app\nENTRYPOINT ["/bin/sh", "-c", "/app"]',
      output: 'FROM debian:bookworm-slim\nCOPY app /app\nENTRYPOINT ["/bin/sh", "-c", "/app"]',
      errors: [{ messageId: 'needsInterpreter', line: 2, data: { interpreter: 'shell' } }],
    },
    {
      name: 'java jar on scratch',
      code: 'FROM scratch\nCOPY app.jar /app.jar\nCMD ["java", "-jar", "/app.jar"]',
      output: 'FROM eclipse-temurin:21-jre\nCOPY app.jar /app.jar\nCMD ["java", "-jar", "/app.jar"]',
      errors: [{ messageId: 'needsInterpreter', line: 2, data: { interpreter: 'java' } }],
    },
  ],
};

export const rule: Rule = { meta, check, cases };
