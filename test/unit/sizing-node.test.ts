import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../server/src/engine';
import { testEnv } from '../support/test-env';
import { memoryContext } from '../support/memory-context';
import { findDataDir } from '../../server/src/io/data-packs';
import { loadNpmPackData } from '../../server/src/io/package-packs';
import { parseLockfile, parseManifest } from '../../server/src/sizing/sizers/node-lockfiles';
import { packageKeyOf } from '../../server/src/sizing/sizers/node';
import { closureFor, packageSize } from '../../server/src/sizing/sizers/node-packages';
import { contextFromSnapshot, walkContext, walkFolder } from '../../server/src/io/build-context';
import { mkdtempSync, mkdirSync, writeFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const pack = loadNpmPackData(findDataDir()).value;
assert.ok(pack, 'the npm data pack loads');

function runLayer(text: string, files: Record<string, number | string> | null) {
  const report = analyze(text, { env: { ...testEnv(), context: files ? memoryContext(files) : null } });
  const layers = report.image.stages.flatMap((s) => s.layers);
  return { layer: layers[layers.length - 1], report };
}

const part = (layer: { parts: { label: string; figure: { bytes: number; source: string; confidence: string } }[] }, label: string) =>
  layer.parts.find((p) => p.label === label)?.figure;

const manifest = JSON.stringify({ name: 'app', version: '1.0.0', dependencies: { a: '1.0.0' }, devDependencies: { d: '2.0.0' } });
const lockV3 = (packages: Record<string, object>) => JSON.stringify({ name: 'app', lockfileVersion: 3, packages: { '': { name: 'app' }, ...packages } });

/** express@4.21.2's closure as the pack resolved it, written as a package-lock.json v3 (all production). */
function expressLock(extra: Record<string, object> = {}): { text: string; installed: number; tarballs: number } {
  const closure = closureFor(pack!, 'express', '4.21.2');
  assert.ok(closure, 'the pack has express@4.21.2');
  const packages: Record<string, { version: string }> = {};
  for (const item of closure.packages) {
    const at = item.lastIndexOf('@');
    // Two versions of one name would be nested in a real tree; here the later one stands alone.
    packages[`node_modules/${item.slice(0, at)}`] = { version: item.slice(at + 1) };
  }
  let installed = 0;
  let tarballs = 0;
  for (const [key, { version }] of Object.entries(packages)) {
    const size = packageSize(pack!, key.slice('node_modules/'.length), version)!;
    installed += size.installed;
    tarballs += size.tarball ?? 0;
  }
  return { text: lockV3({ ...packages, ...extra }), installed, tarballs };
}

test('npm ci: the workspace node_modules is measured, devDependencies from the lockfile are their own part', () => {
  const files = {
    '.dockerignore': 'node_modules\n',
    'package.json': manifest,
    'package-lock.json': lockV3({ 'node_modules/a': { version: '1.0.0' }, 'node_modules/d': { version: '2.0.0', dev: true }, 'node_modules/d/node_modules/e': { version: '3.0.0', dev: true } }),
    'node_modules/a/index.js': 1000,
    'node_modules/d/index.js': 5000,
    'node_modules/d/node_modules/e/x.js': 700,
    'node_modules/.package-lock.json': 300,
  };
  const dockerfile = 'FROM node:20-slim\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci && npm cache clean --force';
  const { layer } = runLayer(dockerfile, files);
  assert.equal(part(layer, 'node_modules')?.bytes, 1300);
  assert.equal(part(layer, 'node_modules')?.source, 'measured');
  assert.equal(part(layer, 'dev dependencies')?.bytes, 5700);
  const omit = runLayer(dockerfile.replace('npm ci', 'npm ci --omit=dev'), files).layer;
  assert.equal(omit.figure?.bytes, 1300);
  assert.equal(part(omit, 'dev dependencies'), undefined);
});

test('npm ci from a lockfile: known package sizes, the npm cache as its own part, gone when cleaned or on a cache mount', () => {
  const lock = expressLock();
  const files = { 'package.json': JSON.stringify({ dependencies: { express: '4.21.2' } }), 'package-lock.json': lock.text };
  const { layer, report } = runLayer('FROM node:20-slim\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci', files);
  assert.equal(part(layer, 'node_modules')?.bytes, lock.installed);
  assert.equal(part(layer, 'node_modules')?.source, 'known-package');
  assert.ok(lock.tarballs > 0);
  assert.equal(part(layer, 'npm cache')?.bytes, lock.tarballs, 'npm ci with a lockfile caches the tarballs only');
  const finding = report.findings.find((f) => f.ruleId === 'npm-cache-not-cleaned');
  assert.match(finding?.message ?? '', /\(~[\d.]+ (MB|kB)\)/, 'the cache rule quotes the cache part');
  assert.equal(finding?.savings?.bytes, lock.tarballs);
  const cleaned = runLayer('FROM node:20-slim\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci && npm cache clean --force', files).layer;
  assert.equal(part(cleaned, 'npm cache'), undefined);
  assert.equal(cleaned.figure?.bytes, lock.installed);
  const mounted = runLayer('FROM node:20-slim\nWORKDIR /app\nCOPY package*.json ./\nRUN --mount=type=cache,target=/root/.npm npm ci', files).layer;
  assert.equal(part(mounted, 'npm cache'), undefined);
});

test('a locked package the pack does not know is a labelled heuristic part (the pack median), low confidence', () => {
  const lock = expressLock({ 'node_modules/zz-not-in-the-pack': { version: '9.9.9' } });
  const files = { 'package.json': '{}', 'package-lock.json': lock.text };
  const { layer } = runLayer('FROM node:20-slim\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm cache clean --force', files);
  const guess = part(layer, 'node_modules without size data');
  assert.equal(guess?.source, 'heuristic');
  assert.equal(guess?.confidence, 'low');
  assert.equal(guess?.bytes, pack!.stats.median);
  assert.equal(layer.figure?.confidence, 'low');
});

test('package.json without a lockfile uses the resolved closures and caches package metadata too', () => {
  const files = { 'package.json': JSON.stringify({ dependencies: { express: '4.21.2', lodash: '4.17.21' } }) };
  const { layer } = runLayer('FROM node:20-slim\nWORKDIR /app\nCOPY package.json ./\nRUN npm install --omit=dev', files);
  const express = closureFor(pack!, 'express', '4.21.2')!;
  const lodash = closureFor(pack!, 'lodash', '4.17.21')!;
  const items = [...new Set([...express.packages, ...lodash.packages])];
  const installed = items.reduce((sum, item) => sum + packageSize(pack!, item.slice(0, item.lastIndexOf('@')), item.slice(item.lastIndexOf('@') + 1))!.installed, 0);
  assert.equal(part(layer, 'node_modules')?.bytes, installed);
  const cache = part(layer, 'npm cache')!;
  const tarballs = items.reduce((sum, item) => sum + (packageSize(pack!, item.slice(0, item.lastIndexOf('@')), item.slice(item.lastIndexOf('@') + 1))!.tarball ?? 0), 0);
  assert.ok(cache.bytes > tarballs, 'metadata documents are cached besides the tarballs');
});

test('unknown registry package or missing build context leaves the layer unknown, saying why', () => {
  const unknown = runLayer('FROM node:20-slim\nRUN npm install -g zz-not-in-the-pack', null).layer;
  assert.equal(unknown.figure, null);
  assert.match(unknown.explanation, /zz-not-in-the-pack/);
  const noContext = runLayer('FROM node:20-slim\nWORKDIR /app\nCOPY . .\nRUN npm ci', null).layer;
  assert.equal(noContext.figure, null);
  assert.match(noContext.explanation, /build context/);
  const global = runLayer('FROM node:20-slim\nRUN npm install -g pm2@5 && npm cache clean --force', null).layer;
  assert.equal(part(global, 'global packages')?.source, 'known-package');
});

test('yarn: yarn.lock versions, --production follows the manifest, the yarn cache holds files + tarballs + metadata', () => {
  const lock = [
    '# yarn lockfile v1', '',
    'lodash@4.17.21:', '  version "4.17.21"', '  resolved "https://registry.yarnpkg.com/lodash/-/lodash-4.17.21.tgz"', '',
    '"zz-dev@^1.0.0":', '  version "1.0.0"', '',
  ].join('\n');
  const files = { 'package.json': JSON.stringify({ dependencies: { lodash: '4.17.21' }, devDependencies: { 'zz-dev': '^1.0.0' } }), 'yarn.lock': lock };
  const { layer, report } = runLayer('FROM node:20-slim\nWORKDIR /app\nCOPY package.json yarn.lock ./\nRUN yarn install --frozen-lockfile --production', files);
  const lodash = packageSize(pack!, 'lodash', '4.17.21')!;
  assert.equal(part(layer, 'node_modules')?.bytes, lodash.installed);
  assert.equal(part(layer, 'yarn cache')?.bytes, lodash.installed + (lodash.tarball ?? 0) + 8_340);
  assert.ok(report.findings.some((f) => f.ruleId === 'yarn-cache-not-cleaned' && /\(~/.test(f.message)));
  const withDev = runLayer('FROM node:20-slim\nWORKDIR /app\nCOPY package.json yarn.lock ./\nRUN yarn install && yarn cache clean', files).layer;
  assert.ok(part(withDev, 'dev dependencies without size data'), 'the dev-only package is counted, as a heuristic');
});

test('lockfile parsers: npm v1 and v3, yarn berry, pnpm v6 and v9', () => {
  const v1 = parseLockfile('package-lock.json', JSON.stringify({ lockfileVersion: 1, dependencies: { a: { version: '1.0.0', dependencies: { b: { version: '2.0.0', dev: true } } } } }), null)!;
  assert.deepEqual(v1.packages.map((p) => `${p.name}@${p.version}${p.dev ? ' dev' : ''}`), ['a@1.0.0', 'b@2.0.0 dev']);
  const berry = parseLockfile('yarn.lock', '__metadata:\n  version: 6\n\n"@s/x@npm:^1.2.0":\n  version: 1.2.3\n  dependencies:\n    y: "npm:^2.0.0"\n\n"y@npm:^2.0.0":\n  version: 2.1.0\n', parseManifest(JSON.stringify({ dependencies: { '@s/x': '^1.2.0' } })))!;
  assert.deepEqual(berry.packages.map((p) => `${p.name}@${p.version}${p.dev ? ' dev' : ''}`), ['@s/x@1.2.3', 'y@2.1.0']);
  const pnpm6 = parseLockfile('pnpm-lock.yaml', "lockfileVersion: '6.0'\n\npackages:\n\n  /a@1.0.0:\n    resolution: {integrity: x}\n    dev: false\n\n  /@s/b@2.0.0(react@18.0.0):\n    dev: true\n", null)!;
  assert.deepEqual(pnpm6.packages.map((p) => `${p.name}@${p.version}${p.dev ? ' dev' : ''}`), ['a@1.0.0', '@s/b@2.0.0 dev']);
  assert.equal(pnpm6.knowsDev, true);
  const pnpm9 = parseLockfile('pnpm-lock.yaml', "lockfileVersion: '9.0'\n\npackages:\n\n  a@1.0.0:\n    resolution: {integrity: x}\n\nsnapshots:\n\n  a@1.0.0: {}\n", null)!;
  assert.deepEqual(pnpm9.packages.map((p) => `${p.name}@${p.version}`), ['a@1.0.0']);
  assert.equal(pnpm9.knowsDev, false);
  assert.equal(parseLockfile('package-lock.json', '{not json', null), null);
});

test('a file under node_modules maps to its innermost package', () => {
  assert.equal(packageKeyOf('express/lib/x.js'), 'node_modules/express');
  assert.equal(packageKeyOf('@types/node/index.d.ts'), 'node_modules/@types/node');
  assert.equal(packageKeyOf('a/node_modules/@s/b/c/d.js'), 'node_modules/a/node_modules/@s/b');
  assert.equal(packageKeyOf('.package-lock.json'), '');
});

test('the disk context reads a sent file as text and lists node_modules past .dockerignore, never through links', () => {
  const outside = mkdtempSync(path.join(tmpdir(), 'lean-outside-'));
  writeFileSync(path.join(outside, 'secret.txt'), 'outside');
  const root = mkdtempSync(path.join(tmpdir(), 'lean-node-ctx-'));
  mkdirSync(path.join(root, 'node_modules', 'a'), { recursive: true });
  writeFileSync(path.join(root, 'node_modules', 'a', 'index.js'), Buffer.alloc(1234));
  writeFileSync(path.join(root, 'package-lock.json'), '{"lockfileVersion":3}');
  writeFileSync(path.join(root, '.dockerignore'), 'node_modules\nignored.txt\n');
  writeFileSync(path.join(root, 'ignored.txt'), 'x');
  symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 'link.txt'));
  symlinkSync(outside, path.join(root, 'node_modules', 'escape'));
  const context = contextFromSnapshot(walkContext(root));
  assert.equal(context.readText('package-lock.json', 1000), '{"lockfileVersion":3}');
  assert.equal(context.readText('./package-lock.json', 5), null, 'larger than the limit');
  assert.equal(context.readText('ignored.txt', 1000), null, '.dockerignore applies to reads');
  assert.equal(context.readText('link.txt', 1000), null, 'links are not followed');
  assert.equal(context.readText('../secret.txt', 1000), null);
  const listing = context.filesUnder('node_modules');
  assert.ok(listing && !listing.truncated);
  assert.equal(listing.files.find((f) => f.path === 'a/index.js')?.bytes, 1234);
  assert.ok(!listing.files.some((f) => f.path.includes('secret')), 'a linked folder is not entered');
  assert.equal(context.filesUnder('missing'), null);
  assert.equal(context.filesUnder('../'), null);
  assert.equal(walkFolder(root, { maxEntries: 2, maxMilliseconds: 1000 }).truncated, true);
});
