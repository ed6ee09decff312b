/**
 * Questions rules ask of the model. Rules stay small queries; the stage and layer semantics they share
 * (what ships, what a cache mount covers, what a later command removes) live here once.
 */
import type { DockerfileModel, Instruction } from '../../model/types';
import type { RuleContext, RuleReport } from '../types';
import type { ShellCommand, ShellWord } from '../../shell/types';
import { flagValue, hasFlag } from '../../shell/package-managers';
import { stageFacts } from './stage-facts';
import { trimSlashStar, trimSlashesStars, trimTrailingSlashes } from '../../text/paths';

/** RUN instructions that affect a shipped image: in a shipped stage, or ONBUILD triggers (they run downstream). */
export function shippedRuns(model: DockerfileModel): Instruction[] {
  return model.instructions.filter((i) => i.keyword === 'RUN' && i.shell && (i.onbuild || model.shippedStageIndexes.has(i.stageIndex)));
}

/** `shippedRuns` of one stage (-1: before the first FROM). */
export function shippedRunsOf(model: DockerfileModel, stageIndex: number): Instruction[] {
  const shipped = model.shippedStageIndexes.has(stageIndex);
  return instructionsOfStage(model, stageIndex).filter((i) => i.keyword === 'RUN' && i.shell && (i.onbuild || shipped));
}

/**
 * A stage's instructions after its FROM, in file order; -1: the instructions before the first FROM (they
 * open the file). Together, stage by stage, they are every instruction but the FROMs.
 */
export function instructionsOfStage(model: DockerfileModel, stageIndex: number): readonly Instruction[] {
  if (stageIndex >= 0) return model.stages[stageIndex]?.instructions ?? [];
  const before: Instruction[] = [];
  for (const instruction of model.instructions) {
    if (instruction.stageIndex !== -1) break;
    before.push(instruction);
  }
  return before;
}

/** A rule's reports for the whole file from its per-stage ones (Rule.checkStage): every stage in file order. */
export function reportsByStage(context: RuleContext, checkStage: (context: RuleContext, stageIndex: number) => RuleReport[]): RuleReport[] {
  const reports: RuleReport[] = [];
  for (let stageIndex = -1; stageIndex < context.model.stages.length; stageIndex++) {
    for (const report of checkStage(context, stageIndex)) reports.push(report);
  }
  return reports;
}

export function commandsOf(instruction: Instruction): ShellCommand[] {
  return instruction.shell?.commands ?? [];
}

/**
 * `path` without trailing `/`, `/*` and `/**` (`/a//**` → `/a`), with plain loops: the patterns this
 * replaces (`/\/+\**$/`, `/\/+$/`) retry a run of slashes from every slash.
 */
function normalizePath(path: string): string {
  return trimTrailingSlashes(trimSlashStar(trimSlashesStars(path))) || '/';
}

/** True when `path` is `dir` or lies below it. A `path` starting with `~/` lies in any home directory. */
export function isUnder(path: string, dir: string): boolean {
  const p = normalizePath(path);
  const d = normalizePath(path.startsWith('~/') ? homeRelative(dir) : dir);
  return d === '/' || p === d || p.startsWith(d + '/');
}

/** `rm -rf X` (or `find X -delete`) that removes `path` or everything in it. */
export function removesPath(command: ShellCommand, path: string): boolean {
  if (command.name === 'rm') {
    return command.argv.slice(1).some((w) => !w.value.startsWith('-') && isUnder(path, w.value));
  }
  if (command.name === 'find') {
    const root = command.argv[1]?.value;
    return root !== undefined && command.argv.some((w) => w.value === '-delete') && isUnder(path, root);
  }
  return false;
}

/** True when some command after `index` in the same RUN removes `path`. */
export function removedLater(commands: readonly ShellCommand[], index: number, path: string): boolean {
  return commands.some((c) => c.index > index && !c.afterOr && removesPath(c, path));
}

/** A `--mount=type=cache` or `tmpfs` on `path` (or a parent) keeps that path out of the layer. */
export function hasCacheMount(instruction: Instruction, path: string): boolean {
  return (instruction.mounts ?? []).some((m) => (m.type === 'cache' || m.type === 'tmpfs') && m.target !== null && isUnder(path, m.target));
}

/**
 * Environment seen by a RUN: ENV and ARG values set earlier in its stage and in the stages it is built FROM.
 * (ARG values are in a RUN's environment too.) For one question; a loop over RUNs should share one
 * `stageFacts(model)`.
 */
export function environmentAt(model: DockerfileModel, instruction: Instruction): ReadonlyMap<string, string> {
  return stageFacts(model).environmentAt(instruction);
}

/** `NAME=value` in an environment variable that a tool reads as true (1, true, yes, on). */
export function envIsTruthy(env: ReadonlyMap<string, string>, name: string): boolean {
  const value = env.get(name);
  return value !== undefined && /^(1|true|yes|on)$/i.test(value.trim());
}

export function stageLabel(model: DockerfileModel, stageIndex: number): string {
  const stage = model.stages[stageIndex];
  if (!stage) return '';
  return stage.name ? `'${stage.name}'` : `#${stageIndex}`;
}

/** A stage and the stages it is built FROM, base first (its filesystem is the sum of their layers). */
export function stageChain(model: DockerfileModel, stageIndex: number): number[] {
  const chain: number[] = [];
  // A base stage comes earlier in the file: a walk to a stage not below the last one would be a cycle.
  for (let s: number | null = stageIndex; s !== null && s >= 0 && model.stages[s] && (chain.length === 0 || s < chain[chain.length - 1]); s = model.stages[s].baseStage) chain.push(s);
  return chain.reverse();
}

/** The final stage and the stages it is built FROM: what `docker build` without `--target` ships. */
export function finalStageChain(model: DockerfileModel): number[] {
  return model.finalStageIndex === null ? [] : stageChain(model, model.finalStageIndex);
}

/** RUN instructions (ONBUILD triggers included) of the given stages, in file order. */
export function runsOfStages(model: DockerfileModel, stageIndexes: readonly number[]): Instruction[] {
  // The stages' own lists, not every instruction of the file per call (10,000 stages made that quadratic).
  const stages = [...new Set(stageIndexes)].sort((a, b) => a - b);
  return stages.flatMap((s) => (model.stages[s]?.instructions ?? []).filter((i) => i.keyword === 'RUN' && i.shell));
}

/** Instructions of the stage chain that run before `instruction`, ONBUILD triggers left out, in file order. */
export function instructionsBefore(model: DockerfileModel, instruction: Instruction): Instruction[] {
  return stageChain(model, instruction.stageIndex)
    .flatMap((s) => model.stages[s].instructions)
    .filter((i) => i.index < instruction.index && !i.onbuild);
}

/** The last `USER` of a stage chain (its expanded argument), or null when none sets one. */
export function userAtEnd(model: DockerfileModel, stageIndex: number): { user: string; instruction: Instruction } | null {
  const users = stageChain(model, stageIndex).flatMap((s) => model.stages[s].instructions).filter((i) => i.keyword === 'USER' && !i.onbuild && i.args.length > 0);
  const last = users[users.length - 1];
  return last ? { user: last.args[0].expanded, instruction: last } : null;
}

/** `root`, `0`, `root:root`, `0:0`: a USER value that leaves the process with uid 0. */
export function isRootUser(user: string): boolean {
  return /^(root|0)$/.test(user.split(':')[0].trim());
}

/** The working directory an instruction runs in (one question; loops share one `stageFacts(model)`). */
export function workdirAt(model: DockerfileModel, instruction: Instruction): string {
  return stageFacts(model).workdirAt(instruction);
}

/** `path` made absolute against `dir`, with `.` and `..` segments folded and no trailing slash. */
export function resolvePath(dir: string, path: string): string {
  const segments = (path.startsWith('/') ? path : `${dir}/${path}`).split('/');
  const out: string[] = [];
  for (const segment of segments) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') out.pop();
    else out.push(segment);
  }
  return '/' + out.join('/');
}

/** A package argument without its version or architecture: `gcc=4:12.2` → `gcc`, `musl-dev>=1.2` → `musl-dev`. */
export function packageName(word: string): string {
  return word.replace(/[:=<>~].*$/, '').toLowerCase();
}

/**
 * Packages of `install` that a later command of the same RUN removes again (`apt-get purge`, `apk del` of
 * the package or of its `--virtual` group, `dnf remove`…): the accepted install-use-remove pattern.
 * A bare `apt-get autoremove` counts only after `apt-mark auto`, which is what makes it remove them.
 */
export function packagesRemovedLater(commands: readonly ShellCommand[], install: ShellCommand): Set<string> {
  const manager = install.packageOp?.manager;
  const removed = new Set<string>();
  const installed = (install.packageOp?.packages ?? []).map((p) => packageName(p.value));
  const group = manager === 'apk' ? (flagValue(install, '--virtual') ?? flagValue(install, '-t')) : null;
  let marksAuto = false;
  for (const c of commands) {
    if (c.index <= install.index || c.afterOr) continue;
    if (c.name === 'apt-mark' && c.argv[1]?.value === 'auto') marksAuto = true;
    const op = c.packageOp;
    if (!op || sameManagerFamily(op.manager) !== sameManagerFamily(manager)) continue;
    if (op.verb !== 'remove' && op.verb !== 'purge' && op.verb !== 'autoremove') continue;
    const names = (op.verb === 'autoremove' ? wordsAfterVerb(c) : op.packages).filter((w) => !w.value.startsWith('-')).map((w) => packageName(w.value));
    const removesAll = (group !== null && names.includes(group.toLowerCase())) || (op.verb === 'autoremove' && names.length === 0 && marksAuto) ||
      (hasFlag(c, '--auto-remove', '--autoremove') && names.length === 0 && marksAuto);
    for (const name of installed) if (removesAll || names.includes(name)) removed.add(name);
  }
  return removed;
}

function wordsAfterVerb(command: ShellCommand): ShellWord[] {
  const verb = command.argv.findIndex((w, i) => i > 0 && !w.value.startsWith('-'));
  return verb < 0 ? [] : command.argv.slice(verb + 1);
}

function sameManagerFamily(manager: string | undefined): string | undefined {
  return manager === 'yum' || manager === 'microdnf' ? 'dnf' : manager;
}

/** Writes a home directory as `~`, so `/root/.npm`, `$HOME/.npm` and `/home/node/.npm` compare equal. */
export function homeRelative(path: string): string {
  return path.replace(/^(~|\$HOME|\$\{HOME\}|\/root|\/home\/[^/]+)(?=\/|$)/, '~');
}

/** Where a package manager keeps its download cache, and what moves or empties it. */
export interface ToolCache {
  /** Default locations; `~/` means the home directory of whoever runs the command. */
  defaultPaths: readonly string[];
  /** Options that move the cache (`--cache`, `--cache-folder`). */
  options: readonly string[];
  /** Environment variables that move it (`npm_config_cache`). */
  env: readonly string[];
  /** Commands that empty it (`npm cache clean --force`). */
  cleans(command: ShellCommand): boolean;
}

/** Where `command` writes its cache: the option's value, else the environment's, else the defaults. */
export function cacheLocations(command: ShellCommand, env: ReadonlyMap<string, string>, cache: ToolCache): string[] {
  for (const option of cache.options) {
    const value = flagValue(command, option);
    if (value) return [value];
  }
  for (const name of cache.env) {
    const value = [...env].find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1];
    if (value) return [value];
  }
  return [...cache.defaultPaths];
}

/**
 * True when the cache `writer` fills is gone by the end of its RUN: it sits on a cache or tmpfs mount, or a
 * later command of the RUN (not one after `||`) empties or deletes it.
 */
export function cacheDiscarded(run: Instruction, writer: ShellCommand, cache: ToolCache, env: ReadonlyMap<string, string>): boolean {
  const locations = cacheLocations(writer, env, cache);
  if (locations.some((path) => hasCacheMount(run, path))) return true;
  const commands = commandsOf(run);
  return commands.some((c) => c.index > writer.index && !c.afterOr && cache.cleans(c)) || locations.some((path) => removedLater(commands, writer.index, path));
}
