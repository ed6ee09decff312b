/**
 * The build context on disk, as `docker build` would send it: every file under the context root that
 * `.dockerignore` lets through (Docker's own matching rules, via @balena/dockerignore, including `!`
 * exceptions). The walk is bounded in entries and time, never follows symbolic links (so it can never leave
 * the context), and skips unreadable entries. Results are cached per root and re-read when stale.
 */
import { closeSync, lstatSync, openSync, readdirSync, readFileSync, readSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import ignore from '@balena/dockerignore';
import type { ArchiveFacts, BuildContext, ContextMeasurement, FolderListing } from '../engine-env';
import { matchSegment, trimSlashes } from '../text/glob';
import { inspectArchive, type RandomAccess } from './archive';

export { matchSegment };

export interface WalkLimits {
  maxEntries: number;
  maxMilliseconds: number;
}

export const defaultWalkLimits: WalkLimits = { maxEntries: 200_000, maxMilliseconds: 1500 };

/** Limits for one folder listed past .dockerignore (node_modules can hold 100,000 files). */
export const folderWalkLimits: WalkLimits = { maxEntries: 100_000, maxMilliseconds: 1000 };

interface ContextFile { path: string; bytes: number }

export interface ContextSnapshot {
  root: string;
  files: ContextFile[];
  dockerignore: string[] | null;
  truncated: boolean;
  /** Entries that could not be read (permissions, races). */
  unreadable: number;
  walkedAt: number;
}

/** Reads `.dockerignore` lines as Docker does: comments and blank lines dropped, patterns trimmed. */
export function readDockerignore(root: string): string[] | null {
  let text: string;
  try {
    text = readFileSync(path.join(root, '.dockerignore'), 'utf8');
  } catch {
    return null;
  }
  return text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
}

export function walkContext(root: string, limits: WalkLimits = defaultWalkLimits, now: () => number = Date.now): ContextSnapshot {
  const started = now();
  const patterns = readDockerignore(root);
  const matcher = ignore().add(patterns ?? []);
  // With `!` exceptions, an excluded folder may still contribute files, so it must be walked.
  const hasExceptions = (patterns ?? []).some((p) => p.startsWith('!'));
  const files: ContextFile[] = [];
  let entries = 0;
  let unreadable = 0;
  let truncated = false;
  const stack: string[] = [''];
  while (stack.length > 0) {
    const relativeDir = stack.pop() as string;
    let names: string[];
    try {
      names = readdirSync(path.join(root, relativeDir));
    } catch {
      unreadable++;
      continue;
    }
    for (const name of names) {
      if (++entries > limits.maxEntries || now() - started > limits.maxMilliseconds) { truncated = true; break; }
      const relative = relativeDir ? `${relativeDir}/${name}` : name;
      let stats;
      try {
        stats = lstatSync(path.join(root, relative));
      } catch {
        unreadable++;
        continue;
      }
      const ignored = matcher.ignores(relative);
      if (stats.isDirectory()) {
        if (!ignored || hasExceptions) stack.push(relative);
      } else if (!ignored) {
        // Symbolic links are copied as links: they cost their target's length, as overlay2 counts them.
        const bytes = stats.isSymbolicLink() ? safeLinkLength(stats.size) : stats.isFile() ? stats.size : 0;
        files.push({ path: relative, bytes });
      }
    }
    if (truncated) break;
  }
  return { root, files, dockerignore: patterns, truncated, unreadable, walkedAt: now() };
}

function safeLinkLength(size: number): number {
  return Number.isFinite(size) ? size : 0;
}

/** Docker COPY source pattern → matcher over context-relative paths (filepath.Match: `*`, `?`, `[…]`). */
export function sourceMatcher(source: string): (filePath: string) => boolean {
  // On Linux a backslash escapes the next pattern character; it is not a path separator.
  const cleaned = trimSlashes(path.posix.normalize(source));
  if (cleaned === '' || cleaned === '.') return () => true;
  if (!/[*?[]/.test(cleaned)) return (p) => p === cleaned || p.startsWith(cleaned + '/');
  const patternSegments = cleaned.split('/');
  // A match of the pattern's segments selects that path and everything below it.
  return (p) => {
    const segments = p.split('/');
    return segments.length >= patternSegments.length && patternSegments.every((pattern, i) => matchSegment(pattern, segments[i]));
  };
}

/** How a context reads file contents and folders past .dockerignore: from disk, or from memory in tests. */
export interface ContextReader {
  readText(relativePath: string, maxBytes: number): string | null;
  filesUnder(relativeFolder: string): FolderListing | null;
  /** Random access to one context file (for archive headers); null when unreadable. */
  open?(relativePath: string): RandomAccess | null;
}

/** A context path without `./`, trailing slashes or `..` escapes; null when it would leave the context. */
export function cleanContextPath(source: string): string | null {
  const cleaned = trimSlashes(path.posix.normalize(source));
  if (cleaned === '.' || cleaned === '') return '';
  return cleaned === '..' || cleaned.startsWith('../') ? null : cleaned;
}

const folderListings = new WeakMap<ContextSnapshot, Map<string, FolderListing | null>>();

/** Reads the context on disk: regular files only, never through a link, never outside the (real) root. */
export function diskReader(snapshot: ContextSnapshot, limits: WalkLimits = folderWalkLimits): ContextReader {
  const inside = (relative: string): string | null => {
    const full = path.join(snapshot.root, relative);
    try {
      const realRoot = realpathSync(snapshot.root);
      const real = realpathSync(full);
      return real === realRoot || real.startsWith(realRoot + path.sep) ? full : null;
    } catch {
      return null;
    }
  };
  return {
    readText(relativePath, maxBytes) {
      const full = inside(relativePath);
      if (!full) return null;
      try {
        const stats = lstatSync(full);
        if (!stats.isFile() || stats.size > maxBytes) return null;
        return readFileSync(full, 'utf8');
      } catch {
        return null;
      }
    },
    open(relativePath) {
      const full = inside(relativePath);
      return full ? diskFile(full) : null;
    },
    filesUnder(relativeFolder) {
      let cache = folderListings.get(snapshot);
      if (!cache) folderListings.set(snapshot, (cache = new Map()));
      if (cache.has(relativeFolder)) return cache.get(relativeFolder) ?? null;
      const full = inside(relativeFolder);
      let listing: FolderListing | null = null;
      try {
        if (full && lstatSync(full).isDirectory()) listing = walkFolder(full, limits);
      } catch {
        listing = null;
      }
      cache.set(relativeFolder, listing);
      return listing;
    },
  };
}

/** A regular file read at offsets, opened on the first read and kept open until `close`. */
function diskFile(full: string): RandomAccess | null {
  try {
    const stats = lstatSync(full);
    if (!stats.isFile()) return null;
    let fd: number | null = null;
    return {
      size: stats.size,
      read(start, length) {
        try {
          fd ??= openSync(full, 'r');
          const buffer = Buffer.alloc(length);
          const got = readSync(fd, buffer, 0, length, start);
          return buffer.subarray(0, got);
        } catch {
          return null;
        }
      },
      close() {
        if (fd !== null) closeSync(fd);
        fd = null;
      },
    };
  } catch {
    return null;
  }
}

/** Every regular file (and link, at its own length) under `folder`, bounded like the context walk. */
export function walkFolder(folder: string, limits: WalkLimits, now: () => number = Date.now): FolderListing {
  const started = now();
  const files: { path: string; bytes: number }[] = [];
  let entries = 0;
  const stack: string[] = [''];
  while (stack.length > 0) {
    const relativeDir = stack.pop() as string;
    let names: string[];
    try {
      names = readdirSync(path.join(folder, relativeDir));
    } catch {
      continue;
    }
    for (const name of names) {
      if (++entries > limits.maxEntries || now() - started > limits.maxMilliseconds) return { files, truncated: true };
      const relative = relativeDir ? `${relativeDir}/${name}` : name;
      let stats;
      try {
        stats = lstatSync(path.join(folder, relative));
      } catch {
        continue;
      }
      if (stats.isDirectory()) stack.push(relative);
      else files.push({ path: relative, bytes: stats.isSymbolicLink() ? safeLinkLength(stats.size) : stats.isFile() ? stats.size : 0 });
    }
  }
  return { files, truncated: false };
}

export function contextFromSnapshot(snapshot: ContextSnapshot, reader: ContextReader = diskReader(snapshot)): BuildContext {
  return {
    root: snapshot.root,
    dockerignore: snapshot.dockerignore,
    measure(source: string): ContextMeasurement {
      const matches = sourceMatcher(source);
      let bytes = 0;
      let count = 0;
      const sample: string[] = [];
      for (const file of snapshot.files) {
        if (!matches(file.path)) continue;
        bytes += file.bytes;
        count++;
        if (sample.length < 5) sample.push(file.path);
      }
      return { bytes, files: count, truncated: snapshot.truncated, sample };
    },
    exists(source: string): boolean {
      const matches = sourceMatcher(source);
      return snapshot.files.some((f) => matches(f.path));
    },
    readText(source: string, maxBytes: number): string | null {
      const relative = cleanContextPath(source);
      // Only a file the context sends: .dockerignore applies, as it does to the COPY that brings it in.
      if (!relative || !snapshot.files.some((f) => f.path === relative)) return null;
      return reader.readText(relative, maxBytes);
    },
    filesUnder(folder: string): FolderListing | null {
      const relative = cleanContextPath(folder);
      return relative === null ? null : reader.filesUnder(relative);
    },
    archives(source: string): ArchiveFacts[] {
      const named = directMatcher(source);
      const facts: ArchiveFacts[] = [];
      for (const file of snapshot.files) {
        if (!named(file.path)) continue;
        if (facts.length >= maxArchivesPerSource) break;
        facts.push(archiveFactsOf(snapshot, reader, file));
      }
      return facts;
    },
  };
}

const maxArchivesPerSource = 64;

/** Facts per file, kept while its size and modification time stay the same (inspection can unpack megabytes). */
const archiveFactsCache = new Map<string, ArchiveFacts>();

function archiveFactsOf(snapshot: ContextSnapshot, reader: ContextReader, file: ContextFile): ArchiveFacts {
  const opened = reader.open?.(file.path) ?? null;
  if (!opened) return { path: file.path, archiveBytes: file.bytes, compression: 'none', handling: 'unknown', contentBytes: null, entries: null, streamBytes: null, limit: 'the file could not be read' };
  try {
    let stamp: string;
    try {
      stamp = String(statSync(path.join(snapshot.root, file.path)).mtimeMs);
    } catch {
      // Not on disk (an in-memory context): nothing to key a cache entry on, and nothing costly to redo.
      return inspectArchive(file.path, opened);
    }
    const key = `${snapshot.root}\0${file.path}\0${opened.size}\0${stamp}`;
    const cached = archiveFactsCache.get(key);
    if (cached) return cached;
    const facts = inspectArchive(file.path, opened);
    if (archiveFactsCache.size >= 256) archiveFactsCache.clear();
    archiveFactsCache.set(key, facts);
    return facts;
  } finally {
    opened.close?.();
  }
}

/** Matches only the paths a source names itself (a file, or a glob's own matches), not files under a folder. */
function directMatcher(source: string): (filePath: string) => boolean {
  const cleaned = trimSlashes(path.posix.normalize(source));
  if (cleaned === '' || cleaned === '.') return () => false;
  if (!/[*?[]/.test(cleaned)) return (p) => p === cleaned;
  const patternSegments = cleaned.split('/');
  return (p) => {
    const segments = p.split('/');
    return segments.length === patternSegments.length && patternSegments.every((pattern, i) => matchSegment(pattern, segments[i]));
  };
}

/**
 * Caches one snapshot per context root. The server calls `invalidate` when the editor reports file
 * changes; `maxAgeMs` bounds staleness for changes made outside the editor.
 */
export class BuildContextCache {
  private readonly snapshots = new Map<string, ContextSnapshot>();

  constructor(private readonly maxAgeMs = 10_000, private readonly limits: WalkLimits = defaultWalkLimits) {}

  /** The cached context of a root, without walking; null when it was never walked or is stale. */
  peek(root: string): BuildContext | null {
    const cached = this.snapshots.get(root);
    return cached && Date.now() - cached.walkedAt < this.maxAgeMs ? contextFromSnapshot(cached) : null;
  }

  get(root: string): BuildContext | null {
    try {
      if (!statSync(root).isDirectory()) return null;
    } catch {
      return null;
    }
    const cached = this.snapshots.get(root);
    if (cached && Date.now() - cached.walkedAt < this.maxAgeMs) return contextFromSnapshot(cached);
    const snapshot = walkContext(root, this.limits);
    this.snapshots.set(root, snapshot);
    return contextFromSnapshot(snapshot);
  }

  /** Forget snapshots whose root contains `changedPath` (or all, without an argument). */
  invalidate(changedPath?: string): void {
    if (!changedPath) { this.snapshots.clear(); return; }
    for (const root of this.snapshots.keys()) if (changedPath === root || changedPath.startsWith(root + path.sep)) this.snapshots.delete(root);
  }
}
