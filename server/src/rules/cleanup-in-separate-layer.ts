/**
 * Layers only add: a RUN that deletes files an earlier layer wrote hides them, but the earlier layer still
 * carries every byte. A RUN that does nothing but clean up after an earlier RUN, COPY or ADD saves nothing.
 */
import type { Rule, RuleMeta, RuleReport, RuleContext, Fix } from './types';
import type { DockerfileModel, Instruction } from '../model/types';
import type { PackageManager, ShellCommand } from '../shell/types';
import { commandsOf, hasCacheMount, instructionsBefore, isUnder, packageName, reportsByStage, resolvePath, shippedRunsOf } from './lib/queries';
import { stageFacts, type StageFacts } from './lib/stage-facts';
import { trimTrailingSlashes } from '../text/paths';
import { appendCommandToRun, deleteInstruction, textOf } from './lib/edits';
import { ruleDocsUrl } from './lib/docs-url';
import { sizeSuffix } from './lib/size-text';
import { hasFlag } from '../shell/package-managers';
import { layerPart } from '../sizing/lookup';
import type { Figure } from '../sizing/figure';

export const meta: RuleMeta = {
  id: 'cleanup-in-separate-layer',
  type: 'size',
  defaultSeverity: 'warning',
  docs: { description: 'Clean up in the RUN that creates the files, not in a later one', url: ruleDocsUrl('cleanup-in-separate-layer') },
  fixable: false,
  messages: {
    afterRun: 'This RUN only removes {{what}}, which the RUN on line {{line}} created: that layer still holds the files{{size}}, so the image does not shrink. Clean up at the end of that RUN instead.',
    afterCopy: 'This RUN only removes {{what}}, which the {{keyword}} on line {{line}} brought in: that layer still holds the files{{size}}, so the image does not shrink. Leave them out of the copy instead (.dockerignore, narrower sources).',
  },
};

/** Where each package manager keeps what it downloads, and the layer part the size engine calls it. */
const managerCaches: Partial<Record<PackageManager, { dirs: readonly string[]; part: string; what: string }>> = {
  apt: { dirs: ['/var/lib/apt/lists', '/var/cache/apt'], part: 'apt lists', what: 'the apt lists and cache' },
  apk: { dirs: ['/var/cache/apk'], part: 'apk cache', what: 'the apk cache' },
  pip: { dirs: ['~/.cache/pip'], part: 'pip cache', what: "pip's cache" },
  npm: { dirs: ['~/.npm'], part: 'npm cache', what: "npm's cache" },
  yarn: { dirs: ['/usr/local/share/.cache/yarn', '~/.cache/yarn'], part: 'yarn cache', what: "yarn's cache" },
  pnpm: { dirs: ['~/.local/share/pnpm/store', '~/.cache/pnpm'], part: 'pnpm store', what: "pnpm's store" },
  dnf: { dirs: ['/var/cache/dnf', '/var/cache/yum'], part: 'dnf cache', what: 'the dnf/yum cache' },
};

/** Commands that read or delete but never write a path they name. */
const nonWriting = new Set(['rm', 'rmdir', 'unlink', 'cd', 'ls', 'cat', 'test', '[', 'echo', 'printf', 'grep', 'stat', 'which', 'chmod', 'chown', 'find', 'du']);

/** What one cleanup command removes. */
type Target =
  | { kind: 'path'; path: string }
  | { kind: 'packages'; manager: PackageManager; names: string[] }
  | { kind: 'downloads'; manager: PackageManager; autoremove: boolean };

interface Creator { instruction: Instruction; what: string; savings: Figure | null }

export function check(context: RuleContext): RuleReport[] {
  return reportsByStage(context, checkStage);
}

/** The reports about one stage's RUNs (see Rule.checkStage). */
export function checkStage({ model, sizing }: RuleContext, stageIndex: number): RuleReport[] {
  const reports: RuleReport[] = [];
  const facts = stageFacts(model);
  for (const run of shippedRunsOf(model, stageIndex)) {
    if (run.onbuild) continue;
    const commands = commandsOf(run).filter((c) => c.name !== 'set');
    const targets = commands.map((c) => cleanupTargets(facts, run, c));
    if (commands.length === 0 || targets.some((t) => t === null)) continue;
    const earlier = instructionsBefore(model, run).reverse();
    // The latest earlier instruction that created what each cleanup command removes.
    const creators = (targets as Target[][]).map((ts) => ts.map((t) => latestCreator(facts, sizing, run, earlier, t)).find((c) => c !== null) ?? null);
    const shown = creators.find((c) => c !== null);
    if (!shown) continue;
    const { instruction, what, savings } = shown;
    reports.push({
      messageId: instruction.keyword === 'RUN' ? 'afterRun' : 'afterCopy',
      data: { what, line: instruction.range.start.line + 1, keyword: instruction.keyword, size: sizeSuffix(savings) },
      range: run.range,
      stageIndex: run.stageIndex,
      savings,
      fixes: moveIntoCreator(model, run, commands, creators),
    });
  }
  return reports;
}

/** What a command removes, or null when it is not a cleanup command. */
function cleanupTargets(facts: StageFacts, run: Instruction, command: ShellCommand): Target[] | null {
  const toPath = (value: string) => (value.startsWith('/') || value.startsWith('~') || value.startsWith('$HOME') ? value : resolvePath(facts.workdirAt(run), value));
  if (command.name === 'rm') {
    return command.argv.slice(1).filter((w) => !w.value.startsWith('-') && !unknownPath(w.value)).map((w): Target & { kind: 'path' } => ({ kind: 'path', path: toPath(w.value) }))
      .filter((t) => !hasCacheMount(run, t.path));
  }
  if (command.name === 'find' && command.argv.some((w) => w.value === '-delete') && command.argv[1]) return [{ kind: 'path', path: toPath(command.argv[1].value) }];
  const op = command.packageOp;
  if (!op) return null;
  const manager = op.manager === 'yum' || op.manager === 'microdnf' ? 'dnf' : op.manager;
  if ((op.verb === 'remove' || op.verb === 'purge') && op.packages.length > 0) return [{ kind: 'packages', manager, names: op.packages.map((p) => packageName(p.value)) }];
  if (op.verb === 'remove' || op.verb === 'purge' || op.verb === 'autoremove') return [{ kind: 'downloads', manager, autoremove: true }];
  if (op.verb === 'clean' || op.verb === 'cache-clean') return [{ kind: 'downloads', manager, autoremove: false }];
  return null;
}

/** A path we cannot resolve: a variable or command substitution (globs and $HOME are fine). */
function unknownPath(value: string): boolean {
  return /[`$]/.test(value.replace(/^(\$HOME|\$\{HOME\})(?=\/|$)/, ''));
}

function latestCreator(facts: StageFacts, sizing: RuleContext['sizing'], run: Instruction, earlier: readonly Instruction[], target: Target): Creator | null {
  for (const instruction of earlier) {
    if (instruction.keyword === 'RUN') {
      for (const command of commandsOf(instruction)) {
        const created = createdBy(instruction, command, target);
        if (created) return { instruction, what: created.what, savings: created.part ? layerPart(sizing, instruction.index, created.part) : null };
      }
    } else if ((instruction.keyword === 'COPY' || instruction.keyword === 'ADD') && target.kind === 'path') {
      const written = copiedPaths(facts, instruction).find((p) => isUnder(target.path, p.path) || isUnder(p.path, target.path));
      if (written) return { instruction, what: target.path, savings: isUnder(written.path, target.path) ? layerPart(sizing, instruction.index, written.source) : null };
    }
  }
  return null;
}

/** Whether `command` (in `run`) wrote what `target` removes; with the layer part that holds it when known. */
function createdBy(run: Instruction, command: ShellCommand, target: Target): { what: string; part: string | null } | null {
  const op = command.packageOp;
  const manager = op && (op.manager === 'yum' || op.manager === 'microdnf' ? 'dnf' : op.manager);
  const cache = manager ? managerCaches[manager] : undefined;
  const writesCache = !!cache && (op?.verb === 'install' || op?.verb === 'update') && !hasFlag(command, '--no-cache', '--no-cache-dir') &&
    cache.dirs.some((d) => !hasCacheMount(run, d));
  if (target.kind === 'packages') {
    const installed = op?.verb === 'install' && manager === target.manager ? op.packages.map((p) => packageName(p.value)) : [];
    const group = manager === 'apk' && op?.verb === 'install' ? command.argv.find((w, i) => ['--virtual', '-t'].includes(command.argv[i - 1]?.value ?? ''))?.value : undefined;
    const names = target.names.filter((n) => installed.includes(n) || n === group);
    return names.length > 0 ? { what: `the packages ${names.join(', ')}`, part: null } : null;
  }
  if (target.kind === 'downloads') {
    if (manager !== target.manager || op?.verb !== 'install') return null;
    if (target.autoremove) return { what: `packages ${command.name} installed`, part: null };
    return writesCache && cache ? { what: cache.what, part: cache.part } : null;
  }
  const path = target.path;
  if (writesCache && cache && cache.dirs.some((d) => (isUnder(path, d) || isUnder(d, path)) && !hasCacheMount(run, d))) return { what: cache.what, part: cache.part };
  if (nonWriting.has(command.name) || hasCacheMount(run, path)) return null;
  const named = command.argv.slice(1).map((w) => w.value.replace(/^--?[\w-]+=/, '')).filter((v) => /^[/~]/.test(v) && v !== '/' && !unknownPath(v));
  return named.some((v) => isUnder(path, v) || isUnder(v, path)) ? { what: path, part: null } : null;
}

/** Paths a COPY or ADD writes, each with the source label its layer part carries. */
function copiedPaths(facts: StageFacts, copy: Instruction): { path: string; source: string }[] {
  const spec = copy.copy;
  if (!spec?.destination) return [];
  const raw = spec.destination.expanded;
  const destination = resolvePath(facts.workdirAt(copy), raw);
  const intoDirectory = raw.endsWith('/') || spec.sources.length > 1;
  return spec.sources.map((s) => {
    const source = s.expanded;
    const whole = /^\.?\/?$/.test(source) || source.endsWith('/') || source.includes('*');
    const base = trimTrailingSlashes(source).split('/').pop() ?? '';
    return { path: intoDirectory && !whole ? resolvePath(destination, base) : destination, source };
  }).filter((p) => p.path !== '/');
}

/**
 * Moves the cleanup to the end of the RUN that created what it removes, and deletes the cleanup RUN. Only for
 * simple cases: every command has a creator, the latest one a shell-form RUN of the same stage, and each
 * cleanup command is a plain single-line command.
 */
function moveIntoCreator(model: DockerfileModel, run: Instruction, commands: readonly ShellCommand[], creators: readonly (Creator | null)[]): Fix[] {
  if (run.flags.length > 0 || creators.some((c) => c === null)) return [];
  if (commands.some((c) => c.nested || c.afterOr || c.range.start.line !== c.range.end.line)) return [];
  const target = (creators as Creator[]).reduce((a, b) => (b.instruction.index > a.instruction.index ? b : a)).instruction;
  if (target.keyword !== 'RUN' || target.stageIndex !== run.stageIndex) return [];
  const append = appendCommandToRun(model, target, commands.map((c) => textOf(model, c.range)).join(' && '));
  if (!append) return [];
  return [{ title: `Move the cleanup into the RUN on line ${target.range.start.line + 1}`, kind: 'refactor', safe: false, edits: [append, deleteInstruction(model, run)] }];
}

export const cases: Rule['cases'] = {
  valid: [
    'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y gcc && apt-get purge -y gcc && rm -rf /var/lib/apt/lists/*',
    'FROM debian:bookworm-slim\nRUN curl -o /tmp/x.tgz https://example.com/x.tgz; tar -C /opt -xzf /tmp/x.tgz; rm /tmp/x.tgz',
    { name: 'removing base-image files has no creator here', code: 'FROM debian:bookworm-slim\nRUN rm -rf /usr/share/doc/*' },
    { name: 'a RUN that also creates things is not only cleanup', code: 'FROM debian:bookworm-slim\nRUN curl -o /tmp/x.tgz https://example.com/x.tgz\nRUN tar -C /opt -xzf /tmp/x.tgz && rm /tmp/x.tgz' },
    { name: 'cache mount: nothing reached the layer', code: 'FROM node:20-slim\nRUN --mount=type=cache,target=/root/.npm npm ci\nRUN npm cache clean --force' },
    { name: 'pip without a cache leaves nothing to purge', code: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir flask\nRUN pip cache purge' },
    { name: 'builder-only stage', code: 'FROM debian:bookworm AS build\nRUN apt-get update && apt-get install -y gcc\nRUN apt-get purge -y gcc\nFROM debian:bookworm-slim\nCOPY --from=build /out /out' },
    { name: 'heredoc that creates and removes', code: 'FROM debian:bookworm-slim\nRUN <<EOF\ncurl -o /tmp/x.tgz https://example.com/x.tgz\nrm /tmp/x.tgz\nEOF' },
    { name: 'continuation with comment lines in one layer', code: 'FROM debian:bookworm-slim\nRUN apt-get update \\\n  # tools\n  && apt-get install -y curl \\\n  && apt-get clean' },
    { name: 'cleaning a path on its own cache mount', code: 'FROM debian:bookworm-slim\nRUN mkdir -p /cache/x\nRUN --mount=type=cache,target=/cache rm -rf /cache/x' },
    { name: 'ONBUILD cleanup runs in another build', code: 'FROM debian:bookworm-slim\nRUN curl -o /tmp/x.tgz https://example.com/x.tgz\nONBUILD RUN rm /tmp/x.tgz' },
  ],
  invalid: [
    {
      name: 'apt purge in a later RUN',
      code: 'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y gcc make\nRUN apt-get purge -y gcc make',
      output: 'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y gcc make && apt-get purge -y gcc make',
      errors: [{ messageId: 'afterRun', line: 2, data: { what: 'the packages gcc, make', line: 2 } }],
    },
    {
      name: 'downloaded file removed later; cleanup between other instructions',
      code: 'FROM debian:bookworm-slim\nRUN curl -fsSLo /tmp/app.tgz https://example.com/app.tgz && tar -C /opt -xzf /tmp/app.tgz\nENV PATH=/opt/app/bin:$PATH\nRUN rm -rf /tmp/app.tgz\nCMD ["app"]',
      output: 'FROM debian:bookworm-slim\nRUN curl -fsSLo /tmp/app.tgz https://example.com/app.tgz && tar -C /opt -xzf /tmp/app.tgz && rm -rf /tmp/app.tgz\nENV PATH=/opt/app/bin:$PATH\nCMD ["app"]',
      errors: [{ messageId: 'afterRun', line: 3, data: { what: '/tmp/app.tgz' } }],
    },
    {
      name: 'several cleanup commands joined with ;',
      code: 'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl\nRUN apt-get clean; rm -rf /var/lib/apt/lists/*',
      output: 'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl && apt-get clean && rm -rf /var/lib/apt/lists/*',
      errors: [{ messageId: 'afterRun', line: 2, data: { what: 'the apt lists and cache' } }],
    },
    {
      name: 'multi-line creator keeps its continuation style',
      code: 'FROM node:20-slim\nRUN npm ci \\\n  # app dependencies\n  && npm run build\nRUN npm cache clean --force\nCMD ["node", "."]',
      output: 'FROM node:20-slim\nRUN npm ci \\\n  # app dependencies\n  && npm run build \\\n  && npm cache clean --force\nCMD ["node", "."]',
      errors: [{ messageId: 'afterRun', line: 4 }],
    },
    {
      name: 'heredoc creator gets a new line',
      code: 'FROM alpine:3.21\nRUN <<EOF\napk add --virtual .build gcc musl-dev\nmake -C /src\nEOF\nRUN apk del .build',
      output: 'FROM alpine:3.21\nRUN <<EOF\napk add --virtual .build gcc musl-dev\nmake -C /src\napk del .build\nEOF',
      errors: [{ messageId: 'afterRun', line: 5, data: { what: 'the packages .build' } }],
    },
    {
      name: 'files from COPY removed later: no fix',
      code: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN rm -rf tests docs',
      output: null,
      errors: [{ messageId: 'afterCopy', line: 3, data: { what: '/app/tests', keyword: 'COPY', line: 3 } }],
    },
    {
      name: 'creator in the stage it is built FROM: reported, no fix',
      code: 'FROM python:3.12-slim AS base\nRUN pip install -r /requirements.txt\nFROM base\nRUN pip cache purge',
      output: null,
      errors: [{ messageId: 'afterRun', line: 3, data: { what: "pip's cache" } }],
    },
    {
      name: 'pip uninstall after install',
      code: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir build wheel\nRUN pip uninstall -y build',
      output: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir build wheel && pip uninstall -y build',
      errors: [{ messageId: 'afterRun', line: 2 }],
    },
    {
      name: 'dnf clean all',
      code: 'FROM fedora:40\nRUN dnf install -y gcc\nRUN dnf clean all\nCMD ["bash"]',
      output: 'FROM fedora:40\nRUN dnf install -y gcc && dnf clean all\nCMD ["bash"]',
      errors: [{ messageId: 'afterRun', line: 2 }],
    },
    {
      name: 'CRLF line endings are kept',
      code: 'FROM debian:bookworm-slim\r\nRUN wget -O /tmp/x.deb https://example.com/x.deb && dpkg -i /tmp/x.deb\r\nRUN rm /tmp/x.deb\r\nUSER nobody\r\n',
      output: 'FROM debian:bookworm-slim\r\nRUN wget -O /tmp/x.deb https://example.com/x.deb && dpkg -i /tmp/x.deb && rm /tmp/x.deb\r\nUSER nobody\r\n',
      errors: [{ messageId: 'afterRun', line: 2 }],
    },
  ],
};

export const rule: Rule = { meta, check, checkStage, cases };
