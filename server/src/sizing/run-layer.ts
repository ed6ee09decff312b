/**
 * What a RUN adds. Commands are read from the shell AST: package installs are sized from package data,
 * caches they leave are separate parts (so rules can quote them), and commands known to write next to
 * nothing cost ~0. A command we cannot size makes the whole layer unknown rather than guessed.
 */
import type { Instruction } from '../model/types';
import type { ShellCommand } from '../shell/types';
import { formatBytes, sumFigures, type Figure } from './figure';
import type { LayerSizing } from './copy-layer';
import { sizeAptCommands, type AptContext } from './apt-layer';

/** Commands that change a few bytes of metadata at most (users, links, folders, env, control flow). */
const negligibleCommands = new Set([
  'echo', 'printf', 'true', 'false', 'test', '[', 'set', 'export', 'cd', 'mkdir', 'ln', 'touch',
  'useradd', 'adduser', 'groupadd', 'addgroup', 'usermod', 'id', 'whoami', 'ls', 'cat', 'env', 'sleep', 'umask', 'exit',
  'ldconfig', 'update-alternatives', 'grep', 'rm', 'rmdir', 'unset', 'which', 'command', 'type', 'uname', 'date', 'sync',
]);

/**
 * chmod/chown of a file from an earlier layer copies the whole file into this layer (overlay copy-up), so
 * only the non-recursive forms, used on a script or two, count as negligible.
 */
const copyUpCommands = new Set(['chmod', 'chown', 'chgrp', 'touch']);

/** What an earlier layer of the stage wrote at a path: its figure, or null when that layer's size is unknown. */
export type EarlierWriter = (path: string) => { figure: Figure | null; line: number } | undefined;

export function estimateRun(instruction: Instruction, apt: AptContext | null, earlierWriter: EarlierWriter = () => undefined): LayerSizing {
  const commands = instruction.shell?.commands ?? [];
  if (instruction.jsonForm) return { figure: null, explanation: 'exec-form RUN: its effect is not known', parts: [] };
  if (commands.length === 0) return { figure: { bytes: 0, source: 'derived', confidence: 'medium', note: 'no commands' }, explanation: 'runs no command', parts: [] };
  const aptCommands = commands.filter((c) => c.packageOp?.manager === 'apt');
  const aptSizing = apt && aptCommands.length > 0 ? sizeAptCommands(instruction, commands, apt) : null;
  const parts = (aptSizing?.parts ?? []).filter((p) => p.figure.bytes !== 0);
  const copyUps = commands.filter((c) => copyUpCommands.has(c.name) && !isRecursive(c)).flatMap((c) => copyUpTargets(c).map((path) => ({ path, writer: earlierWriter(path) })));
  for (const { path, writer } of copyUps) {
    // chmod/touch of a file an earlier layer wrote copies the whole file into this layer.
    if (writer?.figure) parts.push({ label: `copy of ${path}`, figure: { ...writer.figure, source: 'derived', confidence: 'low', low: 0, note: `${path} from line ${writer.line + 1} is copied whole into this layer` } });
  }
  const unknownCopyUp = copyUps.some(({ writer }) => writer && !writer.figure);
  const unknown = commands.filter((c) => (!isNegligible(c) || (copyUpCommands.has(c.name) && unknownCopyUp)) && !(aptSizing && c.packageOp?.manager === 'apt'));
  if (unknown.length > 0 || aptSizing?.dynamic) {
    const why = aptSizing?.dynamic ? ['apt packages named by variables'] : [];
    const reason = apt || aptCommands.length === 0 ? '' : ' (apt sizes need a Debian-based image with known release)';
    return { figure: null, explanation: `no size data for: ${unique([...why, ...unknown.map(describe)]).slice(0, 4).join(', ')}${reason}`, parts: sortParts(parts) };
  }
  if (aptSizing || parts.length > 0) {
    const figure = sumFigures(parts.map((p) => p.figure), aptSizing ? 'apt' : 'copied up');
    const unknownPackages = aptSizing?.unknownPackages ?? [];
    const unknownNote = unknownPackages.length ? ` — not in Debian ${apt?.release}: ${unknownPackages.join(', ')}` : '';
    return {
      figure: { ...figure, bytes: Math.max(0, figure.bytes), low: Math.max(0, figure.low ?? figure.bytes), confidence: unknownPackages.length ? 'low' : figure.confidence },
      explanation: `${sortParts(parts).map((p) => `${p.label} ~${formatBytes(p.figure.bytes)}`).join(', ') || 'apt changes next to nothing'}${unknownNote}`,
      parts: sortParts(parts),
    };
  }
  const removes = commands.some((c) => c.name === 'rm' || c.name === 'rmdir');
  const figure: Figure = { bytes: 0, source: 'derived', confidence: 'medium', note: 'commands that write next to nothing' };
  return {
    figure: sumFigures([figure]),
    explanation: removes
      ? 'deletes files: a later layer cannot shrink the image — the files stay in the layer that created them'
      : 'only commands that write next to nothing (users, permissions, links, folders)',
    parts: [],
  };
}

function isRecursive(command: ShellCommand): boolean {
  return command.argv.some((w) => /^-[a-zA-Z]*R/.test(w.value) || w.value === '--recursive');
}

function isNegligible(command: ShellCommand): boolean {
  if (copyUpCommands.has(command.name)) return !isRecursive(command);
  return negligibleCommands.has(command.name);
}

/** The files chmod/chown/chgrp/touch act on: arguments after the mode or owner, flags and their values skipped. */
function copyUpTargets(command: ShellCommand): string[] {
  const operands = command.argv.slice(1).filter((w) => !w.value.startsWith('-') || /^-[rwxXst]+$/.test(w.value)).map((w) => w.value);
  const files = command.name === 'touch' ? operands : operands.slice(1);
  return files.filter((f) => f.startsWith('/'));
}

function describe(command: ShellCommand): string {
  const op = command.packageOp;
  return op ? `${command.name} ${command.argv.find((w, i) => i > 0 && !w.value.startsWith('-'))?.value ?? ''}`.trim() : command.name;
}

function sortParts(parts: { label: string; figure: Figure }[]): { label: string; figure: Figure }[] {
  return [...parts].sort((a, b) => b.figure.bytes - a.figure.bytes);
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
