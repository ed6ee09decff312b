import { fileURLToPath } from 'node:url';
import { FileSystemEnvironment } from '../io/environment';
import type { DataPacks } from '../engine-env';
import type { ServerHooks } from './server';

/**
 * The server's access to disk: project config, build context and data packs for `file:` documents.
 *
 * The Debian packs take a few hundred ms to load and a build context walk can take a second, so the server
 * never does either on the path to the first diagnostics: the first analysis runs without them (those
 * layers show as unknown), the pack loads and the walk runs on a later turn of the event loop, and then
 * every open document is analysed again with sizes.
 */
export function fileSystemHooks(): ServerHooks {
  // Walks stay valid until the editor reports a change (the server watches the workspace's files).
  const environment = new FileSystemEnvironment(Number.POSITIVE_INFINITY);
  const loadedReleases = new Set<string>();
  const walking = new Set<string>();
  const pending = new Set<string>();
  let refresh: () => void = () => undefined;
  // Long enough for the diagnostics just published to leave the process before a load blocks the loop.
  const later = (work: () => void) => setTimeout(work, 25);

  const deferred = (inner: DataPacks): DataPacks => ({
    baseImages: () => inner.baseImages(),
    npmPackages: () => inner.npmPackages?.() ?? null,
    pythonWheels: () => inner.pythonWheels?.() ?? null,
    debian(release) {
      if (loadedReleases.has(release)) return inner.debian(release);
      if (!pending.has(release)) {
        pending.add(release);
        later(() => {
          inner.debian(release);
          loadedReleases.add(release);
          pending.delete(release);
          refresh();
        });
      }
      return null;
    },
  });

  return {
    prepare(uri, settings, trusted) {
      if (!uri.startsWith('file:')) return { env: { data: deferred(environment.dataPacks()), context: null }, rules: {}, buildArgs: {}, problems: [] };
      const { env, project } = environment.prepare(fileURLToPath(uri), {
        buildContext: settings.buildContext || undefined, trusted, userDataFile: settings.dataFile || undefined,
        contextMissing(root) {
          if (walking.has(root)) return;
          walking.add(root);
          later(() => {
            environment.walkContext(root);
            walking.delete(root);
            refresh();
          });
        },
      });
      return { env: { ...env, data: env.data ? deferred(env.data) : null }, rules: project.rules, buildArgs: project.buildArgs, problems: project.problems };
    },
    filesChanged(uris) {
      for (const uri of uris) environment.invalidate(uri.startsWith('file:') ? fileURLToPath(uri) : undefined);
    },
    onDataLoaded(callback) {
      refresh = callback;
    },
  };
}
