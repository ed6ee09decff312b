import { fileURLToPath } from 'node:url';
import { FileSystemEnvironment } from '../io/environment';
import type { BuildContext, DataPacks } from '../engine-env';
import type { ServerHooks } from './server';

/**
 * The server's access to disk: project config, build context and data packs for `file:` documents.
 *
 * The Debian and package packs take tens of ms to load and a build context walk can take a second, so the
 * server never does either on the path to the first diagnostics: the first analysis runs without them
 * (those layers show as unknown), the pack loads and the walk run on a later turn of the event loop, and
 * then every open document is analysed again with sizes.
 */
export function fileSystemHooks(): ServerHooks {
  // Walks stay valid until the editor reports a change (the server watches the workspace's files).
  const environment = new FileSystemEnvironment(Number.POSITIVE_INFINITY);
  const walking = new Set<string>();
  let refresh: () => void = () => undefined;
  // Long enough for the diagnostics just published to leave the process before a load blocks the loop.
  const later = (work: () => void) => setTimeout(work, 25);

  // Packs other than the base images (a few KB) load on a later tick: the first analysis runs without them
  // (those layers show as unknown), then all that were asked for load together and documents are analysed again.
  const loadedPacks = new Set<string>();
  const pendingPacks = new Map<string, () => unknown>();
  const loadPending = () => {
    for (const [key, load] of pendingPacks) {
      try {
        load();
      } catch {
        // The pack loaders report problems instead of throwing; a pack that still fails stays missing.
      }
      loadedPacks.add(key);
    }
    pendingPacks.clear();
    refresh();
  };
  const whenLoaded = <T>(key: string, load: () => T): T | null => {
    if (loadedPacks.has(key)) return load();
    if (!pendingPacks.has(key)) {
      if (pendingPacks.size === 0) later(loadPending);
      pendingPacks.set(key, load);
    }
    return null;
  };

  // One build context object per folder until files change or it is walked again: the engine reuses stage
  // estimates while the context is the same object, and every lookup here used to make a new one.
  const contexts = new Map<string, BuildContext>();
  const stableContext = (context: BuildContext | null): BuildContext | null => {
    if (!context) return null;
    const known = contexts.get(context.root);
    if (known) return known;
    contexts.set(context.root, context);
    return context;
  };

  const deferred = (inner: DataPacks): DataPacks => ({
    baseImages: () => inner.baseImages(),
    npmPackages: () => (inner.npmPackages ? whenLoaded('npm', () => inner.npmPackages?.() ?? null) : null),
    pythonWheels: () => (inner.pythonWheels ? whenLoaded('python', () => inner.pythonWheels?.() ?? null) : null),
    debian: (release) => whenLoaded(`debian:${release}`, () => inner.debian(release)),
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
            contexts.clear();
            walking.delete(root);
            refresh();
          });
        },
      });
      return { env: { ...env, context: stableContext(env.context), data: env.data ? deferred(env.data) : null }, rules: project.rules, buildArgs: project.buildArgs, problems: project.problems };
    },
    filesChanged(uris) {
      for (const uri of uris) environment.invalidate(uri.startsWith('file:') ? fileURLToPath(uri) : undefined);
      contexts.clear();
    },
    onDataLoaded(callback) {
      refresh = callback;
    },
  };
}
