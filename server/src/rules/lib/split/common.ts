/** Helpers several split recipes share: image tags, runtime packages, start commands, edited instruction text. */
import type { Instruction } from '../../../model/types';
import type { ShellCommand } from '../../../shell/types';
import type { TextEdit } from '../../types';
import { applyEdits } from '../../../text/edits';
import { commandsOf, resolvePath } from '../queries';
import { installLine, isSystemManager, runtimePackagesOf } from '../build-packages';
import { execFormLine, plainExecArgv, type StartInstruction } from '../start-command';
import type { BuildStep } from '../stages';
import { reviewNote, type SplitInput } from './types';

/** The steps (of one kind) that a RUN holds. */
export function stepsIn(steps: readonly BuildStep[], run: Instruction, kind?: BuildStep['kind']): BuildStep[] {
  return steps.filter((s) => s.instruction === run && (kind === undefined || s.kind === kind));
}

/** An image reference as text, split where a tag would be: `python:${V}` → `python` + `${V}`. */
export function splitImage(reference: string): { name: string; tag: string | null } {
  const withoutDigest = reference.replace(/@.*$/, '');
  const colon = withoutDigest.lastIndexOf(':');
  return colon > withoutDigest.lastIndexOf('/') ? { name: withoutDigest.slice(0, colon), tag: withoutDigest.slice(colon + 1) } : { name: withoutDigest, tag: null };
}

/**
 * The slim variant of an official image as text (`python:3.12` → `python:3.12-slim`, `node:20-bookworm` →
 * `node:20-bookworm-slim`, `debian:bookworm` → `debian:bookworm-slim`), the image itself when it is already
 * slim or alpine, or null when we know no slim variant.
 */
export function slimVariant(reference: string): string | null {
  const { name, tag } = splitImage(reference);
  const short = name.split('/').pop() ?? '';
  if (tag && /slim|alpine/.test(tag)) return `${name}:${tag}`;
  const bare = tag === null || tag === 'latest';
  switch (short) {
    case 'python': {
      if (bare) return `${name}:slim`;
      // python writes the variant before the Debian release: 3.12-slim-bookworm.
      if (/^[a-z]+$/.test(tag)) return `${name}:slim-${tag}`;
      const dash = tag.indexOf('-');
      return dash < 0 ? `${name}:${tag}-slim` : `${name}:${tag.slice(0, dash)}-slim${tag.slice(dash)}`;
    }
    case 'node':
      return `${name}:${bare ? 'slim' : `${tag}-slim`}`;
    case 'debian':
      return `${name}:${bare ? 'stable' : tag}-slim`;
    default:
      return null;
  }
}

/** A RUN's text with edits applied (edits use document positions inside the instruction). */
export function textWithEdits(input: SplitInput, instruction: Instruction, edits: readonly TextEdit[]): string {
  const start = instruction.range.start;
  const relative = edits.map((e) => ({
    newText: e.newText,
    range: {
      start: { line: e.range.start.line - start.line, character: e.range.start.line === start.line ? e.range.start.character - start.character : e.range.start.character },
      end: { line: e.range.end.line - start.line, character: e.range.end.line === start.line ? e.range.end.character - start.character : e.range.end.character },
    },
  }));
  return applyEdits(input.textOf(instruction), relative).text;
}

/**
 * The runtime stage's part of a RUN that installs system packages: the same package manager installs only
 * what the program needs to run (runtime libraries instead of `-dev` packages), with a review note for
 * `-dev` packages whose runtime library we do not know.
 */
export function runtimePackageLines(run: Instruction, dropped?: (name: string) => boolean, extra: readonly string[] = []): string[] {
  if (!commandsOf(run).some((c) => isSystemManager(c.packageOp?.manager) && c.packageOp?.verb === 'install')) return [];
  const runtime = runtimePackagesOf(run, dropped);
  if (!runtime) return [];
  const line = run.range.start.line + 1;
  const packages = [...new Set([...extra, ...runtime.packages])];
  return [
    ...(runtime.unmapped.length > 0 ? [reviewNote(`the build stage installs ${runtime.unmapped.join(', ')} (line ${line}): if the program loads their libraries at run time, install the runtime packages here`)] : []),
    ...(packages.length > 0 ? [installLine(runtime.manager, packages)] : []),
  ];
}

/** A review note when a step RUN also does other work that now happens only in the build stage. */
export function otherWorkNote(run: Instruction, isPart: (command: ShellCommand) => boolean): string[] {
  const others = commandsOf(run).filter((c) => !isPart(c) && !isSystemManager(c.packageOp?.manager) && c.name !== 'rm');
  if (others.length === 0) return [];
  const names = [...new Set(others.map((c) => [c.name, c.argv[1]?.value].filter((w) => w && !w.startsWith('-')).join(' ')))].join(', ');
  return [reviewNote(`the RUN at line ${run.range.start.line + 1} also runs ${names}, now only in the build stage: repeat it here if the running image needs what it did`)];
}

const pathDirectories = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

/** True when a CMD/ENTRYPOINT starts the program at `binaryPath` (by path, or by name through PATH). */
export function startsBinary(input: SplitInput, start: StartInstruction, binaryPath: string): boolean {
  const program = start.argv[0] ?? '';
  if (program.includes('/')) return resolvePath(input.workdirAt(start.instruction), program) === binaryPath;
  const slash = binaryPath.lastIndexOf('/');
  return binaryPath.slice(slash + 1) === program && pathDirectories.includes(binaryPath.slice(0, slash));
}

/** A CMD/ENTRYPOINT rewritten in exec form to start `program` instead, or the original with a note when it needs its shell. */
export function restartWith(input: SplitInput, start: StartInstruction, program: string): string[] {
  const argv = plainExecArgv(start);
  if (!argv) return [reviewNote(`this ${start.instruction.keyword} needs a shell: point it at ${program}`), input.textOf(start.instruction)];
  return [execFormLine(start.instruction.keyword, [program, ...argv.slice(1)])];
}

/** `COPY --from=<build> <source> <destination>`. */
export function copyFromBuild(input: SplitInput, source: string, destination: string): string {
  return `COPY --from=${input.builderName} ${source} ${destination}`;
}

/** The stage's CMD or ENTRYPOINT instructions (not only the effective ones). */
export function isStartInstruction(instruction: Instruction): boolean {
  return instruction.keyword === 'CMD' || instruction.keyword === 'ENTRYPOINT';
}
