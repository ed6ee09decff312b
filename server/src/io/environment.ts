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
  /**
   * Called instead of walking the build context when it is not cached yet (the language server walks it on
   * a later tick, so the first diagnostics never wait for the disk). Without it the walk happens at once.
   */
  contextMissing?: (root: string) => void;
}

export interface Prepared {
  env: EngineEnv;
  project: ProjectConfig;
}

export class FileSystemEnvironment {
  private readonly contexts: BuildContextCache;

  /** `contextMaxAgeMs`: how long a walk is trusted without a file-change notice (the server gets notices). */
  constructor(contextMaxAgeMs = 10_000) {
    this.contexts = new BuildContextCache(contextMaxAgeMs);
  }

  /** Roots found not to be folders (unsaved files, deleted folders): not walked again until files change. */
  private readonly missingRoots = new Set<string>();

  /** Walks (or re-walks) a build context now and caches it. */
  walkContext(root: string): void {
    this.contexts.invalidate(root);
    if (!this.contexts.get(root)) this.missingRoots.add(root);
  }

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
    let context = options.contextMissing ? this.contexts.peek(root) : this.contexts.get(root);
    if (!context && options.contextMissing && !this.missingRoots.has(root)) options.contextMissing(root);
    context ??= null;
    return { env: { data, context }, project: { ...project, problems: [...project.problems, ...data.problems] } };
  }

  /** A file changed on disk: forget cached walks and configs that may include it. */
  invalidate(changedPath?: string): void {
    this.contexts.invalidate(changedPath);
    this.missingRoots.clear();
    if (!changedPath || path.basename(changedPath) === '.dockerfile-lean.json') this.configs.invalidate();
  }
}
