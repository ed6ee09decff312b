/**
 * What the engine may ask of the outside world. The engine itself does no IO: the CLI and the language
 * server pass implementations backed by the file system (see server/src/io/), tests pass in-memory ones.
 */
import type { Figure } from './sizing/figure';
import type { BaseImageData } from './sizing/base-images';
import type { DebianIndex } from './sizing/debian';

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
}

/** Loaded lazily by the IO layer (server/src/io/data-packs.ts); the sizing modules define what the packs hold. */
export interface DataPacks {
  baseImages(): BaseImageData | null;
  debian(release: string): DebianIndex | null;
}

export interface EngineEnv {
  data: DataPacks | null;
  context: BuildContext | null;
}

export type { Figure };
