/**
 * The npm data pack (server/data/npm-packages.json.gz, made by scripts/gen-npm-data.mjs): installed sizes of
 * popular packages measured after a real `npm install`, the tarball and metadata bytes npm's cache kept, and
 * the dependency closure of popular specs as npm resolved them on the day the pack was made.
 */

/** [installed bytes, files, tarball bytes or null] */
export type PackageSizes = [number, number, number | null];

export interface NpmPackData {
  format: 1;
  generatedAt: string;
  source: string;
  packages: Record<string, Record<string, PackageSizes>>;
  /** Bytes of each package's metadata document as npm caches it (fetched when no lockfile pins versions). */
  packuments: Record<string, number>;
  /** 'express@4' or 'express@4.21.2' → the closure `npm install` resolved for it. */
  closures: Record<string, { resolved: string; overhead: number; packages: string[] }>;
  stats: { packages: number; p25: number; median: number; p90: number };
}

export function isNpmPackData(raw: unknown): raw is NpmPackData {
  const data = raw as NpmPackData | null;
  return !!data && data.format === 1 && typeof data.packages === 'object' && typeof data.closures === 'object'
    && typeof data.packuments === 'object' && typeof data.stats?.median === 'number';
}

export interface PackageSize {
  installed: number;
  files: number;
  tarball: number | null;
  /** The version the sizes are of; differs from the one asked for when only a neighbour is known. */
  version: string;
  exact: boolean;
}

/** Sizes of name@version: exact, else the nearest known version of the same major line, else null. */
export function packageSize(data: NpmPackData, name: string, version: string): PackageSize | null {
  const versions = Object.prototype.hasOwnProperty.call(data.packages, name) ? data.packages[name] : undefined;
  if (!versions) return null;
  const hit = Object.prototype.hasOwnProperty.call(versions, version) ? versions[version] : undefined;
  if (hit) return { installed: hit[0], files: hit[1], tarball: hit[2], version, exact: true };
  const wanted = numericVersion(version);
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const candidate of Object.keys(versions)) {
    const parts = numericVersion(candidate);
    if (!wanted || !parts || parts[0] !== wanted[0]) continue;
    const distance = Math.abs((parts[1] - wanted[1]) * 10_000 + (parts[2] - wanted[2]));
    if (distance < bestDistance) { best = candidate; bestDistance = distance; }
  }
  if (best === null) return null;
  const near = versions[best];
  return { installed: near[0], files: near[1], tarball: near[2], version: best, exact: false };
}

/**
 * The closure for a dependency spec (`express`, `express@4`, `express@^4.18.0`, `express@4.21.2`): the exact
 * version's closure when the pack has one, else the major line's; without a range, the newest major line.
 */
export function closureFor(data: NpmPackData, name: string, range: string | null): NpmPackData['closures'][string] | null {
  const has = (key: string) => Object.prototype.hasOwnProperty.call(data.closures, key);
  const cleaned = (range ?? '').trim().replace(/^[\^~=v]+/, '');
  if (cleaned && has(`${name}@${cleaned}`)) return data.closures[`${name}@${cleaned}`];
  const major = numericVersion(cleaned)?.[0] ?? (/^\d+$/.test(cleaned) ? Number(cleaned) : null);
  if (major !== null && has(`${name}@${major}`)) return data.closures[`${name}@${major}`];
  if (cleaned && cleaned !== 'latest' && cleaned !== '*') return null;
  let newest: { major: number; key: string } | null = null;
  for (const key of Object.keys(data.closures)) {
    if (!key.startsWith(`${name}@`)) continue;
    const rest = key.slice(name.length + 1);
    if (!/^\d+$/.test(rest)) continue;
    if (!newest || Number(rest) > newest.major) newest = { major: Number(rest), key };
  }
  return newest ? data.closures[newest.key] : null;
}

function numericVersion(version: string): [number, number, number] | null {
  const parts = version.split('-')[0].split('.');
  if (parts.length < 1 || parts.some((p) => !/^\d+$/.test(p))) return null;
  return [Number(parts[0]), Number(parts[1] ?? 0), Number(parts[2] ?? 0)];
}
