/**
 * Docker reuses a layer only while everything before it is unchanged. `COPY . .` before the dependency
 * install ties the install to every source file: each edit re-downloads and re-installs all dependencies.
 * Copying the manifests first, installing, then copying the sources keeps the install cached.
 */
import type { Rule, RuleMeta, RuleReport, RuleContext, Fix } from './types';
import type { DockerfileModel, Instruction } from '../model/types';
import type { ShellCommand } from '../shell/types';
import { commandsOf, instructionsBefore, reportsByStage, resolvePath, workdirAt } from './lib/queries';
import { trimTrailingSlashes } from '../text/paths';
import { matchSegment } from '../text/glob';
import { deleteInstruction, insertLinesBefore, textOf } from './lib/edits';
import { ruleDocsUrl } from './lib/docs-url';

/** A dependency install, the manifests it reads, and what to copy before it (null: it needs the sources too). */
interface DependencyStep { tool: string; manifests: string[]; copy: string[] | null }

export const meta: RuleMeta = {
  id: 'copy-source-before-deps',
  type: 'practice',
  defaultSeverity: 'info',
  docs: { description: 'Copy dependency manifests and install before copying the sources', url: ruleDocsUrl('copy-source-before-deps') },
  fixable: false,
  messages: {
    sourceFirst: "'{{copy}}' copies all sources before '{{install}}' (line {{line}}), and {{manifests}} are not copied on their own first: every source edit re-runs the whole {{tool}} install. Copy the manifests, install, then copy the rest.",
  },
};

export function check(context: RuleContext): RuleReport[] {
  return reportsByStage(context, checkStage);
}

/** The reports about one stage's whole-context COPY (see Rule.checkStage). */
export function checkStage({ model }: RuleContext, stageIndex: number): RuleReport[] {
  const reports: RuleReport[] = [];
  const stage = model.stages[stageIndex];
  if (stage) {
    const instructions = stage.instructions.filter((i) => !i.onbuild);
    for (const whole of instructions.filter(copiesWholeContext)) {
      const install = instructions
        .filter((i) => i.index > whole.index && i.keyword === 'RUN' && !(i.mounts ?? []).some((m) => m.type === 'bind' && m.from === null))
        .flatMap((run) => commandsOf(run).map((command) => ({ run, command, step: dependencyStep(command) })))
        .find(({ step }) => step !== null && !manifestsCopiedBefore(model, whole, step));
      if (!install?.step) continue;
      const { run, command, step } = install;
      reports.push({
        messageId: 'sourceFirst',
        data: {
          copy: textOf(model, whole.range).split(/\r?\n/)[0],
          install: command.argv.slice(0, 2).map((w) => w.value).join(' '),
          line: run.range.start.line + 1,
          manifests: step.manifests.join(', '),
          tool: step.tool,
        },
        range: whole.range,
        stageIndex: stage.index,
        fixes: installFirst(model, whole, run, step),
      });
    }
  }
  return reports;
}

/** `COPY . .`, `COPY ./ /app`, `ADD . /srv`: the whole build context. */
function copiesWholeContext(instruction: Instruction): boolean {
  const copy = instruction.copy;
  return (instruction.keyword === 'COPY' || instruction.keyword === 'ADD') && !!copy && copy.from === null && instruction.heredocs.length === 0 &&
    copy.sources.some((s) => /^\.\/?$/.test(s.expanded));
}

function dependencyStep(command: ShellCommand): DependencyStep | null {
  const op = command.packageOp;
  const verb = command.argv[1]?.value;
  if (!op) return null;
  const lockAnd = (manifest: string, lock: string) => ({ manifests: [manifest, lock], copy: [manifest, `${lock}*`] });
  switch (op.manager) {
    case 'npm':
      return op.verb === 'install' && op.packages.length === 0 ? { tool: 'npm', manifests: ['package.json', 'package-lock.json'], copy: ['package*.json'] } : null;
    case 'yarn':
      return op.verb === 'install' && op.packages.length === 0 ? { tool: 'yarn', ...lockAnd('package.json', 'yarn.lock') } : null;
    case 'pnpm':
      return op.verb === 'install' && op.packages.length === 0 ? { tool: 'pnpm', ...lockAnd('package.json', 'pnpm-lock.yaml') } : null;
    case 'pip': {
      const files = command.argv.flatMap((w, i) => (w.value === '-r' || w.value === '--requirement' ? [command.argv[i + 1]?.value ?? ''] : w.value.startsWith('--requirement=') ? [w.value.slice(14)] : []));
      if (op.verb !== 'install' || files.length === 0) return null;
      const copyable = files.every((f) => f && !f.startsWith('/') && !f.includes('..') && !/[$`]/.test(f));
      return { tool: 'pip', manifests: files, copy: copyable ? files : null };
    }
    case 'poetry':
      return op.verb === 'install' ? { tool: 'poetry', ...lockAnd('pyproject.toml', 'poetry.lock') } : null;
    case 'bundle':
      return op.verb === 'install' ? { tool: 'bundle', ...lockAnd('Gemfile', 'Gemfile.lock') } : null;
    case 'composer':
      return verb === 'install' ? { tool: 'composer', ...lockAnd('composer.json', 'composer.lock') } : null;
    case 'go':
      return verb === 'mod' && op.verb === 'install' ? { tool: 'go', ...lockAnd('go.mod', 'go.sum') } : null;
    case 'cargo':
      // `cargo build` compiles the sources too: reported, but it cannot simply move above them.
      if (verb === 'fetch') return { tool: 'cargo', ...lockAnd('Cargo.toml', 'Cargo.lock') };
      return op.verb === 'build' ? { tool: 'cargo', manifests: ['Cargo.toml', 'Cargo.lock'], copy: null } : null;
    case 'mvn':
      if (op.verb === 'install') return { tool: 'maven', manifests: ['pom.xml'], copy: ['pom.xml'] };
      return op.verb === 'build' ? { tool: 'maven', manifests: ['pom.xml'], copy: null } : null;
    case 'gradle':
      return { tool: 'gradle', manifests: ['build.gradle', 'build.gradle.kts', 'settings.gradle', 'settings.gradle.kts'], copy: null };
    default:
      return null;
  }
}

/** An earlier COPY of the stage chain whose sources include one of the step's manifests (globs allowed). */
function manifestsCopiedBefore(model: DockerfileModel, whole: Instruction, step: DependencyStep): boolean {
  const names = step.manifests.map((m) => m.split('/').pop() ?? m);
  return instructionsBefore(model, whole).some((i) => (i.keyword === 'COPY' || i.keyword === 'ADD') && (i.copy?.sources ?? []).some((s) => {
    const glob = trimTrailingSlashes(s.expanded).split('/').pop() ?? '';
    // Docker's filepath.Match, without RegExp: `.*` per star backtracked on `*a*a*a…b`, and `[z-a]` threw.
    return names.some((n) => matchSegment(glob, n));
  }));
}

/**
 * Inserts `COPY <manifests> <dest>/` and the install RUN before the whole-context COPY, and deletes the later
 * RUN. Only when the RUN is just the install, runs where the sources land, and nothing between changes its
 * environment.
 */
function installFirst(model: DockerfileModel, whole: Instruction, run: Instruction, step: DependencyStep): Fix[] {
  const destination = whole.copy?.destination;
  if (!step.copy || !destination || commandsOf(run).length !== 1 || run.heredocs.length > 0) return [];
  const between = model.instructions.filter((i) => i.index > whole.index && i.index < run.index);
  if (between.some((i) => ['WORKDIR', 'ENV', 'ARG', 'USER', 'SHELL'].includes(i.keyword))) return [];
  if (resolvePath(workdirAt(model, whole), destination.expanded) !== workdirAt(model, run)) return [];
  const flags = whole.flags.filter((f) => ['chown', 'chmod', 'link'].includes(f.name)).map((f) => textOf(model, f.range) + ' ').join('');
  const target = destination.value.endsWith('/') ? destination.value : `${destination.value}/`;
  const copyManifests = `COPY ${flags}${step.copy.join(' ')} ${target}`;
  return [{
    title: `Copy ${step.copy.join(' ')} and install before copying the sources`,
    kind: 'refactor',
    safe: false,
    edits: [insertLinesBefore(model, whole, [copyManifests, textOf(model, run.range)]), deleteInstruction(model, run)],
  }];
}

export const cases: Rule['cases'] = {
  valid: [
    'FROM node:20-slim\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .',
    'FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .',
    { name: 'install before the copy', code: 'FROM golang:1.22\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\nRUN go build -o /app .' },
    { name: 'no dependency install after the copy', code: 'FROM nginx:alpine\nCOPY . /usr/share/nginx/html' },
    { name: 'installing a named package is not the project install', code: 'FROM node:20-slim\nCOPY . .\nRUN npm install -g serve' },
    { name: 'sources copied from another stage', code: 'FROM node:20 AS build\nWORKDIR /app\nCOPY package.json yarn.lock ./\nRUN yarn install\nFROM node:20-slim\nCOPY --from=build /app .\nRUN npm ci --omit=dev' },
    { name: 'manifests bind-mounted for the install', code: 'FROM node:20-slim\nCOPY . .\nRUN --mount=type=bind,source=package.json,target=package.json npm ci' },
    { name: 'install in a heredoc after the manifests', code: 'FROM python:3.12-slim\nCOPY pyproject.toml poetry.lock ./\nRUN <<EOF\npoetry install --no-root\nEOF\nCOPY . .' },
    { name: 'continuation with comment lines before the copy', code: 'FROM ruby:3.3\nCOPY Gemfile Gemfile.lock ./\nRUN bundle config set deployment true \\\n  # then install\n  && bundle install\nCOPY . .' },
  ],
  invalid: [
    {
      code: 'FROM node:20-slim\nWORKDIR /app\nCOPY . .\nRUN npm ci --omit=dev\nCMD ["node", "index.js"]',
      output: 'FROM node:20-slim\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci --omit=dev\nCOPY . .\nCMD ["node", "index.js"]',
      errors: [{ messageId: 'sourceFirst', line: 2, data: { copy: 'COPY . .', install: 'npm ci', line: 4, tool: 'npm' } }],
    },
    {
      name: 'pip requirements, destination and chown kept',
      code: 'FROM python:3.12-slim\nWORKDIR /srv\nCOPY --chown=app:app . /srv\nRUN pip install --no-cache-dir -r requirements/prod.txt',
      output: 'FROM python:3.12-slim\nWORKDIR /srv\nCOPY --chown=app:app requirements/prod.txt /srv/\nRUN pip install --no-cache-dir -r requirements/prod.txt\nCOPY --chown=app:app . /srv',
      errors: [{ messageId: 'sourceFirst', line: 2, data: { manifests: 'requirements/prod.txt' } }],
    },
    {
      name: 'multi-line install RUN moves whole',
      code: 'FROM node:20-slim\nCOPY . .\nRUN yarn install \\\n    --frozen-lockfile\nCMD ["node", "."]',
      output: 'FROM node:20-slim\nCOPY package.json yarn.lock* ./\nRUN yarn install \\\n    --frozen-lockfile\nCOPY . .\nCMD ["node", "."]',
      errors: [{ messageId: 'sourceFirst', line: 1, data: { tool: 'yarn' } }],
    },
    {
      name: 'go mod download',
      code: 'FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\nRUN go mod download\nRUN go build -o /app .',
      output: 'FROM golang:1.22 AS build\nWORKDIR /src\nCOPY go.mod go.sum* ./\nRUN go mod download\nCOPY . .\nRUN go build -o /app .',
      errors: [{ messageId: 'sourceFirst', line: 2 }],
    },
    {
      name: 'install with other commands in the RUN: reported, no fix',
      code: 'FROM node:20-slim\nCOPY . .\nRUN npm ci && npm cache clean --force',
      output: null,
      errors: [{ messageId: 'sourceFirst', line: 1 }],
    },
    {
      name: 'WORKDIR between the copy and the install: no fix',
      code: 'FROM node:20-slim\nCOPY . /app\nWORKDIR /app\nRUN npm ci',
      output: null,
      errors: [{ messageId: 'sourceFirst', line: 1 }],
    },
    {
      name: 'cargo build compiles the sources: reported, no fix',
      code: 'FROM rust:1.80 AS build\nCOPY . .\nRUN cargo build --release',
      output: null,
      errors: [{ messageId: 'sourceFirst', line: 1, data: { tool: 'cargo' } }],
    },
    {
      name: 'an unrelated manifest copied earlier does not count',
      code: 'FROM python:3.12-slim\nCOPY setup.cfg ./\nCOPY . .\nRUN pip install -r requirements.txt',
      output: 'FROM python:3.12-slim\nCOPY setup.cfg ./\nCOPY requirements.txt ./\nRUN pip install -r requirements.txt\nCOPY . .',
      errors: [{ messageId: 'sourceFirst', line: 2 }],
    },
  ],
};

export const rule: Rule = { meta, check, checkStage, cases };
