/**
 * What `ADD <local archive>` puts in a layer. Docker (and buildah) unpack a local file when its content is
 * a tar stream, plain or compressed with gzip, bzip2, xz or zstd — detected from the first bytes, not from
 * the name — and copy any other file as it is. The layer then holds the unpacked files, so its size is the
 * sum of the entries' sizes: regular files at their (apparent) size, symbolic links at their target's
 * length, hard links once, directories nothing — what overlay2 counts.
 *
 * Plain and gzip tars are read entry by entry (gzip through node's zlib, within a size limit). For xz and
 * zstd only the container's own records are read: the xz index and the zstd frame header give the length
 * of the unpacked tar stream, which also counts tar headers and padding, so it is an upper bound. bzip2
 * records no size at all. Everything here is bounded in bytes read and entries walked, and never throws.
 */
import { gunzipSync } from 'node:zlib';
import type { ArchiveFacts, ArchiveCompression } from '../engine-env';

/** Reads `length` bytes at `start` of one file; null when unreadable. */
export interface RandomAccess {
  size: number;
  read(start: number, length: number): Uint8Array | null;
  /** Releases the file, when reads hold it open. */
  close?(): void;
}

export interface ArchiveLimits {
  /** gzip files up to this size are decompressed and their entries read. */
  maxGzipBytes: number;
  /** Decompressed gzip output beyond this stops the read (then only the gzip trailer is used). */
  maxUnpackedBytes: number;
  maxEntries: number;
}

export const defaultArchiveLimits: ArchiveLimits = { maxGzipBytes: 32 * 1024 * 1024, maxUnpackedBytes: 128 * 1024 * 1024, maxEntries: 200_000 };

const archiveName = /\.(tar|tgz|tbz2?|tb2|txz|tzst|tar\.(gz|bz2|xz|zst|zstd|lzma))$/i;

export function inspectArchive(path: string, file: RandomAccess, limits: ArchiveLimits = defaultArchiveLimits): ArchiveFacts {
  const base = { path, archiveBytes: file.size };
  try {
    const head = file.read(0, Math.min(file.size, 512)) ?? new Uint8Array(0);
    const compression = detectCompression(head);
    const namedLikeTar = archiveName.test(path);
    switch (compression) {
      case 'none': {
        const listing = readTar((start, length) => file.read(start, length), file.size, limits.maxEntries);
        return listing
          ? { ...base, compression, handling: 'unpacked', contentBytes: listing.contentBytes, entries: listing.entries, streamBytes: null, limit: listing.truncated ? `stopped after ${limits.maxEntries} entries` : null }
          : { ...base, compression, handling: 'copied', contentBytes: null, entries: null, streamBytes: null, limit: null };
      }
      case 'gzip':
        return inspectGzip(base, file, limits, namedLikeTar);
      case 'xz': {
        const streamBytes = xzUncompressedSize(file);
        return { ...base, compression, handling: namedLikeTar ? 'unpacked' : 'unknown', contentBytes: null, entries: null, streamBytes, limit: streamBytes === null ? 'the xz index could not be read' : 'xz is not unpacked here: the size is the tar stream from the xz index' };
      }
      case 'zstd': {
        const streamBytes = zstdContentSize(head);
        return { ...base, compression, handling: namedLikeTar ? 'unpacked' : 'unknown', contentBytes: null, entries: null, streamBytes, limit: streamBytes === null ? 'the zstd frame does not record its unpacked size' : 'zstd is not unpacked here: the size is the tar stream from the zstd frame header' };
      }
      case 'bzip2':
        return { ...base, compression, handling: namedLikeTar ? 'unpacked' : 'unknown', contentBytes: null, entries: null, streamBytes: null, limit: 'bzip2 records no unpacked size and is not unpacked here' };
    }
  } catch {
    return { ...base, compression: 'none', handling: 'unknown', contentBytes: null, entries: null, streamBytes: null, limit: 'the file could not be read' };
  }
}

/** The compression Docker's archive detection would see in these first bytes. */
export function detectCompression(head: Uint8Array): ArchiveCompression {
  const starts = (...bytes: number[]) => bytes.every((b, i) => head[i] === b);
  if (starts(0x42, 0x5a, 0x68)) return 'bzip2';
  if (starts(0x1f, 0x8b, 0x08)) return 'gzip';
  if (starts(0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00)) return 'xz';
  if (starts(0x28, 0xb5, 0x2f, 0xfd)) return 'zstd';
  return 'none';
}

function inspectGzip(base: { path: string; archiveBytes: number }, file: RandomAccess, limits: ArchiveLimits, namedLikeTar: boolean): ArchiveFacts {
  const compression = 'gzip' as const;
  let unpacked: Uint8Array | null = null;
  let limit: string | null = null;
  if (file.size <= limits.maxGzipBytes) {
    const whole = file.read(0, file.size);
    try {
      unpacked = whole ? gunzipSync(whole, { maxOutputLength: limits.maxUnpackedBytes }) : null;
    } catch {
      limit = `unpacks to more than ${Math.round(limits.maxUnpackedBytes / 1048576)} MiB, or is damaged`;
    }
  } else {
    limit = `larger than ${Math.round(limits.maxGzipBytes / 1048576)} MiB: not unpacked here`;
  }
  if (unpacked) {
    const data = unpacked;
    const listing = readTar((start, length) => (start + length <= data.length ? data.subarray(start, start + length) : null), data.length, limits.maxEntries);
    return listing
      ? { ...base, compression, handling: 'unpacked', contentBytes: listing.contentBytes, entries: listing.entries, streamBytes: data.length, limit: listing.truncated ? `stopped after ${limits.maxEntries} entries` : null }
      : { ...base, compression, handling: 'copied', contentBytes: null, entries: null, streamBytes: null, limit: null };
  }
  // gzip's trailer holds the unpacked length modulo 4 GiB (exact for one member under 4 GiB).
  const trailer = file.size >= 18 ? file.read(file.size - 4, 4) : null;
  const streamBytes = trailer && trailer.length === 4 ? (trailer[0] | (trailer[1] << 8) | (trailer[2] << 16)) + trailer[3] * 0x1000000 : null;
  return { ...base, compression, handling: namedLikeTar ? 'unpacked' : 'unknown', contentBytes: null, entries: null, streamBytes, limit: `${limit}; the size is the tar stream from the gzip trailer` };
}

interface TarListing { contentBytes: number; entries: number; truncated: boolean }

const blockSize = 512;

/**
 * Sums a tar stream's entries as a layer counts them. Null when the stream does not start with a valid tar
 * header (Docker then copies the file instead of unpacking it).
 */
export function readTar(read: (start: number, length: number) => Uint8Array | null, size: number, maxEntries: number): TarListing | null {
  let offset = 0;
  let contentBytes = 0;
  let entries = 0;
  // pax ('x') and GNU long-link ('K') records describe the entry that follows them.
  let paxSize: number | null = null;
  let paxLinkLength: number | null = null;
  let longLinkLength: number | null = null;
  while (offset + blockSize <= size) {
    const header = read(offset, blockSize);
    if (!header || header.length < blockSize) break;
    if (header.every((b) => b === 0)) break;
    if (!checksumValid(header)) {
      if (entries === 0) return null;
      break;
    }
    if (entries >= maxEntries) return { contentBytes, entries, truncated: true };
    const type = String.fromCharCode(header[156] || 0x30);
    const storedSize = numericField(header, 124, 12) ?? 0;
    const dataStart = offset + blockSize;
    offset = dataStart + Math.ceil(storedSize / blockSize) * blockSize;
    if (type === 'x' || type === 'g' || type === 'L' || type === 'K') {
      const data = storedSize > 0 && storedSize <= 1024 * 1024 ? read(dataStart, storedSize) : null;
      if (type === 'x' && data) {
        const records = paxRecords(data);
        const realSize = records.get('GNU.sparse.realsize') ?? records.get('GNU.sparse.size') ?? records.get('size');
        paxSize = realSize !== undefined && /^\d+$/.test(realSize) ? Number(realSize) : null;
        const linkpath = records.get('linkpath');
        paxLinkLength = linkpath !== undefined ? Buffer.byteLength(linkpath) : null;
      } else if (type === 'K' && data) {
        const end = data.indexOf(0);
        longLinkLength = end < 0 ? data.length : end;
      }
      continue;
    }
    entries++;
    if (type === '0' || type === '7') {
      contentBytes += paxSize ?? storedSize;
    } else if (type === 'S') {
      // Old GNU sparse files store only their data; the apparent size is in the header.
      contentBytes += paxSize ?? numericField(header, 483, 12) ?? storedSize;
    } else if (type === '2') {
      contentBytes += paxLinkLength ?? longLinkLength ?? cStringLength(header, 157, 100);
    }
    paxSize = null;
    paxLinkLength = null;
    longLinkLength = null;
  }
  return entries === 0 ? null : { contentBytes, entries, truncated: false };
}

function checksumValid(header: Uint8Array): boolean {
  const stored = numericField(header, 148, 8);
  if (stored === null) return false;
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < blockSize; i++) {
    const b = i >= 148 && i < 156 ? 0x20 : header[i];
    unsigned += b;
    signed += b > 127 ? b - 256 : b;
  }
  return stored === unsigned || stored === signed;
}

/** An octal field (NUL/space padded), or base-256 when its first byte has the high bit set. */
function numericField(header: Uint8Array, start: number, length: number): number | null {
  if (header[start] & 0x80) {
    let value = header[start] & 0x7f;
    for (let i = start + 1; i < start + length; i++) value = value * 256 + header[i];
    return Number.isSafeInteger(value) ? value : null;
  }
  let value = 0;
  let digits = 0;
  for (let i = start; i < start + length; i++) {
    const c = header[i];
    if (c === 0 || (c === 0x20 && digits > 0)) break;
    if (c === 0x20) continue;
    if (c < 0x30 || c > 0x37) return null;
    value = value * 8 + (c - 0x30);
    digits++;
  }
  return digits > 0 ? value : null;
}

function cStringLength(header: Uint8Array, start: number, length: number): number {
  let n = 0;
  while (n < length && header[start + n] !== 0) n++;
  return n;
}

/** pax extended header records: "<length> <key>=<value>\n". */
function paxRecords(data: Uint8Array): Map<string, string> {
  const records = new Map<string, string>();
  const text = Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8');
  for (const line of text.split('\n')) {
    const space = line.indexOf(' ');
    const eq = line.indexOf('=', space + 1);
    if (space > 0 && eq > space) records.set(line.slice(space + 1, eq), line.slice(eq + 1));
  }
  return records;
}

/**
 * The unpacked length of an .xz file, summed from the index of each stream (read from the end: stream
 * footer → index → its records' uncompressed sizes). Null when the file is not laid out as expected.
 */
export function xzUncompressedSize(file: RandomAccess): number | null {
  let end = file.size;
  let total = 0;
  for (let streams = 0; streams < 64 && end > 0; streams++) {
    // Stream padding: zero bytes in groups of four between streams.
    while (end >= 4) {
      const pad = file.read(end - 4, 4);
      if (!pad || !pad.every((b) => b === 0)) break;
      end -= 4;
    }
    if (end < 24) return null;
    const footer = file.read(end - 12, 12);
    if (!footer || footer[10] !== 0x59 || footer[11] !== 0x5a) return null;
    const backwardSize = ((footer[4] | (footer[5] << 8) | (footer[6] << 16)) + footer[7] * 0x1000000 + 1) * 4;
    const indexStart = end - 12 - backwardSize;
    if (indexStart < 12 || backwardSize > 64 * 1024 * 1024) return null;
    const index = file.read(indexStart, backwardSize);
    if (!index || index[0] !== 0) return null;
    let pos = 1;
    const varint = (): number | null => {
      let value = 0;
      for (let shift = 0; shift < 63 && pos < index.length; shift += 7) {
        const b = index[pos++];
        value += (b & 0x7f) * 2 ** shift;
        if ((b & 0x80) === 0) return value;
      }
      return null;
    };
    const records = varint();
    if (records === null) return null;
    let blocksBytes = 0;
    for (let r = 0; r < records; r++) {
      const unpadded = varint();
      const uncompressed = varint();
      if (unpadded === null || uncompressed === null) return null;
      blocksBytes += Math.ceil(unpadded / 4) * 4;
      total += uncompressed;
    }
    end = indexStart - blocksBytes - 12;
    if (end < 0) return null;
  }
  return end === 0 ? total : null;
}

/** Frame_Content_Size of the first zstd frame, when the header records it. */
export function zstdContentSize(head: Uint8Array): number | null {
  if (head.length < 6) return null;
  const descriptor = head[4];
  const sizeFlag = descriptor >> 6;
  const singleSegment = (descriptor >> 5) & 1;
  const dictionaryIdBytes = [0, 1, 2, 4][descriptor & 3];
  const fieldBytes = sizeFlag === 0 ? (singleSegment ? 1 : 0) : [0, 2, 4, 8][sizeFlag];
  if (fieldBytes === 0) return null;
  const start = 5 + (singleSegment ? 0 : 1) + dictionaryIdBytes;
  if (head.length < start + fieldBytes) return null;
  let value = 0;
  for (let i = fieldBytes - 1; i >= 0; i--) value = value * 256 + head[start + i];
  return fieldBytes === 2 ? value + 256 : value;
}
