import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveBaseImage, normalizeRepository, tagShape, isBaseImageData, type BaseImageData } from '../../server/src/sizing/base-images';
import { loadBaseImageData } from '../../server/src/io/data-packs';

function data(): BaseImageData {
  const load = loadBaseImageData();
  assert.equal(load.problem, null);
  return load.value as BaseImageData;
}

const resolve = (repository: string, tag: string | null, digest: string | null = null) => resolveBaseImage({ repository, tag, digest }, data());
const digest = 'sha256:' + 'a'.repeat(64);

test('the shipped data: versioned, sourced, 49 images, the debian:bookworm package lists', () => {
  const d = data();
  assert.ok(isBaseImageData(d));
  assert.match(d.source, /repo-info/);
  assert.match(d.retrieved, /^\d{4}-\d{2}-\d{2}$/);
  assert.equal(d.images.length, 49);
  for (const e of d.images) {
    assert.ok(e.bytes > 0 && e.sourcePath.startsWith('repos/') && /^[0-9a-f]{40}$/.test(e.sourceCommit), `${e.repository}:${e.tag}`);
  }
  assert.equal(d.packageLists['debian:bookworm'].length, 88);
  assert.deepEqual(d.packageLists['debian:bookworm'], d.packageLists['debian:bookworm-slim']);
  assert.match(d.packageListSources?.['debian:bookworm-slim'].sourcePath ?? '', /^repos\/debian\/local\/bookworm-slim\.md$/);
});

test('repository spellings normalise to the short name', () => {
  assert.equal(normalizeRepository('docker.io/library/python'), 'python');
  assert.equal(normalizeRepository('library/node'), 'node');
  assert.equal(normalizeRepository('index.docker.io/library/Debian'), 'debian');
  assert.equal(normalizeRepository('ghcr.io/acme/app'), 'ghcr.io/acme/app');
});

test('tag shapes: version, variant and codename', () => {
  assert.deepEqual(tagShape('3.12-slim-bookworm'), { version: [3, 12], variantKey: 'slim', codename: 'bookworm' });
  assert.deepEqual(tagShape('bookworm-slim'), { version: [12], variantKey: 'slim', codename: 'bookworm' });
  assert.deepEqual(tagShape('22-alpine3.23'), { version: [22], variantKey: 'alpine', codename: null });
  assert.deepEqual(tagShape('17.0.20_8-jre-alpine-3.24'), { version: [17, 0, 20], variantKey: 'jre-alpine', codename: null });
  assert.deepEqual(tagShape('latest'), { version: [], variantKey: '', codename: null });
});

test('exact tag, with docker.io/library/ prefix: high confidence, repo-info figure, Debian release for apt', () => {
  const r = resolve('docker.io/library/python', '3.12-slim');
  assert.equal(r.match, 'exact');
  assert.equal(r.figure?.bytes, 119_200_000);
  assert.equal(r.figure?.confidence, 'high');
  assert.equal(r.figure?.source, 'image-manifest');
  assert.equal(r.entry?.resolvedTag, 'python:3.12.13-slim-trixie');
  assert.equal(r.os, 'debian');
  assert.equal(r.variant, 'slim');
  assert.equal(r.debianRelease, 'trixie');
  assert.match(r.explanation, /119 MB uncompressed.*repo-info/);
});

test('python:3.12 (no such tag in the data) falls back to the nearest default-variant tag, low confidence', () => {
  const r = resolve('python', '3.12');
  assert.equal(r.match, 'family');
  assert.equal(r.entry?.tag, '3.12-bookworm');
  assert.equal(r.figure?.bytes, 1_020_000_000);
  assert.equal(r.figure?.confidence, 'low');
  assert.equal(r.figure?.low, 1_010_000_000, 'the same-variant tags span 1.01–1.02 GB');
  assert.equal(r.figure?.high, 1_020_000_000);
  assert.match(r.explanation, /python:3\.12 is not in the data: nearest tag python:3\.12-bookworm of the same variant.*low confidence/);
  assert.equal(r.variant, 'full');
  assert.equal(r.installedPackages, null, 'never the nearest tag\'s list as if it were this image\'s');
  assert.equal(r.smallerVariants[0].reference, 'python:3.12-alpine3.23');
});

test('python:3.9-slim → the nearest python *-slim tag; a codename in the tag decides the Debian release', () => {
  const r = resolve('python', '3.9-slim');
  assert.equal(r.match, 'family');
  assert.equal(r.entry?.tag, '3.11-slim-bookworm');
  assert.equal(r.variant, 'slim');
  assert.equal(r.figure?.confidence, 'low');
  assert.equal(r.figure?.low, 119_200_000);
  assert.equal(r.figure?.high, 130_010_000);
  assert.equal(resolve('python', '3.10-slim-bullseye').debianRelease, 'bullseye');
  assert.equal(resolve('python', '3.10-slim-bullseye').entry?.tag, '3.11-slim-bookworm');
});

test('library/node:20-alpine → node:22-alpine3.23; node:20 → node:22-bookworm', () => {
  const alpine = resolve('library/node', '20-alpine');
  assert.equal(alpine.match, 'family');
  assert.equal(alpine.entry?.tag, '22-alpine3.23');
  assert.equal(alpine.os, 'alpine');
  assert.equal(alpine.variant, 'alpine');
  assert.equal(alpine.debianRelease, null);
  const full = resolve('node', '20');
  assert.equal(full.entry?.tag, '22-bookworm');
  assert.equal(full.figure?.confidence, 'low');
  assert.equal(full.debianRelease, 'bookworm');
});

test('python:3 means the newest 3.x of the variant; no tag means latest', () => {
  assert.equal(resolve('python', '3').entry?.tag, '3.13-bookworm');
  const nginx = resolve('nginx', null);
  assert.equal(nginx.match, 'exact');
  assert.equal(nginx.entry?.tag, 'latest');
  assert.equal(nginx.debianRelease, 'trixie');
  const python = resolve('python', null);
  assert.equal(python.match, 'family');
  assert.equal(python.entry?.tag, '3.13-bookworm');
});

test('digests: a tag plus digest uses the tag at medium confidence; a bare digest is a low-confidence family guess', () => {
  const pinned = resolve('python', '3.12-slim', digest);
  assert.equal(pinned.match, 'exact');
  assert.equal(pinned.figure?.confidence, 'medium');
  assert.match(pinned.explanation, /digest/);
  const bare = resolve('nginx', null, digest);
  assert.equal(bare.match, 'family');
  assert.equal(bare.figure?.confidence, 'low');
  assert.match(bare.explanation, /names no tag/);
});

test('scratch is 0 bytes, high confidence', () => {
  const r = resolve('scratch', null);
  assert.equal(r.match, 'scratch');
  assert.deepEqual({ bytes: r.figure?.bytes, confidence: r.figure?.confidence }, { bytes: 0, confidence: 'high' });
  assert.equal(r.variant, 'scratch');
});

test('unknown repository or variant: no figure at all', () => {
  const repo = resolve('ghcr.io/acme/app', '1.0');
  assert.equal(repo.match, 'unknown');
  assert.equal(repo.figure, null);
  assert.equal(repo.entry, null);
  assert.match(repo.explanation, /no size data for the image 'ghcr\.io\/acme\/app'/);
  const variant = resolve('python', '3.12-windowsservercore');
  assert.equal(variant.match, 'unknown');
  assert.equal(variant.figure, null);
  assert.match(variant.explanation, /no 'windowsservercore' variant of python.*known tags: .*3\.12-slim/);
});

test('debian:bookworm: exact, its 88 packages, and the slim variant as a smaller choice', () => {
  const r = resolve('debian', 'bookworm');
  assert.equal(r.figure?.bytes, 116_570_000);
  assert.equal(r.installedPackages?.length, 88);
  assert.deepEqual(r.knownPackages && { complete: r.knownPackages.complete, from: r.knownPackages.from }, { complete: true, from: 'debian:bookworm' });
  assert.deepEqual(r.smallerVariants.map((v) => [v.reference, v.savedBytes]), [['debian:bookworm-slim', 116_570_000 - 74_830_000]]);
  assert.equal(r.smallerVariants[0].figure.confidence, 'high');
});

test('release numbers and codenames are aliases: debian:12-slim, ubuntu:noble', () => {
  const d = resolve('debian', '12-slim');
  assert.equal(d.match, 'exact');
  assert.equal(d.entry?.tag, 'bookworm-slim');
  assert.equal(d.installedPackages?.length, 88);
  assert.match(d.explanation, /debian:12-slim is debian:bookworm-slim/);
  const u = resolve('ubuntu', 'noble');
  assert.equal(u.match, 'exact');
  assert.equal(u.entry?.tag, '24.04');
  assert.equal(u.os, 'ubuntu');
  assert.equal(u.debianRelease, null);
  const bullseye = resolve('debian', 'bullseye-slim');
  assert.equal(bullseye.match, 'family');
  assert.equal(bullseye.entry?.tag, 'bookworm-slim');
  assert.equal(bullseye.debianRelease, 'bullseye');
});

test('images built on debian:bookworm-slim expose its packages as a known subset', () => {
  const r = resolve('python', '3.12-slim-bookworm');
  assert.equal(r.match, 'exact');
  assert.equal(r.installedPackages, null);
  assert.equal(r.knownPackages?.complete, false);
  assert.equal(r.knownPackages?.from, 'debian:bookworm-slim');
  assert.equal(r.knownPackages?.names.length, 88);
  assert.equal(resolve('python', '3.12-slim').knownPackages, null, 'trixie: no recorded list');
});

test('smaller variants of the same version, biggest saving first', () => {
  const r = resolve('node', '22-bookworm');
  assert.deepEqual(r.smallerVariants.map((v) => v.reference), ['node:22-alpine3.23', 'node:22-bookworm-slim']);
  assert.ok(r.smallerVariants.every((v) => v.savedBytes === (r.figure?.bytes as number) - v.figure.bytes));
});

test('other OS families: busybox is other, alpine:3.19 falls back to the nearest alpine', () => {
  assert.equal(resolve('busybox', 'latest').os, 'other');
  const a = resolve('alpine', '3.19');
  assert.equal(a.match, 'family');
  assert.equal(a.entry?.tag, '3.21');
  assert.equal(a.variant, 'alpine');
});

test('every figure is a recorded size: no invented numbers', () => {
  const known = new Set(data().images.map((e) => e.bytes));
  const refs: [string, string | null][] = [['python', '3.8'], ['node', '18-slim'], ['golang', '1.22-alpine'], ['rust', '1'], ['redis', null], ['eclipse-temurin', '11-jre-noble'], ['postgres', '15-alpine']];
  for (const [repo, tag] of refs) {
    const r = resolve(repo, tag);
    if (r.figure) assert.ok(known.has(r.figure.bytes), `${repo}:${tag}`);
  }
});
