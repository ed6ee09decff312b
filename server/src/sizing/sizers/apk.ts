/**
 * Alpine's apk. Alpine's package indexes are not reachable from our build machines and no Alpine package
 * sizes ship with the data, so installs stay unknown rather than guessed. The reason says what else the
 * layer keeps: without `--no-cache` (or a cache mount on /var/cache/apk, or removing /var/cache/apk/* in
 * the same RUN), apk stores the repository indexes (APKINDEX.*.tar.gz) in /var/cache/apk; with it, apk
 * fetches them to a temporary place and leaves nothing behind. Commands that only remove or clean write
 * next to nothing.
 */
import { hasFlag } from '../../shell/package-managers';
import type { CommandSizer } from './types';
import { keptOutOfLayer } from './build-caches';

export const apkSizer: CommandSizer = {
  name: 'apk',
  claims: (command) => command.packageOp?.manager === 'apk',
  size(claimed, context) {
    const unsized: string[] = [];
    const indexKeptOut = keptOutOfLayer(context, ['/var/cache/apk/APKINDEX'], (c) => c.packageOp?.manager === 'apk' && c.packageOp.verb === 'cache-clean');
    for (const command of claimed) {
      const verb = command.packageOp?.verb;
      if (verb === 'remove' || verb === 'cache-clean') continue;
      const noCache = hasFlag(command, '--no-cache');
      const index = noCache || indexKeptOut ? '' : '; without --no-cache the package indexes also stay in /var/cache/apk';
      if (verb === 'install') {
        const names = command.packageOp?.packages.map((p) => p.value).slice(0, 4).join(' ') ?? '';
        unsized.push(`apk add ${names} (Alpine package sizes are not in the data${index})`);
      } else if (verb === 'update') {
        unsized.push(`apk update (writes Alpine's package indexes to /var/cache/apk; their size is not in the data)`);
      } else {
        unsized.push(`apk ${command.argv[1]?.value ?? ''} (Alpine package sizes are not in the data${index})`);
      }
    }
    return { parts: [], unsized };
  },
};
