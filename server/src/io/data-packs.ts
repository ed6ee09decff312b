/**
 * Loads the data packs from server/data once, lazily, on first use (never at start-up), and keeps them
 * for the process. A missing or corrupt pack is reported once and treated as absent: estimates then say
 * "no data" instead of failing.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { DataPacks } from '../engine-env';
import { DebianIndex } from '../sizing/debian';
import { isBaseImageData, type BaseImageData } from '../sizing/base-images';

/** server/data, found by walking up from this file (bundled: server/out; in tests: server/src/io). */
export function findDataDir(start: string = __dirname): string | null {
  let dir = start;
  for (let i = 0; i < 6; i++) {
    for (const candidate of [path.join(dir, 'server', 'data'), path.join(dir, 'data')]) {
      if (existsSync(path.join(candidate, 'base-images.json'))) return candidate;
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return null;
}

export class FileDataPacks implements DataPacks {
  private baseImageData: BaseImageData | null | undefined;
  private readonly debianIndexes = new Map<string, DebianIndex | null>();
  readonly problems: string[] = [];

  constructor(private readonly dataDir: string | null = findDataDir(), private readonly userDataFile: string | null = null) {
    if (!dataDir) this.problems.push('Dockerfile Lean: data folder (server/data) not found: size estimates are unavailable');
  }

  baseImages(): BaseImageData | null {
    if (this.baseImageData !== undefined) return this.baseImageData;
    this.baseImageData = null;
    if (!this.dataDir) return null;
    const shipped = this.readJson(path.join(this.dataDir, 'base-images.json'), false);
    if (!isBaseImageData(shipped)) {
      if (shipped !== null) this.problems.push('base-images.json is not a valid data pack: base sizes unavailable');
      return null;
    }
    this.baseImageData = this.withUserImages(shipped);
    return this.baseImageData;
  }

  debian(release: string): DebianIndex | null {
    if (this.debianIndexes.has(release)) return this.debianIndexes.get(release) ?? null;
    let index: DebianIndex | null = null;
    if (this.dataDir && /^[a-z]+$/.test(release)) {
      const file = path.join(this.dataDir, `debian-${release}-amd64.json.gz`);
      if (existsSync(file)) {
        const pack = this.readJson(file, true);
        if (DebianIndex.isPack(pack)) index = new DebianIndex(pack);
        else if (pack !== null) this.problems.push(`${path.basename(file)} is not a valid Debian data pack: apt sizes unavailable`);
      }
    }
    this.debianIndexes.set(release, index);
    return index;
  }

  private readJson(file: string, gzipped: boolean): unknown {
    try {
      const raw = readFileSync(file);
      return JSON.parse((gzipped ? gunzipSync(raw) : raw).toString('utf8'));
    } catch (error) {
      this.problems.push(`could not read ${path.basename(file)}: ${(error as Error).message}`);
      return null;
    }
  }

  /**
   * The user's own images (setting dockerfileLean.dataFile): `{ "images": [{ "repository", "tag", "bytes", "os"? }] }`.
   * They come first, so a private tag wins over the shipped data.
   */
  private withUserImages(data: BaseImageData): BaseImageData {
    if (!this.userDataFile) return data;
    const user = this.readJson(this.userDataFile, false) as { images?: unknown } | null;
    if (!user || !Array.isArray(user.images)) {
      if (user !== null) this.problems.push(`${this.userDataFile}: expected { "images": [ { "repository", "tag", "bytes" } ] }`);
      return data;
    }
    const images = user.images.flatMap((raw) => {
      const e = raw as Record<string, unknown>;
      if (typeof e.repository !== 'string' || typeof e.tag !== 'string' || typeof e.bytes !== 'number' || e.bytes < 0) {
        this.problems.push(`${this.userDataFile}: skipped an image entry without repository, tag and bytes`);
        return [];
      }
      return [{
        repository: e.repository, tag: e.tag, resolvedTag: `${e.repository}:${e.tag}`, os: typeof e.os === 'string' ? e.os : 'other',
        osRelease: typeof e.osRelease === 'string' ? e.osRelease : null, bytes: e.bytes, sizeText: `${(e.bytes / 1e6).toFixed(1)} MB`,
        sourcePath: this.userDataFile as string, sourceCommit: '',
      }];
    });
    return { ...data, images: [...images, ...data.images] };
  }
}
