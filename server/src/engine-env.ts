/**
 * What the engine may ask of the outside world. The engine itself does no IO: the CLI and the language
 * server pass implementations backed by the file system (see server/src/io/), tests pass in-memory ones.
 */
import type { Figure } from './sizing/figure';
import type { BaseImageData } from './sizing/base-images';
import type { DebianIndex } from './sizing/debian';
import type { NpmPackData } from './sizing/sizers/node-packages';
import type { PythonWheelData } from './sizing/sizers/python-wheels';

export interface ContextMeasurement {
  bytes: number;
  files: number;
  /** True when the walk stopped at its time or entry limit, so `bytes` is a lower bound. */
  truncated: boolean;
  /** Paths that matched (relative, at most a few, for messages). */
  sample: string[];
}

export interface BuildContext {
  /** Absolute path of the context root, for messages. */
  root: string;
  /** Patterns of the context's .dockerignore, or null when there is none. */
  dockerignore: string[] | null;
  /** Total size of the files a COPY/ADD source would send (after .dockerignore). Null when unreadable. */
  measure(source: string): ContextMeasurement | null;
  /** Whether a path (relative to the context root) exists and survives .dockerignore. */
  exists(path: string): boolean;
  /**
   * Text of one context file that survives .dockerignore (a lockfile, a requirements file), or null when it
   * is missing, larger than `maxBytes`, a link, or unreadable. Never reads outside the context.
   */
  readText(path: string, maxBytes: number): string | null;
  /**
   * Files under a context folder whether or not .dockerignore sends them (e.g. the workspace's own
   * node_modules, a stand-in for what an install in the image writes), paths relative to that folder;
   * a bounded walk that never follows links. Null when the folder does not exist.
   */
  filesUnder(folder: string): FolderListing | null;
  /**
   * The archives among the files a COPY/ADD source names directly (not files inside a named folder):
   * what `ADD` would unpack and how big that is. Optional: a context that cannot read files leaves it out.
   */
  archives?(source: string): ArchiveFacts[];
}

export type ArchiveCompression = 'none' | 'gzip' | 'bzip2' | 'xz' | 'zstd';

/** One context file as `ADD` sees it (see server/src/io/archive.ts). */
export interface ArchiveFacts {
  /** Context-relative path. */
  path: string;
  archiveBytes: number;
  compression: ArchiveCompression;
  /** 'unpacked': a tar, ADD extracts it; 'copied': not a tar, ADD copies it as it is; 'unknown': cannot tell. */
  handling: 'unpacked' | 'copied' | 'unknown';
  /** Sum of the entries as a layer counts them (files, link targets; hard links and folders 0), when read. */
  contentBytes: number | null;
  entries: number | null;
  /** Length of the unpacked tar stream (headers and padding included): an upper bound on the content. */
  streamBytes: number | null;
  /** Why the entries were not (all) read. */
  limit: string | null;
}

export interface FolderListing {
  files: readonly { path: string; bytes: number }[];
  /** True when the walk stopped at its time or entry limit, so the listing is partial. */
  truncated: boolean;
}

/** Loaded lazily by the IO layer (server/src/io/data-packs.ts); the sizing modules define what the packs hold. */
export interface DataPacks {
  baseImages(): BaseImageData | null;
  debian(release: string): DebianIndex | null;
  /** Installed, tarball and metadata sizes of popular npm packages (server/data/npm-packages.json.gz). */
  npmPackages?(): NpmPackData | null;
  /** Wheel sizes of common heavy Python packages and the measured wheel → installed ratios. */
  pythonWheels?(): PythonWheelData | null;
}

export interface EngineEnv {
  data: DataPacks | null;
  context: BuildContext | null;
  /** Platform the build targets (setting dockerfileLean.platform), e.g. `linux/arm64`; the data is amd64. */
  platform?: string | null;
}

export type { Figure };
