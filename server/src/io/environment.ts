/**
 * The engine environment backed by the file system, shared by the CLI and the language server:
 * the project config (`.dockerfile-lean.json`), the build context on disk, and the data packs.
 * Everything is cached and loaded lazily, so nothing here runs on the keystroke path twice.
 */
import path from 'node:path';
import type { EngineEnv } from '../engine-env';
import { BuildContextCache } from './build-context';
import { ProjectConfigCache, type ProjectConfig } from './config-file';

export interface PrepareOptions {
  /** Build context folder; relative paths are taken from the Dockerfile's folder. Default: that folder. */
  buildContext?: string;
  /** In an untrusted workspace nothing outside the open file is read. */
  trusted?: boolean;
}

export interface Prepared {
  env: EngineEnv;
  project: ProjectConfig;
}

export class FileSystemEnvironment {
  private readonly contexts = new BuildContextCache();
  private readonly configs = new ProjectConfigCache();

  prepare(dockerfilePath: string, options: PrepareOptions = {}): Prepared {
    if (options.trusted === false) {
      return { env: { data: null, context: null }, project: { file: null, rules: {}, buildArgs: {}, buildContext: null, problems: [] } };
    }
    const project = this.configs.forDockerfile(dockerfilePath);
    const folder = path.dirname(path.resolve(dockerfilePath));
    const root = options.buildContext ? path.resolve(folder, options.buildContext) : project.buildContext ?? folder;
    return { env: { data: null, context: this.contexts.get(root) }, project };
  }

  /** A file changed on disk: forget cached walks and configs that may include it. */
  invalidate(changedPath?: string): void {
    this.contexts.invalidate(changedPath);
    if (!changedPath || path.basename(changedPath) === '.dockerfile-lean.json') this.configs.invalidate();
  }
}
