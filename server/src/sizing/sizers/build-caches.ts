/**
 * Whether a folder a build tool fills (a build cache, a module cache, target/) stays out of the layer: a
 * cache or tmpfs mount covers it, or the same RUN removes it (`rm -rf`, or the tool's own clean command).
 */
import type { ShellCommand } from '../../shell/types';
import type { RunSizingContext } from './types';
import { commandFolder } from './project-files';
import { resolvePath } from '../../rules/lib/queries';
import { trimTrailingSlashes } from '../../text/paths';

export function keptOutOfLayer(context: RunSizingContext, folders: readonly string[], cleans: (command: ShellCommand) => boolean): boolean {
  const mounted = (context.instruction.mounts ?? []).some((m) => (m.type === 'cache' || m.type === 'tmpfs') && m.target !== null && folders.some((f) => isUnder(f, m.target as string)));
  if (mounted) return true;
  return context.commands.some((c) => cleans(c) || (c.name === 'rm' && c.argv.slice(1).some((w) => {
    // A folder's content (`dir/*`) is the one glob understood; variables are not.
    if (w.value.startsWith('-') || (w.dynamic && !(w.value.endsWith('/*') && !/[$*?[]/.test(w.value.slice(0, -2))) && !w.value.startsWith('~'))) return false;
    const target = w.value.startsWith('/') || w.value.startsWith('~') ? w.value : resolvePath(commandFolder(context.model, context.instruction, context.commands, c, []), w.value);
    return folders.some((f) => isUnder(f, target));
  })));
}

/** True when `path` is `folder` or inside it (`~` is root's home; a trailing `/*` means the folder's content). */
export function isUnder(path: string, folder: string): boolean {
  const base = trimTrailingSlashes(folder.replace(/^~(?=\/|$)/, '/root').replace(/\/\*$/, ''));
  return base !== '' && (path === base || path.startsWith(base + '/'));
}
