import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BuildContextCache } from '../../server/src/io/build-context';
import { analyze } from '../../server/src/engine';
import { inspectArchive, readTar, xzUncompressedSize, zstdContentSize, detectCompression } from '../../server/src/io/archive';
import { testEnv } from '../support/test-env';
import { memoryContext } from '../support/memory-context';

/** A ustar stream: files, directories, symlinks, hard links, pax size records. */
function tar(entries: { name: string; data?: Uint8Array | string; type?: string; link?: string; paxSize?: number }[]): Uint8Array {
  const blocks: Buffer[] = [];
  const header = (name: string, size: number, type: string, link = '') => {
    const h = Buffer.alloc(512);
    h.write(name, 0, 100);
    h.write('0000644\0', 100);
    h.write('0000000\0', 108);
    h.write('0000000\0', 116);
    h.write(size.toString(8).padStart(11, '0') + '\0', 124);
    h.write('14524752400\0', 136);
    h.write('        ', 148);
    h.write(type, 156);
    h.write(link, 157, 100);
    h.write('ustar\0', 257);
    h.write('00', 263);
    let sum = 0;
    for (const b of h) sum += b;
    h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
    return h;
  };
  const pad = (n: number) => Buffer.alloc((512 - (n % 512)) % 512);
  for (const e of entries) {
    if (e.paxSize !== undefined) {
      const record = (body: string) => { let len = body.length + 3; while (`${len} ${body}\n`.length !== len) len++; return `${len} ${body}\n`; };
      const pax = Buffer.from(record(`size=${e.paxSize}`));
      blocks.push(header('PaxHeader', pax.length, 'x'), pax, pad(pax.length));
    }
    const data = e.data === undefined ? Buffer.alloc(0) : Buffer.from(e.data);
    blocks.push(header(e.name, data.length, e.type ?? '0', e.link));
    if (data.length) blocks.push(data, pad(data.length));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

const access = (bytes: Uint8Array) => ({ size: bytes.length, read: (start: number, length: number) => bytes.subarray(start, start + length) });

// The same tar (d/a.txt 3000 bytes, d/b.txt 5 bytes, d/link -> a.txt; a 10,240-byte stream) compressed by xz, zstd and bzip2.
const fixtureXz = Buffer.from('/Td6WFoAAATm1rRGAgAhARwAAAAQz1jM4Cf/ALBdADILvBunjDRE4cIHdekACY2x8R77HKpsCmsB60jwO+XwLNij0JjY3Gn/HafxkUafSCn//S5Y7y39wvyu+FyeVDAKyq17KbynAe8ItnfEOuLISqxQmCjjs3Lz4JcOQxwPIKlxBBb57hoRd2EJyvTG0GUQw7iMfLwnMpXsQht8IuDSYTDia1gR5FtQzTJnoZbPQO5oDKSEBSLYz/xHREYKImnE07bnVogrLvPtv7/uqnUAACTTmaxfmzF2AAHMAYBQAAApu/oZscRn+wIAAAAABFla', 'base64');
const fixtureZstd = Buffer.from('KLUv/WQAJ3UEABLGEhKwPWADsgDLUAKTZAJZ1BiFSwGnPL/xM+sMh4DlHuW/PeZEWuicWgz2nRDvNrPOgETaCWFk3nimpOtgCZcxeJmb/5t4j+V1f16RAhggcC0qFBoDSgB6wLeNqEA7/h2r4pm69HapCWxiMKDScq9awFTTXREOH7DJSCwFYDLD2ADhD6QOAyTANMB8Wm4UcvAO', 'base64');
const fixtureBzip2 = Buffer.from('QlpoOTFBWSZTWaynt3IAAPh7mMmAAEBAAf+AATl2bZ5ABAAAAIBIMADYBjJpkDJoZBkaYEYYyaZAyaGQZGmBGBVEp6npGSGJ6jJ6mQyZNqdRnL6m/DbNxZ0kPGtCIbsbt+o9V+nQP0sbdNKSa4CSEkcuc/R7MLGEiKEhGTnyvOJJDdqLojKdFSmh6G9suq2JsfKhYtdlcasbXrK65K1pYohxrwiHjERkSRp51Z9adu9u2jvP2OgwMj4PBUZxmf0Z5yxjgYSQmIf4u5IpwoSFZT27kA==', 'base64');

test('tar entries sum as a layer counts them: files, link targets, hard links and folders at 0, pax sizes', () => {
  const stream = tar([
    { name: 'd/', type: '5' },
    { name: 'd/a.bin', data: 'x'.repeat(1000) },
    { name: 'd/link', type: '2', link: 'a.bin' },
    { name: 'd/hard', type: '1', link: 'd/a.bin' },
    { name: 'd/b.bin', data: 'y'.repeat(10), paxSize: 10 },
  ]);
  const listing = readTar((s, l) => stream.subarray(s, s + l), stream.length, 100);
  assert.deepEqual(listing, { contentBytes: 1000 + 5 + 10, entries: 5, truncated: false });
  assert.equal(readTar((s, l) => stream.subarray(s, s + l), stream.length, 2)?.truncated, true);
});

test('a file that is not a tar is not an archive: ADD copies it as it is', () => {
  const text = Buffer.from('just some text, not a tar header at all'.repeat(20));
  assert.equal(readTar((s, l) => text.subarray(s, s + l), text.length, 10), null);
  assert.equal(inspectArchive('notes.txt', access(text)).handling, 'copied');
  assert.equal(inspectArchive('notes.txt.gz', access(gzipSync(text))).handling, 'copied');
});

test('compression is detected from content, not from the name (as Docker does)', () => {
  assert.equal(detectCompression(gzipSync(Buffer.from('a'))), 'gzip');
  assert.equal(detectCompression(fixtureXz), 'xz');
  assert.equal(detectCompression(fixtureZstd), 'zstd');
  assert.equal(detectCompression(fixtureBzip2), 'bzip2');
  assert.equal(detectCompression(Buffer.from('plain')), 'none');
  const packed = inspectArchive('payload.bin', access(gzipSync(tar([{ name: 'f', data: 'z'.repeat(4000) }]))));
  assert.equal(packed.handling, 'unpacked');
  assert.equal(packed.contentBytes, 4000);
});

test('xz and zstd: the unpacked tar stream length from their own records; bzip2: nothing', () => {
  assert.equal(xzUncompressedSize(access(fixtureXz)), 10240);
  assert.equal(xzUncompressedSize(access(Buffer.concat([fixtureXz, Buffer.alloc(8), fixtureXz]))), 20480, 'two streams with padding');
  assert.equal(xzUncompressedSize(access(fixtureXz.subarray(0, fixtureXz.length - 3))), null, 'a cut file is not guessed');
  assert.equal(zstdContentSize(fixtureZstd), 10240);
  const xz = inspectArchive('t.tar.xz', access(fixtureXz));
  assert.deepEqual([xz.handling, xz.streamBytes, xz.contentBytes], ['unpacked', 10240, null]);
  assert.equal(inspectArchive('t.bin', access(fixtureXz)).handling, 'unknown', 'xz of unknown content: cannot tell whether ADD unpacks it');
  const bz = inspectArchive('t.tar.bz2', access(fixtureBzip2));
  assert.deepEqual([bz.handling, bz.streamBytes, bz.contentBytes], ['unpacked', null, null]);
});

test('gzip beyond the unpack limit falls back to the trailer length, labelled', () => {
  const gz = gzipSync(tar([{ name: 'big', data: Buffer.alloc(200_000) }]));
  const limited = inspectArchive('big.tar.gz', access(gz), { maxGzipBytes: 10, maxUnpackedBytes: 1, maxEntries: 10 });
  assert.equal(limited.contentBytes, null);
  assert.equal(limited.streamBytes, 200_000 + 512 + 1024 + (512 - (200_000 % 512)) % 512);
  assert.match(limited.limit ?? '', /gzip trailer/);
});

const layer = (dockerfile: string, files: Record<string, number | string | Uint8Array>, line: number) => {
  const report = analyze(dockerfile, { env: { ...testEnv(), context: memoryContext(files) } });
  return report.image.stages.flatMap((s) => s.layers).find((l) => l.line === line);
};

test('ADD of a local .tar.gz costs its unpacked content; COPY of it the archive', () => {
  const archive = gzipSync(tar([{ name: 'p/lines.txt', data: 'line\n'.repeat(100_000) }, { name: 'p/r.bin', data: Buffer.alloc(5000, 7) }]));
  const files = { 'payload.tar.gz': archive, 'other.txt': 'abc' };
  const add = layer('FROM debian:bookworm-slim\nADD payload.tar.gz other.txt /opt/\nCOPY payload.tar.gz /opt/archive/', files, 1);
  assert.equal(add?.figure?.bytes, 500_000 + 5000 + 3);
  assert.equal(add?.figure?.confidence, 'high');
  assert.ok(add?.parts.some((p) => p.label === 'payload.tar.gz unpacked'));
  const copy = layer('FROM debian:bookworm-slim\nADD payload.tar.gz other.txt /opt/\nCOPY payload.tar.gz /opt/archive/', files, 2);
  assert.equal(copy?.figure?.bytes, archive.length);
});

test('ADD of an xz tar is an upper bound from the index; of a bzip2 tar, unknown with the reason', () => {
  const xz = layer('FROM debian:bookworm-slim\nADD t.tar.xz /opt/', { 't.tar.xz': fixtureXz }, 1);
  assert.equal(xz?.figure?.bytes, 10240);
  assert.equal(xz?.parts[0].figure.high, 10240);
  assert.match(xz?.parts[0].figure.note ?? '', /at most/);
  assert.equal(xz?.figure?.confidence, 'low');
  const bz = layer('FROM debian:bookworm-slim\nADD t.tar.bz2 /opt/', { 't.tar.bz2': fixtureBzip2 }, 1);
  assert.equal(bz?.figure, null);
  assert.match(bz?.explanation ?? '', /bzip2/);
});

test('ADD of a folder holding an archive copies the archive (only named files are unpacked); globs name files', () => {
  const archive = gzipSync(tar([{ name: 'f', data: 'q'.repeat(9000) }]));
  const folder = layer('FROM debian:bookworm-slim\nADD dist /opt/', { 'dist/app.tar.gz': archive }, 1);
  assert.equal(folder?.figure?.bytes, archive.length);
  const glob = layer('FROM debian:bookworm-slim\nADD *.tar.gz /opt/', { 'app.tar.gz': archive }, 1);
  assert.equal(glob?.figure?.bytes, 9000);
});

test('the build context on disk reads archives through the io layer (and only files it sends)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lean-archive-'));
  try {
    writeFileSync(join(dir, 'app.tar.gz'), gzipSync(tar([{ name: 'app/x', data: 'x'.repeat(7000) }])));
    writeFileSync(join(dir, 'skip.tar'), tar([{ name: 'y', data: 'y'.repeat(10) }]));
    writeFileSync(join(dir, '.dockerignore'), 'skip.tar\n');
    const context = new BuildContextCache().get(dir);
    const [facts] = context?.archives?.('app.tar.gz') ?? [];
    assert.deepEqual([facts?.handling, facts?.contentBytes, facts?.entries], ['unpacked', 7000, 1]);
    assert.deepEqual(context?.archives?.('skip.tar'), []);
    assert.deepEqual(context?.archives?.('.'), [], 'a folder source unpacks nothing');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
