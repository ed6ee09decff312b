/**
 * The engine environment backed by the file system, shared by the CLI and the language server:
 * the project config (`.dockerfile-lean.json`), the build context on disk, and the data packs.
 * Everything is cached and loaded lazily, so nothing here runs on the keystroke path twice.
 */
import path from 'node:path';
import type { EngineEnv } from '../engine-env';
import { BuildContextCache } from './build-context';
import { ProjectConfigCache, type ProjectConfig } from './config-file';
import { FileDataPacks } from './data-packs';

export interface PrepareOptions {
  /** Build context folder; relative paths are taken from the Dockerfile's folder. Default: that folder. */
  buildContext?: string;
  /** In an untrusted workspace nothing outside the open file is read. */
  trusted?: boolean;
  /** The user's JSON file of private base images. */
  userDataFile?: string;
}

export interface Prepared {
  env: EngineEnv;
  project: ProjectConfig;
}

export class FileSystemEnvironment {
  private readonly contexts = new BuildContextCache();
  private readonly configs = new ProjectConfigCache();
  private readonly packsByUserFile = new Map<string, FileDataPacks>();

  /** Data packs load on first use; one set per user data file (dockerfileLean.dataFile). */
  dataPacks(userDataFile = ''): FileDataPacks {
    let packs = this.packsByUserFile.get(userDataFile);
    if (!packs) {
      packs = new FileDataPacks(undefined, userDataFile || null);
      this.packsByUserFile.set(userDataFile, packs);
    }
    return packs;
  }

  prepare(dockerfilePath: string, options: PrepareOptions = {}): Prepared {
    if (options.trusted === false) {
      // Shipped data packs are ours, not the workspace's: reading them is safe in untrusted workspaces.
      return { env: { data: this.dataPacks(), context: null }, project: { file: null, rules: {}, buildArgs: {}, buildContext: null, problems: [] } };
    }
    const project = this.configs.forDockerfile(dockerfilePath);
    const folder = path.dirname(path.resolve(dockerfilePath));
    const root = options.buildContext ? path.resolve(folder, options.buildContext) : project.buildContext ?? folder;
    const data = this.dataPacks(options.userDataFile ? path.resolve(folder, options.userDataFile) : '');
    return { env: { data, context: this.contexts.get(root) }, project: { ...project, problems: [...project.problems, ...data.problems] } };
  }

  /** A file changed on disk: forget cached walks and configs that may include it. */
  invalidate(changedPath?: string): void {
    this.contexts.invalidate(changedPath);
    if (!changedPath || path.basename(changedPath) === '.dockerfile-lean.json') this.configs.invalidate();
  }
}
