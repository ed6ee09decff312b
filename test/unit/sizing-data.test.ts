import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, copyFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FileDataPacks, findDataDir } from '../../server/src/io/data-packs';
import { resolveBaseImage, splitTag } from '../../server/src/sizing/base-images';

const packs = new FileDataPacks();
const data = packs.baseImages()!;
const bookworm = packs.debian('bookworm')!;
const slimBase = new Set(data.packageLists['debian:bookworm-slim']);
const ref = (repository: string, tag: string | null, digest: string | null = null) => ({ repository, tag, digest });

test('the shipped packs load: base images with package lists, Debian bookworm and trixie', () => {
  assert.ok(data.images.length >= 40);
  assert.equal(data.packageLists['debian:bookworm-slim'].length, 88);
  assert.equal(bookworm.release, 'bookworm');
  assert.equal(packs.debian('trixie')?.release, 'trixie');
  assert.equal(packs.debian('sid'), null);
  assert.deepEqual(packs.problems, []);
});

test('closure: dependencies minus the base, recommends only when asked, virtual packages and alternatives', () => {
  const curl = bookworm.closure(['curl'], { withRecommends: false, installed: slimBase });
  assert.ok(curl.packages.includes('curl') && curl.packages.includes('libcurl4'));
  assert.ok(!curl.packages.includes('libc6'), 'libc6 is in the base');
  const withRecommends = bookworm.closure(['curl'], { withRecommends: true, installed: slimBase });
  assert.ok(withRecommends.packages.includes('ca-certificates'), 'curl recommends ca-certificates');
  assert.ok(withRecommends.installedSizeBytes > curl.installedSizeBytes);
  assert.equal(bookworm.closure(['curl'], { withRecommends: false, installed: new Set(curl.packages.concat([...slimBase])) }).packages.length, 0);
  // A virtual package resolves to a real provider; `pkg=version` and `pkg:amd64` are the package.
  assert.ok(bookworm.resolve('awk', new Set()) !== null);
  assert.equal(bookworm.resolve('curl=7.88.1-10+deb12u5', new Set()), 'curl');
  assert.equal(bookworm.resolve('curl:amd64', new Set()), 'curl');
  assert.deepEqual(bookworm.closure(['no-such-package-xyz'], { withRecommends: false, installed: slimBase }).missing, ['no-such-package-xyz']);
});

test('tag resolution: exact, digests, library/ prefix, codename aliases, family fallback with low confidence, unknown', () => {
  const exact = resolveBaseImage(ref('python', '3.12-slim'), data);
  assert.equal(exact.match, 'exact');
  assert.equal(exact.figure?.confidence, 'high');
  assert.equal(exact.figure?.bytes, 119_200_000);
  assert.equal(resolveBaseImage(ref('library/debian', 'bookworm-slim', 'sha256:abc'), data).match, 'exact');
  assert.equal(resolveBaseImage(ref('debian', '12-slim'), data).entry?.tag, 'bookworm-slim');
  const fallback = resolveBaseImage(ref('python', '3.9-slim-bookworm'), data);
  assert.equal(fallback.match, 'family');
  assert.equal(fallback.figure?.confidence, 'low');
  assert.match(fallback.explanation, /nearest tag python:3\.11-slim-bookworm/);
  const node20 = resolveBaseImage(ref('node', '20-alpine'), data);
  assert.equal(node20.match, 'family');
  assert.match(node20.entry!.tag, /alpine/);
  assert.equal(resolveBaseImage(ref('mycorp/app', '1.0'), data).figure, null);
  assert.equal(resolveBaseImage(ref('scratch', null), data).figure?.bytes, 0);
  assert.deepEqual(splitTag('3.12-slim-bookworm'), { version: [3, 12], variant: 'slim-bookworm' });
});

test('smaller variants of the same version are offered, biggest saving first', () => {
  const full = resolveBaseImage(ref('python', '3.12-bookworm'), data);
  assert.deepEqual(full.smallerVariants.map((v) => v.reference), ['python:3.12-alpine3.23', 'python:3.12-slim', 'python:3.12-slim-bookworm']);
  assert.ok(full.smallerVariants.every((v) => v.savedBytes > 0));
});

test('a corrupt or missing pack is reported and treated as absent, never thrown', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lean-data-'));
  writeFileSync(path.join(dir, 'base-images.json'), '{ not json');
  writeFileSync(path.join(dir, 'debian-bookworm-amd64.pack'), gzipSync('{"format": 2}'));
  writeFileSync(path.join(dir, 'debian-trixie-amd64.pack'), 'DLDEBPK\n');
  const broken = new FileDataPacks(dir);
  assert.equal(broken.baseImages(), null);
  assert.equal(broken.debian('bookworm'), null);
  assert.equal(broken.debian('trixie'), null);
  assert.equal(broken.problems.length, 3);
  assert.equal(new FileDataPacks(null).baseImages(), null);
});

test('a user data file adds private base images ahead of the shipped ones; a bad one is reported', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lean-data-'));
  copyFileSync(path.join(findDataDir()!, 'base-images.json'), path.join(dir, 'base-images.json'));
  const user = path.join(dir, 'mine.json');
  writeFileSync(user, JSON.stringify({ images: [{ repository: 'mycorp/base', tag: '1.0', bytes: 42_000_000, os: 'debian', osRelease: 'bookworm' }, { repository: 'bad' }] }));
  const withUser = new FileDataPacks(dir, user);
  const match = resolveBaseImage(ref('mycorp/base', '1.0'), withUser.baseImages()!);
  assert.equal(match.figure?.bytes, 42_000_000);
  assert.equal(withUser.problems.length, 1);
});
