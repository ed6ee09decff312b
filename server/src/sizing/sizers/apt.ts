/** apt-get/apt installs, purges and lists, sized from Debian's package data (see ../apt-layer.ts). */
import type { CommandSizer } from './types';
import { sizeAptCommands } from '../apt-layer';
import { describeCommand } from './describe';

export const aptSizer: CommandSizer = {
  name: 'apt',
  claims: (command) => command.packageOp?.manager === 'apt',
  size(claimed, context) {
    if (!context.apt) {
      const names = [...new Set(claimed.filter((c) => c.packageOp?.verb !== 'clean').map(describeCommand))];
      return { parts: [], unsized: names.length ? [`${names.slice(0, 4).join(', ')} (apt sizes need a Debian-based image with known release)`] : [] };
    }
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
