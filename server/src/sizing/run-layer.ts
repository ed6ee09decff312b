/**
 * What a RUN adds. Commands are read from the shell AST: package installs are sized from package data,
 * caches they leave are separate parts (so rules can quote them), and commands known to write next to
 * nothing cost ~0. A command we cannot size makes the whole layer unknown rather than guessed.
 */
import type { Instruction } from '../model/types';
import type { ShellCommand } from '../shell/types';
import { sumFigures, type Figure } from './figure';
import type { LayerSizing } from './copy-layer';

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
const copyUpCommands = new Set(['chmod', 'chown', 'chgrp']);

export function estimateRun(instruction: Instruction): LayerSizing {
  const commands = instruction.shell?.commands ?? [];
  if (instruction.jsonForm) return { figure: null, explanation: 'exec-form RUN: its effect is not known', parts: [] };
  if (commands.length === 0) return { figure: { bytes: 0, source: 'derived', confidence: 'medium', note: 'no commands' }, explanation: 'runs no command', parts: [] };
  const unknown = commands.filter((c) => !isNegligible(c));
  if (unknown.length > 0) {
    return { figure: null, explanation: `no size data for: ${unique(unknown.map(describe)).slice(0, 4).join(', ')}`, parts: [] };
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

function isNegligible(command: ShellCommand): boolean {
  if (copyUpCommands.has(command.name)) return !command.argv.some((w) => /^-[a-zA-Z]*R/.test(w.value) || w.value === '--recursive');
  return negligibleCommands.has(command.name);
}

function describe(command: ShellCommand): string {
  const op = command.packageOp;
  return op ? `${command.name} ${command.argv.find((w, i) => i > 0 && !w.value.startsWith('-'))?.value ?? ''}`.trim() : command.name;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
