/**
 * Maven and Gradle. Their builds download plugins and dependencies from Maven Central into ~/.m2 or
 * ~/.gradle and write target/ or build/ outputs; Central is not reachable from our build machines, so
 * nothing measured or indexed gives those sizes. The layer stays unknown, with that reason, and a note on
 * the caches a cache mount would keep out.
 */
import type { CommandSizer } from './types';

export const jvmBuildSizer: CommandSizer = {
  name: 'maven/gradle',
  claims: (command) => command.packageOp?.manager === 'mvn' || command.packageOp?.manager === 'gradle',
  size(claimed, context) {
    const reasons = new Set<string>();
    for (const command of claimed) {
      const maven = command.packageOp?.manager === 'mvn';
      const cache = maven ? '~/.m2/repository' : '~/.gradle/caches';
      const mounted = (context.instruction.mounts ?? []).some((m) => m.type === 'cache' && m.target !== null && (maven ? /\.m2/ : /\.gradle/).test(m.target));
      reasons.add(`${maven ? 'mvn' : 'gradle'} (downloads from Maven Central${mounted ? '' : ` into ${cache}`} and build outputs: no size data for either)`);
    }
    return { parts: [], unsized: [...reasons] };
  },
};
