// Regenerates server/data/npm-packages.json.gz: installed sizes of popular npm packages, measured by
// installing them with the ordinary npm client into a scratch folder (install scripts off), and the sizes of
// the tarballs and metadata documents npm kept in its cache while doing so.
//
//   node scripts/gen-npm-data.mjs [--lockfile DIR]... [--out FILE] [--keep]
//
// Each spec below is installed alone (`npm install --omit=dev --ignore-scripts`), so its dependency closure
// is what npm resolved on the day the script ran; every package folder is measured on disk (file bytes,
// symbolic links at their own length, nested node_modules excluded). `--lockfile DIR` also installs
// DIR/package.json + DIR/package-lock.json with `npm ci --include=dev` and records the exact versions it
// holds (the accuracy corpus uses it). Needs network access to the npm registry only.
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const argv = process.argv.slice(2);
const out = path.resolve(argv.includes('--out') ? argv[argv.indexOf('--out') + 1] : path.join(root, 'server', 'data', 'npm-packages.json.gz'));
const lockfileDirs = argv.flatMap((a, i) => (a === '--lockfile' ? [path.resolve(argv[i + 1])] : []));
const keep = argv.includes('--keep');

/**
 * Popular direct dependencies and global tools, one major line each. Packages whose install scripts download
 * or compile binaries (puppeteer, prisma, bcrypt, node-sass, canvas) are left out: with scripts off their
 * real size is not what an image gets.
 */
const specs = [
  'express@4', 'express@5', 'lodash@4', 'axios@1', 'react@18', 'react-dom@18', 'react@19', 'react-dom@19',
  'next@14', 'next@15', 'vue@3', 'typescript@5', 'webpack@5', 'vite@5', 'vite@6', 'esbuild@0', 'eslint@8', 'eslint@9',
  'jest@29', 'mongoose@8', 'pg@8', 'mysql2@3', 'sequelize@6', 'redis@4', 'ioredis@5', 'fastify@4', 'fastify@5',
  'koa@2', '@nestjs/core@10', '@nestjs/common@10', 'rxjs@7', 'reflect-metadata@0', 'socket.io@4', 'dotenv@16',
  'moment@2', 'dayjs@1', 'uuid@9', 'chalk@4', 'commander@12', 'yargs@17', 'pm2@5', 'nodemon@3', 'ts-node@10',
  'tsx@4', 'sharp@0', 'body-parser@1', 'cors@2', 'jsonwebtoken@9', 'winston@3', 'zod@3', 'graphql@16',
  '@apollo/server@4', 'aws-sdk@2', '@aws-sdk/client-s3@3', 'serve@14', 'http-server@14', 'npm@10', 'yarn@1', 'pnpm@9',
  'pnpm@10', 'node-fetch@2', 'node-fetch@3', 'cross-env@7', 'rimraf@5', 'prettier@3', 'tailwindcss@3', 'postcss@8',
  'nuxt@3', '@angular/core@18', '@angular/cli@18', 'firebase-admin@12', 'bullmq@5', 'knex@3', 'typeorm@0', 'multer@1',
  'helmet@7', 'morgan@1', 'compression@1', 'cookie-parser@1', 'passport@0', 'class-validator@0', 'class-transformer@0',
  // exact versions the accuracy corpus pins in package.json without a lockfile
  'express@4.21.2', 'lodash@4.17.21',
];

const work = mkdtempSync(path.join(tmpdir(), 'lean-npm-data-'));
const cache = path.join(work, 'cache');
const npmVersion = execFileSync('npm', ['--version'], { encoding: 'utf8' }).trim();

/** name -> version -> [installedBytes, files] */
const packages = new Map();
/** name@version -> tarball URL, to find its size in the cache afterwards */
const tarballUrls = new Map();
const closures = {};

function npm(args, cwd) {
  execFileSync('npm', [...args, '--cache', cache, '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error', '--omit-lockfile-registry-resolved=false'], { cwd, stdio: ['ignore', 'ignore', 'inherit'], timeout: 600_000 });
}

/** Bytes and files of one package folder: regular files, links at their own length, no nested node_modules. */
function measurePackage(dir) {
  let bytes = 0;
  let files = 0;
  const stack = [''];
  while (stack.length) {
    const rel = stack.pop();
    for (const name of readdirSync(path.join(dir, rel))) {
      const relative = rel ? `${rel}/${name}` : name;
      if (rel === '' && name === 'node_modules') continue;
      const stats = lstatSync(path.join(dir, relative));
      if (stats.isDirectory()) stack.push(relative);
      else {
        bytes += stats.size;
        files++;
      }
    }
  }
  return { bytes, files };
}

/** Records every package npm installed under `project` (from its hidden lockfile); returns name@version list. */
function recordTree(project) {
  const hidden = path.join(project, 'node_modules', '.package-lock.json');
  if (!existsSync(hidden)) return { list: [], overhead: 0 };
  const lock = JSON.parse(readFileSync(hidden, 'utf8'));
  const list = [];
  for (const [key, entry] of Object.entries(lock.packages ?? {})) {
    if (!key.includes('node_modules/') || entry.link) continue;
    const name = key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);
    const folder = path.join(project, key);
    if (!existsSync(folder)) continue;
    const version = entry.version;
    const measured = measurePackage(folder);
    if (!packages.has(name)) packages.set(name, new Map());
    packages.get(name).set(version, [measured.bytes, measured.files]);
    if (entry.resolved) tarballUrls.set(`${name}@${version}`, entry.resolved);
    list.push(`${name}@${version}`);
  }
  // What npm writes besides the packages: the hidden lockfile and the .bin links.
  let overhead = lstatSync(hidden).size;
  const bin = path.join(project, 'node_modules', '.bin');
  if (existsSync(bin)) for (const name of readdirSync(bin)) overhead += lstatSync(path.join(bin, name)).size;
  return { list: [...new Set(list)].sort(), overhead };
}

let index = 0;
for (const spec of specs) {
  const at = spec.lastIndexOf('@');
  const name = spec.slice(0, at);
  const range = spec.slice(at + 1);
  const project = path.join(work, `p${index++}`);
  mkdirSync(project, { recursive: true });
  writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'probe', version: '1.0.0', private: true, dependencies: { [name]: range === '0' ? '>=0.0.0 <1' : range.includes('.') ? range : `^${range}` } }));
  try {
    npm(['install', '--omit=dev'], project);
  } catch (error) {
    console.error(`gen-npm-data: ${spec} failed: ${error.message.split('\n')[0]}`);
    continue;
  }
  const { list, overhead } = recordTree(project);
  const top = JSON.parse(readFileSync(path.join(project, 'node_modules', ...name.split('/'), 'package.json'), 'utf8')).version;
  closures[spec] = { resolved: `${name}@${top}`, overhead, packages: list };
  console.log(`${spec} -> ${name}@${top}: ${list.length} packages`);
  rmSync(path.join(project, 'node_modules'), { recursive: true, force: true });
}

for (const dir of lockfileDirs) {
  const project = path.join(work, `l${index++}`);
  mkdirSync(project, { recursive: true });
  for (const file of ['package.json', 'package-lock.json']) copyFileSync(path.join(dir, file), path.join(project, file));
  npm(['ci', '--include=dev'], project);
  const { list } = recordTree(project);
  console.log(`lockfile ${path.relative(root, dir)}: ${list.length} packages`);
  rmSync(path.join(project, 'node_modules'), { recursive: true, force: true });
}

// The cache index: one line per entry, "<hash>\t<json>" with the request URL as key and the body's size.
const cachedSizes = new Map();
const indexDir = path.join(cache, '_cacache', 'index-v5');
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (lstatSync(full).isDirectory()) walk(full);
    else for (const line of readFileSync(full, 'utf8').split('\n')) {
      const tab = line.indexOf('\t');
      if (tab < 0) continue;
      try {
        const entry = JSON.parse(line.slice(tab + 1));
        if (entry && typeof entry.key === 'string' && typeof entry.size === 'number') cachedSizes.set(entry.key.replace(/^make-fetch-happen:request-cache:/, ''), entry.size);
      } catch { /* a torn line */ }
    }
  }
};
if (existsSync(indexDir)) walk(indexDir);

const registry = 'https://registry.npmjs.org/';
const packageTable = {};
const packuments = {};
const installedSizes = [];
const tarballSizes = [];
for (const [name, versions] of [...packages].sort(([a], [b]) => a.localeCompare(b))) {
  packageTable[name] = {};
  for (const [version, [bytes, files]] of [...versions].sort(([a], [b]) => a.localeCompare(b))) {
    // npm's default tarball address when the lockfile did not record one
    const url = tarballUrls.get(`${name}@${version}`) ?? `${registry}${name}/-/${name.split('/').pop()}-${version}.tgz`;
    const tarball = cachedSizes.get(url) ?? null;
    packageTable[name][version] = [bytes, files, tarball];
    installedSizes.push(bytes);
    if (tarball !== null) tarballSizes.push(tarball);
  }
  const doc = cachedSizes.get(registry + name.replace('/', '%2f'));
  if (doc !== undefined) packuments[name] = doc;
}
installedSizes.sort((a, b) => a - b);
tarballSizes.sort((a, b) => a - b);
const quantile = (q, list = installedSizes) => list[Math.min(list.length - 1, Math.floor(q * list.length))];

const pack = {
  format: 1,
  generatedAt: new Date().toISOString().slice(0, 10),
  source: `npm registry, installed with npm ${npmVersion} (node ${process.version}, ${process.platform}-${process.arch}, install scripts off) and measured on disk`,
  sizeDefinition: 'installed: file bytes of the package folder (links at their own length, nested node_modules excluded); tarball and packument: bytes npm kept in its cache',
  packages: packageTable,
  packuments,
  closures,
  stats: { packages: installedSizes.length, p25: quantile(0.25), median: quantile(0.5), p90: quantile(0.9), tarballMedian: quantile(0.5, tarballSizes) },
};
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, gzipSync(JSON.stringify(pack), { level: 9 }));
console.log(`wrote ${path.relative(root, out)}: ${installedSizes.length} package versions, ${Object.keys(closures).length} closures, ${Object.keys(packuments).length} packuments`);
if (!keep) rmSync(work, { recursive: true, force: true });
else console.log(`kept ${work}`);
