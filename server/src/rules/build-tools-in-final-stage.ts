/**
 * Compilers, headers and build systems are needed to build, not to run. Installed in the final image (or
 * inherited from a toolchain base image) they ship hundreds of MB and a larger attack surface.
 */
import type { Rule, RuleMeta, RuleReport, RuleContext } from './types';
import type { ShellCommand } from '../shell/types';
import type { ImageRef } from '../model/types';
import { commandsOf, finalStageChain, packageName, packagesRemovedLater, runsOfStages } from './lib/queries';
import { ruleDocsUrl } from './lib/docs-url';
import { sizeSuffix } from './lib/size-text';
import { layerPart } from '../sizing/lookup';

const aptTools = [/^build-essential$/, /^(gcc|g\+\+|clang|cpp)(-\d+)?$/, /^c?make$/, /-dev$/, /^golang(-|$)/, /^rustc$/, /^cargo$/, /^default-jdk(-headless)?$/,
  /^openjdk-\d+-jdk/, /^pkg-config$/, /^pkgconf$/, /^autoconf$/, /^automake$/, /^libtool$/];
const apkTools = [/^build-base$/, /^(gcc|g\+\+|clang)$/, /-dev$/, /^c?make$/, /^go$/, /^rust$/, /^cargo$/, /^openjdk\d*-jdk$/];
const rpmTools = [/^(gcc|gcc-c\+\+|clang)$/, /^c?make$/, /-devel$/, /^java-.*-devel$/, /^golang$/, /^rust$/, /^cargo$/];
const toolsByManager: Record<string, RegExp[]> = { apt: aptTools, apk: apkTools, dnf: rpmTools, yum: rpmTools, microdnf: rpmTools };

export const meta: RuleMeta = {
  id: 'build-tools-in-final-stage',
  type: 'size',
  defaultSeverity: 'warning',
  docs: { description: 'Keep compilers and dev packages out of the final image', url: ruleDocsUrl('build-tools-in-final-stage') },
  fixable: false,
  messages: {
    installed: "Build tools {{tools}} are installed into the final image{{size}} but are only needed to compile: build in a separate stage and COPY --from only the results (the 'split into build and runtime stages' refactoring), or remove them in this same RUN.",
    toolchainBase: "The final image is built FROM the toolchain image '{{image}}'{{size}}, compilers included: build in a stage FROM it and ship the result on a runtime or slim base.",
  },
};

export function check({ model, sizing }: RuleContext): RuleReport[] {
  const reports: RuleReport[] = [];
  const chain = finalStageChain(model);
  const root = model.stages[chain[0]];
  if (root && !root.scratch && root.baseStage === null && isToolchainImage(root.from)) {
    const base = sizing.stages[root.index]?.base.figure ?? null;
    reports.push({
      messageId: 'toolchainBase',
      data: { image: root.from.expanded, size: sizeSuffix(base) },
      range: root.from.range,
      stageIndex: root.index,
    });
  }
  for (const run of runsOfStages(model, chain)) {
    const commands = commandsOf(run);
    const tools = commands.flatMap((c) => toolsKept(commands, c));
    if (tools.length === 0) continue;
    const savings = layerPart(sizing, run.index, 'build tools');
    reports.push({
      messageId: 'installed',
      data: { tools: tools.join(', '), size: sizeSuffix(savings) },
      range: run.range,
      stageIndex: run.stageIndex,
      savings,
    });
  }
  return reports;
}

/** Build tools `install` puts in the layer and the same RUN does not remove again. */
function toolsKept(commands: readonly ShellCommand[], install: ShellCommand): string[] {
  const op = install.packageOp;
  const patterns = op?.verb === 'install' ? toolsByManager[op.manager] : undefined;
  if (!op || !patterns) return [];
  const removed = packagesRemovedLater(commands, install);
  return op.packages.map((p) => packageName(p.value)).filter((name) => patterns.some((re) => re.test(name)) && !removed.has(name));
}

function isToolchainImage(ref: ImageRef): boolean {
  const name = ref.repository.split('/').pop() ?? '';
  const tag = ref.tag ?? 'latest';
  if (['golang', 'rust', 'maven', 'gradle', 'gcc', 'buildpack-deps'].includes(name)) return true;
  if (name === 'openjdk') return !/jre/.test(tag);
  return name === 'eclipse-temurin' && /jdk/.test(tag);
}

export const cases: Rule['cases'] = {
  valid: [
    'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl ca-certificates && rm -rf /var/lib/apt/lists/*',
    { name: 'removed again in the same RUN', code: 'FROM python:3.12-slim\nRUN apt-get update && apt-get install -y gcc libpq-dev && pip install psycopg2 && apt-get purge -y gcc libpq-dev && rm -rf /var/lib/apt/lists/*' },
    { name: 'apk virtual group deleted in the same RUN', code: 'FROM alpine:3.21\nRUN apk add --no-cache --virtual .build-deps gcc musl-dev && make && apk del .build-deps' },
    { name: 'apt-mark auto then autoremove', code: 'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y gcc make && make -C /src && apt-mark auto gcc make && apt-get autoremove -y' },
    { name: 'builder stage', code: 'FROM golang:1.22 AS build\nRUN apt-get update && apt-get install -y gcc\nRUN go build -o /app .\nFROM gcr.io/distroless/static\nCOPY --from=build /app /app' },
    { name: 'node is not a toolchain image', code: 'FROM node:20-slim\nCMD ["node", "index.js"]' },
    { name: 'JRE base', code: 'FROM eclipse-temurin:21-jre\nCOPY app.jar /app.jar' },
    { name: 'heredoc install and purge', code: 'FROM debian:bookworm-slim\nRUN <<EOF\napt-get install -y build-essential\nmake\napt-get purge -y build-essential\nEOF' },
    { name: 'continuation with comment lines', code: 'FROM debian:bookworm-slim\nRUN apt-get install -y gcc \\\n  # compile, then drop the compiler\n  && make && apt-get remove -y gcc' },
  ],
  invalid: [
    {
      code: 'FROM python:3.12-slim\nRUN apt-get update && apt-get install -y gcc libpq-dev && rm -rf /var/lib/apt/lists/*',
      output: null,
      errors: [{ messageId: 'installed', line: 1, data: { tools: 'gcc, libpq-dev', size: '' } }],
    },
    {
      name: 'apk build-base',
      code: 'FROM alpine:3.21\nRUN apk add --no-cache build-base=0.5-r3 curl',
      output: null,
      errors: [{ messageId: 'installed', line: 1, data: { tools: 'build-base' } }],
    },
    {
      name: 'dnf devel packages',
      code: 'FROM fedora:40\nRUN dnf install -y gcc-c++ openssl-devel',
      output: null,
      errors: [{ messageId: 'installed', line: 1, data: { tools: 'gcc-c++, openssl-devel' } }],
    },
    {
      name: 'removed only in a later RUN',
      code: 'FROM debian:bookworm-slim\nRUN apt-get install -y make cmake\nRUN apt-get purge -y make cmake',
      output: null,
      errors: [{ messageId: 'installed', line: 1, data: { tools: 'make, cmake' } }],
    },
    {
      name: 'only some packages purged',
      code: 'FROM debian:bookworm-slim\nRUN apt-get install -y gcc g++ && apt-get purge -y gcc',
      output: null,
      errors: [{ messageId: 'installed', line: 1, data: { tools: 'g++' } }],
    },
    {
      name: 'bare autoremove does not remove explicitly installed packages',
      code: 'FROM debian:bookworm-slim\nRUN apt-get install -y build-essential && apt-get autoremove -y',
      output: null,
      errors: [{ messageId: 'installed', line: 1 }],
    },
    {
      name: 'toolchain base image of the final stage',
      code: 'FROM golang:1.22\nCOPY . .\nRUN go build -o /app .\nCMD ["/app"]',
      output: null,
      errors: [{ messageId: 'toolchainBase', line: 0, data: { image: 'golang:1.22' } }],
    },
    {
      name: 'in a stage the final stage is built FROM',
      code: 'FROM maven:3-eclipse-temurin-21 AS base\nRUN apt-get install -y pkg-config\nFROM base\nCMD ["java", "-jar", "app.jar"]',
      output: null,
      errors: [{ messageId: 'toolchainBase', line: 0 }, { messageId: 'installed', line: 1 }],
    },
    {
      name: 'ONBUILD trigger',
      code: 'FROM debian:bookworm-slim\nONBUILD RUN apt-get install -y gcc',
      output: null,
      errors: [{ messageId: 'installed', line: 1 }],
    },
  ],
};

export const rule: Rule = { meta, check, cases };
