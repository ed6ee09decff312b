/**
 * The build context on disk, as `docker build` would send it: every file under the context root that
 * `.dockerignore` lets through (Docker's own matching rules, via @balena/dockerignore, including `!`
 * exceptions). The walk is bounded in entries and time, never follows symbolic links (so it can never leave
 * the context), and skips unreadable entries. Results are cached per root and re-read when stale.
 */
import { lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ignore from '@balena/dockerignore';
import type { BuildContext, ContextMeasurement } from '../engine-env';
import { matchSegment, trimSlashes } from '../text/glob';

export { matchSegment };

export interface WalkLimits {
  maxEntries: number;
  maxMilliseconds: number;
}

export const defaultWalkLimits: WalkLimits = { maxEntries: 200_000, maxMilliseconds: 1500 };

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

export function contextFromSnapshot(snapshot: ContextSnapshot): BuildContext {
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
