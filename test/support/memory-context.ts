import ignore from '@balena/dockerignore';
import type { BuildContext, FolderListing } from '../../server/src/engine-env';
import { contextFromSnapshot, type ContextReader } from '../../server/src/io/build-context';

/**
 * A build context held in memory: path → size in bytes, or file content. It answers exactly as the real
 * one (server/src/io/build-context.ts) does: the same COPY source matching (globs included), and a
 * `.dockerignore` entry's patterns applied with Docker's rules (the same library, `!` exceptions too).
 * `readText` gives the content of string entries; `filesUnder` lists every entry under a folder, ignored
 * or not, as the disk reader does; byte entries (Uint8Array) are files whose content ADD inspects (archives).
 */
export function memoryContext(files: Record<string, number | string | Uint8Array>, root = '/ctx'): BuildContext {
  const ignoreFile = files['.dockerignore'] ?? files['./.dockerignore'];
  const patterns = typeof ignoreFile === 'string'
    ? ignoreFile.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'))
    : null;
  const matcher = ignore().add(patterns ?? []);
  const all = Object.entries(files).map(([path, v]) => ({ path: path.replace(/^\.?\//, ''), value: v, bytes: typeof v === 'number' ? v : Buffer.byteLength(v) }));
  const entries = all.filter((e) => !matcher.ignores(e.path)).map(({ path, bytes }) => ({ path, bytes }));
  const reader: ContextReader = {
    readText(relativePath, maxBytes) {
      const entry = all.find((e) => e.path === relativePath);
      return entry && typeof entry.value === 'string' && entry.bytes <= maxBytes ? entry.value : null;
    },
    open(relativePath) {
      const value = all.find((e) => e.path === relativePath)?.value;
      if (value === undefined || typeof value === 'number') return null;
      const bytes = typeof value === 'string' ? Buffer.from(value) : value;
      return { size: bytes.length, read: (start, length) => bytes.subarray(start, start + length) };
    },
    filesUnder(folder): FolderListing | null {
      const prefix = folder === '' ? '' : `${folder}/`;
      const inside = all.filter((e) => e.path.startsWith(prefix)).map((e) => ({ path: e.path.slice(prefix.length), bytes: e.bytes }));
      return inside.length > 0 ? { files: inside, truncated: false } : null;
    },
  };
  return contextFromSnapshot({ root, files: entries, dockerignore: patterns, truncated: false, unreadable: 0, walkedAt: 0 }, reader);
}
