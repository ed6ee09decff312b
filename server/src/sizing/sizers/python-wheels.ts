/**
 * The Python wheel pack (server/data/python-wheels.json): wheel sizes of some heavy packages, each with the
 * public page it was copied from, and installed/wheel ratios measured on real files. Installed size is
 * the wheel's bytes × the ratio measured on the same library (or the median of all samples when none was).
 */

export interface WheelEntry {
  name: string;
  version: string;
  file: string;
  bytes: number;
  /** Measured installed size, when the wheel itself was installed and measured. */
  installedBytes?: number;
  source: string;
  /** Key of `ratios.samples` measured on the same library. */
  ratioSample?: string;
  requires: string[];
  /** Dependencies this pack has no sizes for (the install is then left unknown, saying why). */
  pullsUnsized?: string;
}

export interface PythonWheelData {
  format: 1;
  note: string;
  ratios: { measuredOn: string; samples: Record<string, [number, number]> };
  wheels: WheelEntry[];
}

export function isPythonWheelData(raw: unknown): raw is PythonWheelData {
  const data = raw as PythonWheelData | null;
  return !!data && data.format === 1 && Array.isArray(data.wheels) && typeof data.ratios?.samples === 'object';
}

/** PEP 503 name: lower case, runs of `-`, `_`, `.` as one `-`. */
export function normalizeName(name: string): string {
  let out = '';
  for (const ch of name.toLowerCase()) {
    const sep = ch === '-' || ch === '_' || ch === '.';
    if (sep) { if (!out.endsWith('-')) out += '-'; } else out += ch;
  }
  return out;
}

export interface WheelRatio { ratio: number; low: number; high: number; basis: string }

/** Installed/wheel ratio for an entry: its own library's sample, else the median of all, with the spread. */
export function ratioFor(data: PythonWheelData, sample: string | undefined): WheelRatio {
  const all = Object.values(data.ratios.samples).map(([wheel, installed]) => installed / wheel).sort((a, b) => a - b);
  const low = all[Math.floor(all.length * 0.25)];
  const high = all[Math.min(all.length - 1, Math.floor(all.length * 0.75))];
  const own = sample && Object.prototype.hasOwnProperty.call(data.ratios.samples, sample) ? data.ratios.samples[sample] : undefined;
  if (own) {
    const ratio = own[1] / own[0];
    return { ratio, low: Math.min(ratio, low), high: Math.max(ratio, high), basis: `installed/wheel ratio ${ratio.toFixed(1)} measured on ${sample}` };
  }
  const median = all.length % 2 ? all[(all.length - 1) / 2] : (all[all.length / 2 - 1] + all[all.length / 2]) / 2;
  return { ratio: median, low, high, basis: `median installed/wheel ratio ${median.toFixed(1)} of ${all.length} measured libraries` };
}

/** The entry for a name, preferring the asked version, else the newest listed. */
export function wheelFor(data: PythonWheelData, name: string, version: string | null): { entry: WheelEntry; exact: boolean } | null {
  const wanted = normalizeName(name);
  const entries = data.wheels.filter((w) => normalizeName(w.name) === wanted);
  if (entries.length === 0) return null;
  const exact = version ? entries.find((w) => w.version === version) : undefined;
  if (exact) return { entry: exact, exact: true };
  const newest = [...entries].sort((a, b) => compareVersions(b.version, a.version))[0];
  return { entry: newest, exact: false };
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((p) => parseInt(p, 10) || 0);
  const pb = b.split('.').map((p) => parseInt(p, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
