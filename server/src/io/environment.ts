/**
 * The engine environment backed by the file system: data packs (loaded once, lazily) and the build
 * context of a Dockerfile. Shared by the CLI and the language server.
 */
import type { EngineEnv } from '../engine-env';

export interface EnvironmentOptions {
  /** Build context folder; default: the Dockerfile's folder. */
  buildContext?: string;
}

export function fileSystemEnvironment(): (uri: string, options?: EnvironmentOptions) => EngineEnv {
  return () => ({ data: null, context: null });
}
