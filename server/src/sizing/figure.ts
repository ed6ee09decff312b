/**
 * A size figure never travels as a bare number: it carries where it came from and how far to trust it,
 * so every message and hover can say "~12 MB (medium confidence, Debian package index)".
 */
export type FigureSource =
  | 'image-manifest'   // base image sizes from docker-library repo-info
  | 'package-index'    // Debian/Alpine package indexes (Installed-Size, dependency closure)
  | 'measured'         // measured on disk (build context, node_modules)
  | 'known-package'    // curated size of a well-known pip/npm package
  | 'derived'          // computed from other figures (e.g. COPY --from a stage's estimate)
  | 'heuristic';       // labelled rule of thumb

export type Confidence = 'high' | 'medium' | 'low';

export interface Figure {
  bytes: number;
  low?: number;
  high?: number;
  source: FigureSource;
  confidence: Confidence;
  /** One short line saying what the figure is based on. */
  note?: string;
}

const order: Confidence[] = ['low', 'medium', 'high'];

export function weakest(...levels: Confidence[]): Confidence {
  return levels.reduce((a, b) => (order.indexOf(a) <= order.indexOf(b) ? a : b), 'high' as Confidence);
}

export function sumFigures(figures: readonly Figure[], note?: string): Figure {
  if (figures.length === 0) return { bytes: 0, source: 'derived', confidence: 'high', note };
  const bytes = figures.reduce((s, f) => s + f.bytes, 0);
  const low = figures.reduce((s, f) => s + (f.low ?? f.bytes), 0);
  const high = figures.reduce((s, f) => s + (f.high ?? f.bytes), 0);
  const sources = new Set(figures.map((f) => f.source));
  return {
    bytes,
    ...(low !== bytes ? { low } : {}),
    ...(high !== bytes ? { high } : {}),
    source: sources.size === 1 ? figures[0].source : 'derived',
    confidence: weakest(...figures.map((f) => f.confidence)),
    note,
  };
}

/** "12.3 MB" — decimal megabytes, as `docker images` prints them. */
export function formatBytes(bytes: number): string {
  const abs = Math.abs(bytes);
  if (abs >= 1e9) return `${(bytes / 1e9).toFixed(2)} GB`;
  if (abs >= 1e6) return `${(bytes / 1e6).toFixed(abs >= 1e8 ? 0 : 1)} MB`;
  if (abs >= 1e3) return `${(bytes / 1e3).toFixed(0)} kB`;
  return `${bytes} B`;
}

export function formatFigure(f: Figure): string {
  return `~${formatBytes(f.bytes)} (${f.confidence} confidence)`;
}
