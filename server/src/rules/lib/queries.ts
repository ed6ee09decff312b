/**
 * Questions rules ask of the model. Rules stay small queries; the stage and layer semantics they share
 * (what ships, what a cache mount covers, what a later command removes) live here once.
 */
import type { DockerfileModel, Instruction } from '../../model/types';
import type { ShellCommand } from '../../shell/types';
import { parseAssignments, unquote } from '../../model/variables';

/** RUN instructions that affect a shipped image: in a shipped stage, or ONBUILD triggers (they run downstream). */
export function shippedRuns(model: DockerfileModel): Instruction[] {
  return model.instructions.filter((i) => i.keyword === 'RUN' && i.shell && (i.onbuild || model.shippedStageIndexes.has(i.stageIndex)));
}

export function commandsOf(instruction: Instruction): ShellCommand[] {
  return instruction.shell?.commands ?? [];
}

function normalizePath(path: string): string {
  return path.replace(/\/+\**$/, '').replace(/\/\*+$/, '').replace(/\/+$/, '') || '/';
}

/** True when `path` is `dir` or lies below it. */
export function isUnder(path: string, dir: string): boolean {
  const p = normalizePath(path);
  const d = normalizePath(dir);
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
 * (ARG values are in a RUN's environment too.)
 */
export function environmentAt(model: DockerfileModel, instruction: Instruction): Map<string, string> {
  const env = new Map<string, string>();
  const chain: number[] = [];
  for (let s: number | null = instruction.stageIndex; s !== null && s >= 0 && !chain.includes(s); s = model.stages[s].baseStage) chain.unshift(s);
  for (const stageIndex of chain) {
    for (const i of model.stages[stageIndex].instructions) {
      if (stageIndex === instruction.stageIndex && i.index >= instruction.index) break;
      if (i.onbuild || (i.keyword !== 'ENV' && i.keyword !== 'ARG')) continue;
      const values = i.args.map((a) => a.expanded);
      const legacy = i.keyword === 'ENV' && values.length > 0 && !values[0].includes('=');
      for (const [key, value] of parseAssignments(values, legacy)) {
        if (value !== null) env.set(key, unquote(value));
        else if (i.keyword === 'ARG' && model.globalArgs.get(key)) env.set(key, model.globalArgs.get(key) as string);
      }
    }
  }
  return env;
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
