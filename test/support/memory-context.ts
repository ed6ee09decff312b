import ignore from '@balena/dockerignore';
import type { BuildContext } from '../../server/src/engine-env';
import { contextFromSnapshot } from '../../server/src/io/build-context';

/**
 * A build context held in memory: path → size in bytes, or file content. It answers exactly as the real
 * one (server/src/io/build-context.ts) does: the same COPY source matching (globs included), and a
 * `.dockerignore` entry's patterns applied with Docker's rules (the same library, `!` exceptions too).
 */
export function memoryContext(files: Record<string, number | string>, root = '/ctx'): BuildContext {
  const ignoreFile = files['.dockerignore'] ?? files['./.dockerignore'];
  const patterns = typeof ignoreFile === 'string'
    ? ignoreFile.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'))
    : null;
  const matcher = ignore().add(patterns ?? []);
  const entries = Object.entries(files)
    .map(([path, v]) => ({ path: path.replace(/^\.?\//, ''), bytes: typeof v === 'number' ? v : Buffer.byteLength(v) }))
    .filter((e) => !matcher.ignores(e.path));
  return contextFromSnapshot({ root, files: entries, dockerignore: patterns, truncated: false, unreadable: 0, walkedAt: 0 });
}
