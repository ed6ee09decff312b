import type { BuildContext, ContextMeasurement } from '../../server/src/engine-env';

/** A build context held in memory: path → size in bytes, or file content. */
export function memoryContext(files: Record<string, number | string>, root = '/ctx'): BuildContext {
  const entries = Object.entries(files).map(([path, v]) => ({ path: path.replace(/^\.?\//, ''), bytes: typeof v === 'number' ? v : Buffer.byteLength(v) }));
  const ignore = files['.dockerignore'];
  const under = (source: string, path: string) => {
    const s = source.replace(/^\.?\/?/, '').replace(/\/$/, '');
    return s === '' || s === '.' || path === s || path.startsWith(s + '/');
  };
  return {
    root,
    dockerignore: typeof ignore === 'string' ? ignore.split(/\r?\n/).filter((l) => l.trim() && !l.startsWith('#')) : null,
    measure(source: string): ContextMeasurement {
      const hits = entries.filter((e) => under(source, e.path));
      return { bytes: hits.reduce((s, e) => s + e.bytes, 0), files: hits.length, truncated: false, sample: hits.slice(0, 5).map((e) => e.path) };
    },
    exists(path: string) { return entries.some((e) => under(path, e.path)); },
  };
}
