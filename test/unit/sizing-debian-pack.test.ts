import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DebianIndex } from '../../server/src/sizing/debian';
import { DEBIAN_PACK_FORMAT, decodeDebianPack, encodeDebianPack, type DebianPack, type PackageRow } from '../../server/src/sizing/debian-pack';

// --- The binary pack format: names, numbers and relations survive the round trip; damage never throws. ---

/** A pack with `real` packages and `virtual` provided names, enough of both to span several name buckets. */
function bigPack(real: number, virtual: number): DebianPack {
  const realNames = Array.from({ length: real }, (_, k) => `pkg-${String(k).padStart(3, '0')}`).sort();
  // Virtual names in no particular order (the encoder sorts them), one with non-ASCII letters.
  const virtualNames = Array.from({ length: virtual }, (_, k) => `virt-${(k * 7919) % 1000}`);
  virtualNames[3] = 'vïrtüal-ünicode';
  const names = [...realNames, ...virtualNames];
  const packages = realNames.map((_, k): PackageRow => [
    k * 10,
    k === 1 ? 5_000_000_000 : k * 1000,
    k > 0 ? [[k - 1]] : [],
    k > 1 ? [[real + (k % virtual), k - 2], [~(real + ((k + 1) % virtual))]] : [],
    [],
    [real + (k % virtual), ~(real + ((k + 1) % virtual))],
    k % 3 === 0 ? 2 : 0,
    0,
  ]);
  return {
    format: 1, release: 'test', arch: 'amd64', generated: '2026-01-01T00:00:00Z', sources: [], sections: ['misc'], names, packages,
    slim: { excludes: [], includes: [], sampleSize: 2, contentPerInstalledByte: 0.9, slimPerInstalledByte: 0.5, measured: [[1, 6_000_000_000, 7], [4, 100, 50]] },
  };
}

test('round trip: every name is found at its index and decodes back; absent names are not found', () => {
  const pack = bigPack(70, 45);
  const index = DebianIndex.fromPack(pack);
  assert.ok(index);
  assert.equal(index.packageCount, 70);
  for (let row = 0; row < 70; row++) {
    assert.equal(index.packageNameAt(row), pack.names[row]);
    assert.ok(index.has(pack.names[row]));
  }
  for (const name of pack.names.slice(70)) {
    assert.equal(index.has(name), false, name);
    assert.equal(index.isKnown(name), true, name);
    assert.ok(index.providers(name).length > 0, name);
  }
  // Provided by k % 45 === 3 (unversioned) and (k + 1) % 45 === 3 (versioned), in row order.
  assert.deepEqual(index.providers('vïrtüal-ünicode'), ['pkg-002', 'pkg-003', 'pkg-047', 'pkg-048']);
  for (const absent of ['', 'pkg', 'pkg-0', 'pkg-0000', 'pkg-069x', 'pkg-070', 'a', 'zzz', 'virt-', 'vïrtüal', 'PKG-001', 'x'.repeat(300)]) {
    assert.equal(index.isKnown(absent), false, absent);
    assert.equal(index.get(absent), null, absent);
  }
  assert.equal(index.packageNameAt(70), null);
  assert.equal(index.packageNameAt(-1), null);
});

test('round trip: sizes beyond 32 bits, relations with alternatives and versioned entries, measured figures', () => {
  const pack = bigPack(20, 18);
  const index = DebianIndex.fromPack(pack)!;
  const p5 = index.get('pkg-005')!;
  assert.deepEqual(p5.preDepends, [['pkg-004']]);
  assert.deepEqual(p5.depends, [[pack.names[20 + 5], 'pkg-003'], [pack.names[20 + 6]]]);
  assert.deepEqual(p5.provides, [pack.names[20 + 5], pack.names[20 + 6]]);
  assert.equal(p5.installedSizeBytes, 50 * 1024);
  assert.equal(p5.priority, 'optional');
  assert.equal(index.get('pkg-006')!.priority, 'required');
  assert.equal(index.get('pkg-001')!.downloadBytes, 5_000_000_000);
  assert.deepEqual(index.slimSizeBytes('pkg-001'), { bytes: 7, measured: true });
  assert.equal(index.sizeFigure(['pkg-001'], { slim: false }).bytes, 6_000_000_000);
  assert.deepEqual(index.slimSizeBytes('pkg-002'), { bytes: Math.round(20 * 1024 * 0.5), measured: false });
  const c = index.closure(['pkg-019'], { withRecommends: true, installed: new Set() });
  assert.equal(c.packages[0], 'pkg-019');
  assert.equal(new Set(c.packages).size, c.packages.length);
  assert.deepEqual(c.missing, []);
});

test('the encoder refuses what the format cannot hold: unsorted or duplicate names, empty groups, bad indexes', () => {
  const base = () => bigPack(20, 18);
  const unsorted = base();
  [unsorted.names[0], unsorted.names[1]] = [unsorted.names[1], unsorted.names[0]];
  assert.throws(() => encodeDebianPack(unsorted), /not sorted/);
  const duplicate = base();
  duplicate.names[25] = duplicate.names[4];
  assert.throws(() => encodeDebianPack(duplicate), /duplicate/);
  const empty = base();
  empty.packages[3][3] = [[]];
  assert.throws(() => encodeDebianPack(empty), /empty alternative group/);
  const outOfRange = base();
  outOfRange.packages[3][2] = [[999]];
  assert.throws(() => encodeDebianPack(outOfRange), /out of range/);
  assert.equal(DebianIndex.fromPack(outOfRange), null, 'fromPack reports by null, not by throwing');
});

test('a pack read from a buffer that does not start on an 8-byte boundary decodes the same', () => {
  const bytes = encodeDebianPack(bigPack(20, 18));
  const shifted = new Uint8Array(bytes.length + 3);
  shifted.set(bytes, 3);
  const load = DebianIndex.fromBytes(shifted.subarray(3));
  assert.equal(load.problem, null);
  assert.deepEqual(load.index!.get('pkg-007'), DebianIndex.fromBytes(bytes).index!.get('pkg-007'));
});

test('a pack of another format version is refused as such', () => {
  const bytes = encodeDebianPack(bigPack(20, 18));
  new DataView(bytes.buffer).setUint32(8, DEBIAN_PACK_FORMAT + 1, true);
  const result = decodeDebianPack(bytes);
  assert.equal(result.data, null);
  assert.equal(result.problem !== null && 'kind' in result ? result.kind : null, 'format');
});

/** Every question the index answers, over every name: must not throw (damaged packs that still decode). */
function exercise(index: DebianIndex, names: string[]): void {
  for (const name of names) {
    index.has(name);
    index.isKnown(name);
    index.get(name);
    index.providers(name);
    index.resolve(name);
    index.installedSizeBytes(name);
    index.slimSizeBytes(name);
  }
  const c = index.closure(names, { withRecommends: true, installed: new Set(names.slice(0, 3)) });
  index.sizeFigure(c.packages, { slim: true });
  index.essentialPackages();
}

test('every truncation of a pack is refused with a problem, never an exception', () => {
  const bytes = encodeDebianPack(bigPack(20, 18));
  for (let length = 0; length < bytes.length; length++) {
    const load = DebianIndex.fromBytes(bytes.slice(0, length));
    assert.equal(load.index, null, `truncated to ${length} bytes`);
    assert.ok(load.problem, `truncated to ${length} bytes`);
  }
});

test('any one damaged byte is refused or still answers every question without throwing', () => {
  const pack = bigPack(20, 18);
  const bytes = encodeDebianPack(pack);
  let refused = 0;
  let answered = 0;
  const headerEnd = 16 + new DataView(bytes.buffer).getUint32(12, true);
  const asked = [...pack.names.slice(0, 6), ...pack.names.slice(20, 26)];
  // Every byte of the arrays; every third of the header's JSON text (its damage mostly fails to parse).
  for (let at = 0; at < bytes.length; at += at < headerEnd ? 3 : 1) {
    const damaged = bytes.slice();
    // Low bits (counts, offsets one off), the top bit (flags, huge indexes), whole bytes.
    damaged[at] ^= [0x01, 0x80, 0xff, 0x10][at % 4];
    const load = DebianIndex.fromBytes(damaged);
    if (load.index === null) {
      assert.ok(load.problem);
      refused++;
      continue;
    }
    exercise(load.index, asked);
    answered++;
  }
  assert.ok(refused > 0 && answered > 0, `${refused} refused, ${answered} answered`);
});
