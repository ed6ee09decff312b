import { fileURLToPath } from 'node:url';
import { FileSystemEnvironment } from '../io/environment';
import type { ServerHooks } from './server';

/** The server's access to disk: project config, build context and data packs for `file:` documents. */
export function fileSystemHooks(): ServerHooks {
  const environment = new FileSystemEnvironment();
  return {
    prepare(uri, settings, trusted) {
      if (!uri.startsWith('file:')) return { env: { data: null, context: null }, rules: {}, buildArgs: {}, problems: [] };
      const { env, project } = environment.prepare(fileURLToPath(uri), { buildContext: settings.buildContext || undefined, trusted, userDataFile: settings.dataFile || undefined });
      return { env, rules: project.rules, buildArgs: project.buildArgs, problems: project.problems };
    },
    filesChanged(uris) {
      for (const uri of uris) environment.invalidate(uri.startsWith('file:') ? fileURLToPath(uri) : undefined);
    },
  };
}
