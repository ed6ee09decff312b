/** apt-get/apt installs, purges and lists, sized from Debian's package data (see ../apt-layer.ts). */
import type { CommandSizer } from './types';
import { sizeAptCommands } from '../apt-layer';
import { describeCommand } from './describe';
import type { ShellCommand } from '../../shell/types';
import { flagValue } from '../../shell/package-managers';

export const aptSizer: CommandSizer = {
  name: 'apt',
  claims: (command) => command.packageOp?.manager === 'apt',
  size(claimed, context) {
    if (!context.apt) {
      const names = [...new Set(claimed.filter((c) => c.packageOp?.verb !== 'clean').map(describeCommand))];
      return { parts: [], unsized: names.length ? [`${names.slice(0, 4).join(', ')} (apt sizes need a Debian-based image with known release)`] : [] };
    }
    // The packs hold the release's own suites (main, -updates, -security): backports versions differ.
    const backports = claimed.map(fromBackports).find((suite) => suite !== null);
    if (backports) return { parts: [], unsized: [`apt install from ${backports} (its packages are not in the data: only Debian ${context.apt.release}, its updates and security)`] };
    const sizing = sizeAptCommands(context.instruction, context.commands, context.apt);
    const unknown = sizing.unknownPackages;
    return {
      parts: sizing.parts,
      unsized: sizing.dynamic ? ['apt packages named by variables'] : [],
      notes: unknown.length ? [`not in Debian ${context.apt.release}: ${unknown.join(', ')}`] : [],
      confidenceCap: unknown.length ? 'low' : undefined,
    };
  },
};

/** The -backports suite an install takes packages from (`-t bookworm-backports`, `pkg/bookworm-backports`), or null. */
function fromBackports(command: ShellCommand): string | null {
  if (command.packageOp?.verb !== 'install') return null;
  const release = flagValue(command, '-t') ?? flagValue(command, '--target-release') ?? flagValue(command, '--default-release');
  if (release && /backports/.test(release)) return release;
  const pinned = command.packageOp.packages.find((p) => /\/[a-z]+-backports$/.test(p.value));
  return pinned ? pinned.value.slice(pinned.value.indexOf('/') + 1) : null;
}
