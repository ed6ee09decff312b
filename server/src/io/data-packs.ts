/**
 * Loads the data packs of server/data lazily, on first use (never at start-up), once per process, shared by
 * every document: base-images.json is parsed; a Debian pack (debian-<release>-amd64.pack, a few MB of
 * binary) is read into one buffer that the index works on in place. A missing or corrupt pack is not an
 * error for the caller: it gets null and a problem message, and estimates say "no data".
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { DataPacks } from '../engine-env';
import { DebianIndex } from '../sizing/debian';
import { DEBIAN_PACK_FORMAT } from '../sizing/debian-pack';
import { isBaseImageData, type BaseImageData, type BaseImageEntry } from '../sizing/base-images';
import type { NpmPackData } from '../sizing/sizers/node-packages';
import type { PythonWheelData } from '../sizing/sizers/python-wheels';
import { loadNpmPackData, loadPythonWheelData } from './package-packs';

export interface PackLoad<T> {
  value: T | null;
  /** Why value is null (missing, unreadable, corrupt), for the log; null when it loaded. */
  problem: string | null;
}

/**
 * The data folder: walking up from `start` to the first folder holding server/data/base-images.json or
 * data/base-images.json (sources run from server/src/io under tsx; the bundle runs from server/out).
 */
export function findDataDir(start: string = __dirname): string | null {
  let dir = path.resolve(start);
  for (;;) {
    for (const candidate of [path.join(dir, 'server', 'data'), path.join(dir, 'data')]) {
      if (existsSync(path.join(candidate, 'base-images.json'))) return candidate;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

const cache = new Map<string, PackLoad<unknown>>();

/** Forgets loaded packs (tests that rewrite a pack file). */
export function clearDataPackCache(): void {
  cache.clear();
}

/** What a decoder makes of a file's bytes: the value, or why not (a wrong format, or a damaged file). */
type Decoded<T> = { value: T; problem: null } | { value: null; problem: string; kind: 'format' | 'corrupt' };

function loadOnce<T>(file: string, decode: (bytes: Buffer) => Decoded<T>, what: string, format: string): PackLoad<T> {
  const cached = cache.get(file);
  if (cached) return cached as PackLoad<T>;
  let result: PackLoad<T>;
  try {
    if (!existsSync(file)) {
      result = { value: null, problem: `${what} not found: ${file}` };
    } else {
      const decoded = decode(readFileSync(file));
      result = decoded.problem === null
        ? { value: decoded.value, problem: null }
        : decoded.kind === 'format'
          ? { value: null, problem: `${what} is not in the expected format (${format}): ${file}: ${decoded.problem}; regenerate it with npm run data` }
          : { value: null, problem: `${what} is corrupt or unreadable: ${file}: ${decoded.problem}` };
    }
  } catch (error) {
    result = { value: null, problem: `${what} is corrupt or unreadable: ${file}: ${(error as Error).message}` };
  }
  cache.set(file, result);
  return result;
}

export function loadBaseImageData(dataDir: string | null = findDataDir()): PackLoad<BaseImageData> {
  if (!dataDir) return { value: null, problem: 'data folder (server/data with base-images.json) not found' };
  const decode = (bytes: Buffer): Decoded<BaseImageData> => {
    const raw: unknown = JSON.parse(bytes.toString('utf8'));
    return isBaseImageData(raw) ? { value: raw, problem: null } : { value: null, problem: 'unexpected shape', kind: 'format' };
  };
  return loadOnce(path.join(dataDir, 'base-images.json'), decode, 'base image data', 'format 1');
}

/** The file a release's Debian pack is read from. */
export function debianPackFile(release: string, dataDir: string): string {
  return path.join(dataDir, `debian-${release}-amd64.pack`);
}

export function loadDebianIndex(release: string, dataDir: string | null = findDataDir()): PackLoad<DebianIndex> {
  if (!/^[a-z]+$/.test(release)) return { value: null, problem: `no Debian data pack for '${release}'` };
  if (!dataDir) return { value: null, problem: 'data folder (server/data with base-images.json) not found' };
  const decode = (bytes: Buffer): Decoded<DebianIndex> => {
    const load = DebianIndex.fromBytes(bytes);
    return load.index ? { value: load.index, problem: null } : { value: null, problem: load.problem, kind: load.kind };
  };
  return loadOnce(debianPackFile(release, dataDir), decode, `Debian ${release} data pack`, `binary pack format ${DEBIAN_PACK_FORMAT}`);
}

/**
 * The engine's DataPacks backed by server/data. Each problem is reported once in `problems` (the language
 * server logs them). `userDataFile` (setting dockerfileLean.dataFile) adds private images ahead of the
 * shipped ones: `{ "images": [{ "repository", "tag", "bytes", "os"?, "osRelease"? }] }`.
 */
export class FileDataPacks implements DataPacks {
  readonly problems: string[] = [];
  private merged: BaseImageData | null | undefined;

  constructor(private readonly dataDir: string | null = findDataDir(), private readonly userDataFile: string | null = null) {}

  baseImages(): BaseImageData | null {
    if (this.merged !== undefined) return this.merged;
    const shipped = this.note(loadBaseImageData(this.dataDir));
    this.merged = shipped && this.userDataFile ? this.withUserImages(shipped, this.userDataFile) : shipped;
    return this.merged;
  }

  debian(release: string): DebianIndex | null {
    const load = loadDebianIndex(release, this.dataDir);
    // No pack for a release no shipped base uses (sid, bullseye) is expected; a missing bookworm pack is not.
    const expected = this.baseImages()?.images.some((e) => e.os === 'debian' && e.osRelease === release) ?? true;
    if (load.value === null && !expected && / not found: /.test(load.problem ?? '')) return null;
    return this.note(load);
  }

  npmPackages(): NpmPackData | null {
    return this.note(loadNpmPackData(this.dataDir));
  }

  pythonWheels(): PythonWheelData | null {
    return this.note(loadPythonWheelData(this.dataDir));
  }

  private note<T>(load: PackLoad<T>): T | null {
    if (load.problem && !this.problems.includes(load.problem)) this.problems.push(load.problem);
    return load.value;
  }

  private withUserImages(data: BaseImageData, file: string): BaseImageData {
    let user: unknown;
    try {
      user = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      this.problems.push(`${file}: not readable as JSON: ${(error as Error).message}`);
      return data;
    }
    const list = (user as { images?: unknown } | null)?.images;
    if (!Array.isArray(list)) {
      this.problems.push(`${file}: expected { "images": [ { "repository", "tag", "bytes" } ] }`);
      return data;
    }
    const images: BaseImageEntry[] = [];
    for (const raw of list) {
      const e = raw as Record<string, unknown> | null;
      if (!e || typeof e.repository !== 'string' || typeof e.tag !== 'string' || typeof e.bytes !== 'number' || !(e.bytes >= 0)) {
        this.problems.push(`${file}: skipped an image entry without repository, tag and bytes`);
        continue;
      }
      images.push({
        repository: e.repository.replace(/^library\//, ''), tag: e.tag, resolvedTag: `${e.repository}:${e.tag}`,
        os: typeof e.os === 'string' ? e.os : 'other', osRelease: typeof e.osRelease === 'string' ? e.osRelease : null,
        bytes: e.bytes, sizeText: `${(e.bytes / 1e6).toFixed(1)} MB`, sourcePath: file, sourceCommit: '',
      });
    }
    return { ...data, images: [...images, ...data.images] };
  }
}
