/**
 * The Debian data pack on disk (server/data/debian-<release>-amd64.pack): one binary file per release that
 * the index reads in place, without parsing. A JSON pack of the same data cost ~250 ms and ~60-80 MB of heap
 * to load; this one is a few typed-array views over one buffer, names decoded only when asked for.
 *
 * Layout (little-endian; every array starts on an 8-byte boundary):
 *   0  "DLDEBPK\n"   magic
 *   8  u32           format version (DEBIAN_PACK_FORMAT)
 *   12 u32           header length H
 *   16 H bytes       header: UTF-8 JSON with the provenance (release, sources, slim sample summary), the
 *                    counts, and `arrays`: name → { type, offset, length } for each array below
 *
 * Names: rows 0..packageCount-1 are the real packages, sorted by name (bytewise); the rest are virtual or
 * absent names (only in relations or Provides), sorted among themselves. Both runs are front-coded in
 * buckets of NAME_BUCKET names: each name is [shared prefix with the previous name: u8][suffix length: u8]
 * [suffix], the first of a bucket sharing nothing, so a lookup is a binary search over the bucket heads and
 * a scan of one bucket.
 * Relations: per package, three ranges of relationEntries (Pre-Depends, Depends, Recommends), bounded by
 * relationStarts[3*row .. 3*row+3]; an entry is a name index with VERSIONED set for a versioned relation and
 * GROUP_END on the last alternative of each group ("a | b").  Provides alike, without groups.
 * Versions are kept only where they can matter: versioned relations on names that some package provides with
 * a version (relation constraints), and those packages' provided versions.
 */
import type { SlimSample } from './debian';

export const DEBIAN_PACK_FORMAT = 2;
export const DEBIAN_PACK_MAGIC = 'DLDEBPK\n';
/** Names per front-coding bucket. */
export const NAME_BUCKET = 16;
export const VERSIONED = 0x4000_0000;
export const GROUP_END = 0x8000_0000;
export const NAME_MASK = 0x3fff_ffff;
/** Relation operators in the order of their codes; any other code never holds. */
export const RELATION_OPS = ['<<', '<=', '=', '>=', '>>'];

/**
 * [installedKiB, downloadBytes, preDepends, depends, recommends, provides, flags, section]. Relations are
 * alternative groups of name indexes; ~index (negative) marks a versioned relation or Provides.
 */
export type PackageRow = [number, number, number[][], number[][], number[][], number[], number, number];

export interface PackSource {
  suite: string;
  packagesFile: string;
  date: string | null;
  packagesBytes: number;
  packageCount: number;
}

/**
 * A pack's content as plain data: what scripts/gen-debian-data.mjs builds from Debian's indexes and
 * encodeDebianPack writes (and the shape of the JSON packs that came before the binary format).
 */
export interface DebianPack {
  format: 1;
  release: string;
  arch: string;
  generated: string;
  generator?: string;
  mirror?: { main: string; security: string };
  sources: PackSource[];
  sections: string[];
  /** names[i] for i < packages.length names packages[i]; later names are virtual or absent packages. */
  names: string[];
  packages: PackageRow[];
  /** "row:nameIndex" → version, for versioned Provides. */
  providedVersions?: Record<string, string>;
  /** row → nameIndex → "op version", for versioned relations on names that some package provides with a version. */
  relationConstraints?: Record<string, Record<string, string>>;
  slim?: SlimSample;
}

export function isDebianPack(value: unknown): value is DebianPack {
  const v = value as DebianPack | null;
  return typeof v === 'object' && v !== null && v.format === 1 && typeof v.release === 'string'
    && Array.isArray(v.names) && Array.isArray(v.packages) && Array.isArray(v.sections)
    && v.packages.every((row) => Array.isArray(row) && row.length === 8 && typeof row[0] === 'number');
}

/** Provenance and summary figures: the header's JSON. */
export interface PackMeta {
  release: string;
  arch: string;
  generated: string;
  generator?: string;
  mirror?: { main: string; security: string };
  sources: PackSource[];
  sections: string[];
  /** The slim sample's summary (ratios, method); its per-package measurements are in the measured* arrays. */
  slim: Omit<SlimSample, 'measured'> | null;
}

/** The arrays of a pack, by name, with their element type. */
const ARRAYS = {
  nameBucketStarts: Uint32Array, nameBytes: Uint8Array,
  installedKiB: Uint32Array, downloadBytes: Float64Array, flags: Uint8Array, section: Uint8Array,
  relationStarts: Uint32Array, relationEntries: Uint32Array, provideStarts: Uint32Array, provideEntries: Uint32Array,
  versionStarts: Uint32Array, versionBytes: Uint8Array,
  providedVersionRows: Uint32Array, providedVersionNames: Uint32Array, providedVersionIds: Uint32Array,
  constraintRows: Uint32Array, constraintNames: Uint32Array, constraintOps: Uint8Array, constraintVersionIds: Uint32Array,
  measuredRows: Uint32Array, measuredContent: Float64Array, measuredSlim: Float64Array,
} as const;
type ArrayName = keyof typeof ARRAYS;
type TypedArrays = { [K in ArrayName]: InstanceType<(typeof ARRAYS)[K]> };
const TYPE_NAMES: Record<string, string> = { Uint8Array: 'u8', Uint32Array: 'u32', Float64Array: 'f64' };

/** A decoded pack: views over the file's bytes. */
export interface DebianPackData extends TypedArrays {
  meta: PackMeta;
  packageCount: number;
  nameCount: number;
  names: NameTable;
  /** Version strings (provided versions and constraint versions). */
  versions: StringTable;
}

export type DecodeResult = { data: DebianPackData; problem: null } | { data: null; problem: string; kind: 'format' | 'corrupt' };

// --- Names -----------------------------------------------------------------------------------------------

const textDecoder = new TextDecoder('utf-8', { fatal: false });
const textEncoder = new TextEncoder();

function decodeText(bytes: Uint8Array, start: number, end: number): string {
  let ascii = true;
  for (let k = start; k < end; k++) if (bytes[k] >= 0x80) { ascii = false; break; }
  return ascii && end - start <= 256
    ? String.fromCharCode.apply(null, bytes.subarray(start, end) as unknown as number[])
    : textDecoder.decode(bytes.subarray(start, end));
}

/** Plain strings: starts[i]..starts[i+1] in bytes. */
export class StringTable {
  constructor(private readonly starts: Uint32Array, private readonly bytes: Uint8Array) {}
  get count(): number {
    return this.starts.length - 1;
  }
  at(i: number): string {
    return i >= 0 && i < this.count ? decodeText(this.bytes, this.starts[i], this.starts[i + 1]) : '';
  }
}

/** The front-coded, sorted name runs (see the layout above). */
export class NameTable {
  private readonly realBuckets: number;
  private readonly scratch = new Uint8Array(256);
  private query = new Uint8Array(256);

  constructor(private readonly bucketStarts: Uint32Array, private readonly bytes: Uint8Array, readonly realCount: number, readonly count: number) {
    this.realBuckets = Math.ceil(realCount / NAME_BUCKET);
  }

  /** The name of index i ('' out of range). */
  at(i: number): string {
    if (!(i >= 0 && i < this.count)) return '';
    const local = i < this.realCount ? i : i - this.realCount;
    const bucket = (i < this.realCount ? 0 : this.realBuckets) + Math.floor(local / NAME_BUCKET);
    const length = this.decodeInto(bucket, local % NAME_BUCKET);
    return decodeText(this.scratch, 0, length);
  }

  /** The index of a name, or -1. Real packages are searched first (a name is in one run only). */
  indexOf(name: string): number {
    const length = this.encodeQuery(name);
    if (length < 0) return -1;
    const real = this.search(0, this.realBuckets, length);
    if (real >= 0) return real;
    const virtual = this.search(this.realBuckets, this.bucketStarts.length - 1, length);
    return virtual >= 0 ? this.realCount + virtual : -1;
  }

  private encodeQuery(name: string): number {
    if (name.length > 255) return -1;
    for (let k = 0; k < name.length; k++) {
      const c = name.charCodeAt(k);
      if (c >= 0x80) {
        const utf8 = textEncoder.encode(name);
        if (utf8.length > 255) return -1;
        this.query.set(utf8);
        return utf8.length;
      }
      this.query[k] = c;
    }
    return name.length;
  }

  /** Decodes the pos-th name of a bucket into scratch; its length. */
  private decodeInto(bucket: number, pos: number): number {
    let o = this.bucketStarts[bucket];
    let length = 0;
    for (let k = 0; k <= pos; k++) {
      const prefix = this.bytes[o];
      const suffix = this.bytes[o + 1];
      copyBytes(this.bytes, o + 2, suffix, this.scratch, prefix);
      length = prefix + suffix;
      o += 2 + suffix;
    }
    return length;
  }

  /** Local index (within the run) of the query among buckets [first, end), or -1. */
  private search(first: number, end: number, queryLength: number): number {
    const q = this.query;
    const bytes = this.bytes;
    // The last bucket whose head is <= the query.
    let lo = first;
    let hi = end - 1;
    if (hi < lo) return -1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      const o = this.bucketStarts[mid];
      if (compareBytes(q, 0, queryLength, bytes, o + 2, o + 2 + bytes[o + 1]) >= 0) lo = mid;
      else hi = mid - 1;
    }
    const bucketEnd = this.bucketStarts[lo + 1];
    const runSize = first === 0 ? this.realCount : this.count - this.realCount;
    const entries = Math.min(NAME_BUCKET, runSize - (lo - first) * NAME_BUCKET);
    let o = this.bucketStarts[lo];
    for (let k = 0; k < entries && o < bucketEnd; k++) {
      const prefix = bytes[o];
      const suffix = bytes[o + 1];
      copyBytes(bytes, o + 2, suffix, this.scratch, prefix);
      const c = compareBytes(q, 0, queryLength, this.scratch, 0, prefix + suffix);
      if (c === 0) return (lo - first) * NAME_BUCKET + k;
      if (c < 0) return -1;
      o += 2 + suffix;
    }
    return -1;
  }
}

/** A short copy without the typed-array views that subarray/set would allocate for each name. */
function copyBytes(from: Uint8Array, start: number, length: number, to: Uint8Array, at: number): void {
  for (let k = 0; k < length; k++) to[at + k] = from[start + k];
}

function compareBytes(a: Uint8Array, aStart: number, aEnd: number, b: Uint8Array, bStart: number, bEnd: number): number {
  const n = Math.min(aEnd - aStart, bEnd - bStart);
  for (let k = 0; k < n; k++) {
    const d = a[aStart + k] - b[bStart + k];
    if (d !== 0) return d;
  }
  return (aEnd - aStart) - (bEnd - bStart);
}

// --- Encoding (the generator, and tests building small packs) --------------------------------------------

/** Writes a pack's content in the binary format. Throws on content the format cannot hold. */
export function encodeDebianPack(pack: DebianPack): Uint8Array {
  const P = pack.packages.length;
  const N = pack.names.length;
  if (P > N) throw new Error('fewer names than packages');
  const utf8 = pack.names.map((n) => textEncoder.encode(n));
  for (const [i, b] of utf8.entries()) if (b.length === 0 || b.length > 255) throw new Error(`name ${i} is empty or longer than 255 bytes`);
  for (let i = 1; i < P; i++) {
    if (compareBytes(utf8[i - 1], 0, utf8[i - 1].length, utf8[i], 0, utf8[i].length) >= 0) throw new Error(`package names not sorted at ${pack.names[i]}`);
  }
  // Virtual names get new indexes in name order (nothing depends on their order); real rows keep theirs.
  const virtualOrder = [...Array(N - P).keys()].map((k) => P + k)
    .sort((a, b) => compareBytes(utf8[a], 0, utf8[a].length, utf8[b], 0, utf8[b].length));
  const newIndex = new Uint32Array(N);
  for (let i = 0; i < P; i++) newIndex[i] = i;
  virtualOrder.forEach((old, k) => { newIndex[old] = P + k; });
  const ordered = [...utf8.slice(0, P), ...virtualOrder.map((old) => utf8[old])];
  if (new Set(pack.names).size !== N) throw new Error('duplicate names');
  const nameIndex = (n: number) => {
    const i = n < 0 ? ~n : n;
    if (!Number.isInteger(i) || i >= N) throw new Error(`name index ${n} out of range`);
    return newIndex[i] | (n < 0 ? VERSIONED : 0);
  };

  // Names, front-coded per run.
  const nameBytes: number[] = [];
  const bucketStarts: number[] = [];
  for (const [start, end] of [[0, P], [P, N]]) {
    let previous: Uint8Array | null = null;
    for (let i = start; i < end; i++) {
      const name = ordered[i];
      let prefix = 0;
      if ((i - start) % NAME_BUCKET === 0) {
        bucketStarts.push(nameBytes.length);
      } else if (previous) {
        while (prefix < previous.length && prefix < name.length && previous[prefix] === name[prefix]) prefix++;
      }
      nameBytes.push(prefix, name.length - prefix, ...name.subarray(prefix));
      previous = name;
    }
  }
  bucketStarts.push(nameBytes.length);

  const installedKiB = new Uint32Array(P);
  const downloadBytes = new Float64Array(P);
  const flags = new Uint8Array(P);
  const section = new Uint8Array(P);
  const relationStarts: number[] = [];
  const relationEntries: number[] = [];
  const provideStarts: number[] = [];
  const provideEntries: number[] = [];
  pack.packages.forEach((row, i) => {
    const [kib, download, pre, dep, rec, provides, rowFlags, rowSection] = row;
    if (!Number.isInteger(kib) || kib < 0 || kib > 0xffff_ffff) throw new Error(`Installed-Size of ${pack.names[i]} out of range: ${kib}`);
    if (!Number.isInteger(rowFlags) || rowFlags < 0 || rowFlags > 255) throw new Error(`flags of ${pack.names[i]} out of range`);
    if (!Number.isInteger(rowSection) || rowSection < 0 || rowSection > 255) throw new Error(`section of ${pack.names[i]} out of range`);
    installedKiB[i] = kib;
    downloadBytes[i] = download;
    flags[i] = rowFlags;
    section[i] = rowSection;
    for (const groups of [pre, dep, rec]) {
      relationStarts.push(relationEntries.length);
      for (const group of groups) {
        if (group.length === 0) throw new Error(`empty alternative group in ${pack.names[i]}`);
        group.forEach((n, k) => relationEntries.push(nameIndex(n) | (k === group.length - 1 ? GROUP_END : 0)));
      }
    }
    provideStarts.push(provideEntries.length);
    for (const n of provides) provideEntries.push(nameIndex(n));
  });
  relationStarts.push(relationEntries.length);
  provideStarts.push(provideEntries.length);

  // Versions: constraints, and the provided versions of constrained names (no other is ever looked up).
  const versionIds = new Map<string, number>();
  const versionId = (v: string) => {
    let id = versionIds.get(v);
    if (id === undefined) { id = versionIds.size; versionIds.set(v, id); }
    return id;
  };
  const constraints: [number, number, number, number][] = [];
  for (const [rowText, byName] of Object.entries(pack.relationConstraints ?? {})) {
    for (const [nameText, text] of Object.entries(byName)) {
      const row = Number(rowText);
      const name = Number(nameText);
      if (!Number.isInteger(row) || row < 0 || row >= P) throw new Error(`relation constraint on row ${rowText} out of range`);
      // As the index always read them: "op version", split on a space; an unknown operator never holds.
      const [op, wanted] = text.split(' ');
      const code = RELATION_OPS.indexOf(op);
      constraints.push([row, nameIndex(name), code < 0 ? 255 : code, versionId(wanted ?? '')]);
    }
  }
  constraints.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const constrainedNames = new Set(constraints.map((c) => c[1]));
  const provided: [number, number, number][] = [];
  for (const [key, version] of Object.entries(pack.providedVersions ?? {})) {
    const [rowText, nameText] = key.split(':');
    const row = Number(rowText);
    const name = nameIndex(Number(nameText));
    if (!Number.isInteger(row) || row < 0 || row >= P) throw new Error(`provided version on row ${rowText} out of range`);
    if (constrainedNames.has(name)) provided.push([row, name, versionId(version)]);
  }
  provided.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const versionList = [...versionIds.keys()].map((v) => textEncoder.encode(v));
  const versionStarts = [0];
  for (const v of versionList) versionStarts.push(versionStarts[versionStarts.length - 1] + v.length);
  const versionBytes = new Uint8Array(versionStarts[versionStarts.length - 1]);
  versionList.forEach((v, k) => versionBytes.set(v, versionStarts[k]));

  // Slim measurements: the last one of a row wins (as a Map of them did).
  const measuredByRow = new Map<number, [number, number]>();
  for (const [row, content, slim] of pack.slim?.measured ?? []) {
    if (!Number.isInteger(row) || row < 0 || row >= P) throw new Error(`slim measurement of row ${row} out of range`);
    measuredByRow.set(row, [content, slim]);
  }
  const measuredRows = [...measuredByRow.keys()].sort((a, b) => a - b);

  const arrays: TypedArrays = {
    nameBucketStarts: Uint32Array.from(bucketStarts), nameBytes: Uint8Array.from(nameBytes),
    installedKiB, downloadBytes, flags, section,
    relationStarts: Uint32Array.from(relationStarts), relationEntries: Uint32Array.from(relationEntries),
    provideStarts: Uint32Array.from(provideStarts), provideEntries: Uint32Array.from(provideEntries),
    versionStarts: Uint32Array.from(versionStarts), versionBytes,
    providedVersionRows: Uint32Array.from(provided, (p) => p[0]), providedVersionNames: Uint32Array.from(provided, (p) => p[1]),
    providedVersionIds: Uint32Array.from(provided, (p) => p[2]),
    constraintRows: Uint32Array.from(constraints, (c) => c[0]), constraintNames: Uint32Array.from(constraints, (c) => c[1]),
    constraintOps: Uint8Array.from(constraints, (c) => c[2]), constraintVersionIds: Uint32Array.from(constraints, (c) => c[3]),
    measuredRows: Uint32Array.from(measuredRows), measuredContent: Float64Array.from(measuredRows, (r) => measuredByRow.get(r)![0]),
    measuredSlim: Float64Array.from(measuredRows, (r) => measuredByRow.get(r)![1]),
  };
  const { measured: _measured, ...slimSummary } = pack.slim ?? ({} as SlimSample);
  const meta: PackMeta = {
    release: pack.release, arch: pack.arch, generated: pack.generated,
    ...(pack.generator ? { generator: pack.generator } : {}), ...(pack.mirror ? { mirror: pack.mirror } : {}),
    sources: pack.sources, sections: pack.sections, slim: pack.slim ? slimSummary : null,
  };

  // The header's array offsets depend on its own length: lay out twice (the second pass is stable, since
  // offsets only grow by the header's growth, which the 8-byte alignment and fixed-width numbers absorb).
  const layout = (headerLength: number) => {
    let offset = align8(16 + headerLength);
    const directory: Record<string, { type: string; offset: number; length: number }> = {};
    for (const name of Object.keys(ARRAYS) as ArrayName[]) {
      const array = arrays[name];
      directory[name] = { type: TYPE_NAMES[ARRAYS[name].name], offset, length: array.length };
      offset = align8(offset + array.byteLength);
    }
    return { directory, size: offset };
  };
  let headerBytes = textEncoder.encode(JSON.stringify({ ...meta, packageCount: P, nameCount: N, nameBucket: NAME_BUCKET, arrays: layout(0).directory }));
  for (let attempt = 0; ; attempt++) {
    const next = textEncoder.encode(JSON.stringify({ ...meta, packageCount: P, nameCount: N, nameBucket: NAME_BUCKET, arrays: layout(headerBytes.length).directory }));
    if (next.length === headerBytes.length) { headerBytes = next; break; }
    if (attempt > 8) throw new Error('pack header does not settle');
    headerBytes = next;
  }
  const { directory, size } = layout(headerBytes.length);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  out.set(textEncoder.encode(DEBIAN_PACK_MAGIC), 0);
  view.setUint32(8, DEBIAN_PACK_FORMAT, true);
  view.setUint32(12, headerBytes.length, true);
  out.set(headerBytes, 16);
  for (const name of Object.keys(ARRAYS) as ArrayName[]) {
    const array = arrays[name];
    out.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), directory[name].offset);
  }
  if (!isLittleEndian()) throw new Error('the pack format is little-endian; this host is not');
  return out;
}

const align8 = (n: number) => Math.ceil(n / 8) * 8;
const isLittleEndian = () => new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

// --- Decoding --------------------------------------------------------------------------------------------

class PackError extends Error {
  constructor(message: string, readonly kind: 'format' | 'corrupt') {
    super(message);
  }
}

/**
 * Reads a pack without trusting it: the header and every array are checked (bounds, offsets in order,
 * indexes in range, names sorted), so a corrupt or truncated file gives a problem, never an exception or
 * a wrong answer later. The returned views share the given bytes.
 */
export function decodeDebianPack(input: Uint8Array): DecodeResult {
  try {
    return { data: decode(input), problem: null };
  } catch (error) {
    const kind = error instanceof PackError ? error.kind : 'corrupt';
    return { data: null, problem: (error as Error).message, kind };
  }
}

function decode(input: Uint8Array): DebianPackData {
  const corrupt = (message: string) => new PackError(message, 'corrupt');
  if (input.length < 16) throw corrupt(`truncated (${input.length} bytes)`);
  if (decodeText(input, 0, 8) !== DEBIAN_PACK_MAGIC) throw new PackError('not a Debian data pack (no DLDEBPK signature)', 'format');
  if (!isLittleEndian()) throw new PackError('the pack format is little-endian; this host is not', 'format');
  // Typed arrays need aligned offsets: copy the rare buffer that does not start on an 8-byte boundary.
  const bytes = input.byteOffset % 8 === 0 ? input : input.slice();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const format = view.getUint32(8, true);
  if (format !== DEBIAN_PACK_FORMAT) throw new PackError(`pack format ${format}, this version reads format ${DEBIAN_PACK_FORMAT}`, 'format');
  const headerLength = view.getUint32(12, true);
  if (16 + headerLength > bytes.length) throw corrupt('truncated header');
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(textDecoder.decode(bytes.subarray(16, 16 + headerLength)));
  } catch (error) {
    throw corrupt(`unreadable header: ${(error as Error).message}`);
  }
  const P = header.packageCount;
  const N = header.nameCount;
  const directory = header.arrays as Record<string, { type: unknown; offset: unknown; length: unknown }> | undefined;
  if (typeof header.release !== 'string' || typeof header.generated !== 'string' || !Array.isArray(header.sources) || !Array.isArray(header.sections)
    || !header.sections.every((s) => typeof s === 'string') || typeof P !== 'number' || typeof N !== 'number' || !Number.isInteger(P) || !Number.isInteger(N)
    || P < 0 || N < P || N > NAME_MASK || header.nameBucket !== NAME_BUCKET || typeof directory !== 'object' || directory === null) {
    throw corrupt('header lacks release, sources, sections, counts or arrays');
  }
  const arrays = {} as Record<ArrayName, ArrayLike<number>>;
  for (const name of Object.keys(ARRAYS) as ArrayName[]) {
    const entry = directory[name];
    const Type = ARRAYS[name];
    if (!entry || entry.type !== TYPE_NAMES[Type.name] || typeof entry.offset !== 'number' || typeof entry.length !== 'number'
      || !Number.isInteger(entry.offset) || !Number.isInteger(entry.length) || entry.offset < 16 + headerLength || entry.offset % 8 !== 0 || entry.length < 0
      || entry.offset + entry.length * Type.BYTES_PER_ELEMENT > bytes.length) {
      throw corrupt(`array ${name} missing or out of the file's bounds`);
    }
    arrays[name] = new Type(bytes.buffer as ArrayBuffer, bytes.byteOffset + entry.offset, entry.length);
  }
  const a = arrays as TypedArrays;
  const realBuckets = Math.ceil(P / NAME_BUCKET);
  const expect = (ok: boolean, what: string) => { if (!ok) throw corrupt(what); };
  expect(a.nameBucketStarts.length === realBuckets + Math.ceil((N - P) / NAME_BUCKET) + 1, 'name bucket count');
  for (const name of ['installedKiB', 'downloadBytes', 'flags', 'section'] as const) expect(a[name].length === P, `${name} length`);
  expect(a.relationStarts.length === 3 * P + 1 && a.provideStarts.length === P + 1, 'relation or Provides offsets length');
  const sectionCount = (header.sections as unknown[]).length;
  for (let k = 0; k < P; k++) if (a.section[k] >= sectionCount) throw corrupt('section index');
  checkNames(a.nameBucketStarts, a.nameBytes, P, N, realBuckets, corrupt);
  checkOffsets(a.relationStarts, a.relationEntries.length, 'relation', corrupt);
  checkOffsets(a.provideStarts, a.provideEntries.length, 'Provides', corrupt);
  checkOffsets(a.versionStarts, a.versionBytes.length, 'version', corrupt);
  // Indexed loops: these run once per load, mostly before the optimiser has seen them.
  const relationEntries = a.relationEntries;
  for (let k = 0; k < relationEntries.length; k++) if ((relationEntries[k] & NAME_MASK) >= N) throw corrupt('relation entry');
  for (let k = 1; k < a.relationStarts.length; k++) {
    const end = a.relationStarts[k];
    // Groups never cross from one relation field (or package) into the next.
    if (end !== a.relationStarts[k - 1] && (relationEntries[end - 1] & GROUP_END) === 0) throw corrupt('relation group');
  }
  const provideEntries = a.provideEntries;
  for (let k = 0; k < provideEntries.length; k++) {
    const e = provideEntries[k];
    if ((e & (NAME_MASK | VERSIONED)) !== e || (e & NAME_MASK) >= N) throw corrupt('Provides entry');
  }
  const versionCount = a.versionStarts.length - 1;
  checkKeyed(a.providedVersionRows, a.providedVersionNames, [a.providedVersionIds], P, N, versionCount, 'provided version', corrupt);
  checkKeyed(a.constraintRows, a.constraintNames, [a.constraintVersionIds, a.constraintOps], P, N, versionCount, 'relation constraint', corrupt);
  expect(a.measuredContent.length === a.measuredRows.length && a.measuredSlim.length === a.measuredRows.length, 'measured lengths');
  for (let k = 0; k < a.measuredRows.length; k++) expect(a.measuredRows[k] < P && (k === 0 || a.measuredRows[k] > a.measuredRows[k - 1]), 'measured rows');

  const slim = header.slim as PackMeta['slim'];
  if (slim !== null && (typeof slim !== 'object' || typeof slim.slimPerInstalledByte !== 'number' || typeof slim.contentPerInstalledByte !== 'number' || typeof slim.sampleSize !== 'number')) {
    throw corrupt('slim summary');
  }
  const meta: PackMeta = {
    release: header.release, arch: String(header.arch ?? ''), generated: header.generated,
    ...(typeof header.generator === 'string' ? { generator: header.generator } : {}),
    ...(header.mirror ? { mirror: header.mirror as PackMeta['mirror'] } : {}),
    sources: header.sources as PackSource[], sections: header.sections as string[], slim,
  };
  return {
    ...a, meta, packageCount: P, nameCount: N,
    names: new NameTable(a.nameBucketStarts, a.nameBytes, P, N),
    versions: new StringTable(a.versionStarts, a.versionBytes),
  };
}

function checkOffsets(starts: Uint32Array, total: number, what: string, corrupt: (m: string) => Error): void {
  if (starts.length === 0 || starts[0] !== 0 || starts[starts.length - 1] !== total) throw corrupt(`${what} offsets`);
  for (let k = 1; k < starts.length; k++) if (starts[k] < starts[k - 1]) throw corrupt(`${what} offsets`);
}

/** Sorted (row, name) keys with values: rows < P, names < N, version ids < versionCount, ops any byte. */
function checkKeyed(rows: Uint32Array, names: Uint32Array, values: ArrayLike<number>[], P: number, N: number, versionCount: number, what: string, corrupt: (m: string) => Error): void {
  if (names.length !== rows.length || values.some((v) => v.length !== rows.length)) throw corrupt(`${what} lengths`);
  for (let k = 0; k < rows.length; k++) {
    if (rows[k] >= P || names[k] >= N || values[0][k] >= versionCount) throw corrupt(`${what} index`);
    if (k > 0 && (rows[k] < rows[k - 1] || (rows[k] === rows[k - 1] && names[k] <= names[k - 1]))) throw corrupt(`${what} order`);
  }
}

/**
 * Every bucket decodes to exactly its bytes, each name within the lengths, each strictly after the previous
 * one of its run: the binary search can trust the order and decoding never reads outside the bytes.
 */
function checkNames(bucketStarts: Uint32Array, bytes: Uint8Array, P: number, N: number, realBuckets: number, corrupt: (m: string) => Error): void {
  checkOffsets(bucketStarts, bytes.length, 'name bucket', corrupt);
  const previous = new Uint8Array(256);
  for (const [first, end, runSize] of [[0, realBuckets, P], [realBuckets, bucketStarts.length - 1, N - P]]) {
    let previousLength = -1;
    for (let b = first; b < end; b++) {
      let o = bucketStarts[b];
      const entries = Math.min(NAME_BUCKET, runSize - (b - first) * NAME_BUCKET);
      for (let k = 0; k < entries; k++) {
        if (o + 2 > bucketStarts[b + 1]) throw corrupt('names truncated');
        const prefix = bytes[o];
        const suffix = bytes[o + 1];
        if ((k === 0 ? prefix !== 0 : prefix > previousLength) || prefix + suffix > 255 || prefix + suffix === 0 || o + 2 + suffix > bucketStarts[b + 1]) throw corrupt('name entry');
        // Sorted: past the shared prefix the new name must be greater (or the longer of the two).
        if (previousLength >= 0) {
          let c = 0;
          const start = k === 0 ? 0 : prefix;
          for (let j = start; c === 0 && j < Math.min(previousLength, prefix + suffix); j++) c = bytes[o + 2 + j - prefix] - previous[j];
          if (c === 0) c = prefix + suffix - previousLength;
          if (c <= 0) throw corrupt('names not sorted');
        }
        copyBytes(bytes, o + 2, suffix, previous, prefix);
        previousLength = prefix + suffix;
        o += 2 + suffix;
      }
      if (o !== bucketStarts[b + 1]) throw corrupt('name bucket size');
    }
  }
}
