/**
 * Commands that touch files without a package manager: the ones that write next to nothing (users,
 * links, folders, env), and chmod/chown/touch, which copy a file from an earlier layer whole into this
 * one (overlay copy-up).
 */
import type { ShellCommand } from '../../shell/types';
import type { CommandSizer, LayerPart } from './types';

/** Commands that change a few bytes of metadata at most (users, links, folders, env, control flow). */
const negligibleCommands = new Set([
  'echo', 'printf', 'true', 'false', 'test', '[', 'set', 'export', 'cd', 'mkdir', 'ln', 'touch',
  'useradd', 'adduser', 'groupadd', 'addgroup', 'usermod', 'id', 'whoami', 'ls', 'cat', 'env', 'sleep', 'umask', 'exit',
  'ldconfig', 'update-alternatives', 'grep', 'rm', 'rmdir', 'unset', 'which', 'command', 'type', 'uname', 'date', 'sync',
]);

/**
 * chmod/chown of a file from an earlier layer copies the whole file into this layer (overlay copy-up), so
 * only the non-recursive forms, used on a script or two, can be sized.
 */
const copyUpCommands = new Set(['chmod', 'chown', 'chgrp', 'touch']);

export const negligibleSizer: CommandSizer = {
  name: 'no-op',
  claims: (command) => negligibleCommands.has(command.name) && !copyUpCommands.has(command.name),
  size: () => ({ parts: [], unsized: [] }),
};

export const copyUpSizer: CommandSizer = {
  name: 'copied up',
  claims: (command) => copyUpCommands.has(command.name) && !isRecursive(command),
  size(claimed, context) {
    const parts: LayerPart[] = [];
    const unsized: string[] = [];
    for (const command of claimed) {
      for (const path of copyUpTargets(command)) {
        const writer = context.earlierWriter(path);
        if (!writer) continue;
        if (!writer.figure) { unsized.push(`${command.name} ${path} (written by line ${writer.line + 1}, whose size is unknown)`); continue; }
        parts.push({ label: `copy of ${path}`, figure: { ...writer.figure, source: 'derived', confidence: 'low', low: 0, note: `${path} from line ${writer.line + 1} is copied whole into this layer` } });
      }
    }
    return { parts, unsized };
  },
};

function isRecursive(command: ShellCommand): boolean {
  return command.argv.some((w) => /^-[a-zA-Z]*R/.test(w.value) || w.value === '--recursive');
}

/** The files chmod/chown/chgrp/touch act on: arguments after the mode or owner, flags and their values skipped. */
function copyUpTargets(command: ShellCommand): string[] {
  const operands = command.argv.slice(1).filter((w) => !w.value.startsWith('-') || /^-[rwxXst]+$/.test(w.value)).map((w) => w.value);
  const files = command.name === 'touch' ? operands : operands.slice(1);
  return files.filter((f) => f.startsWith('/'));
}
