// Regenerates server/data/base-images.json from docker-library repo-info facts in ../shared/data
// (or a folder given as the first argument): base image sizes, their OS, and known package lists.
//   node scripts/gen-base-images.mjs [SHARED_DATA_DIR]
import { readFileSync, writeFileSync, readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const shared = path.resolve(process.argv[2] ?? path.join(root, '..', 'shared', 'data'));
if (!existsSync(path.join(shared, 'base-images.json'))) {
  console.error(`gen-base-images: ${shared}/base-images.json not found (pass the shared data folder as the first argument)`);
  process.exit(2);
}
const source = JSON.parse(readFileSync(path.join(shared, 'base-images.json'), 'utf8'));

const images = source.images.map((entry) => ({
  repository: entry.image,
  tag: entry.tag,
  resolvedTag: entry.resolvedTag,
  os: entry.os,
  osRelease: entry.osRelease,
  // repo-info prints rounded decimal megabytes ("~ 74.83 Mb"); the data keeps bytes.
  bytes: Math.round(entry.virtualSizeMB * 1e6),
  sizeText: entry.virtualSizeRaw,
  created: entry.created,
  sourcePath: entry.sourcePath,
  sourceCommit: entry.sourceCommit,
}));

const packageLists = {};
const packagesDir = path.join(shared, 'base-packages');
for (const file of existsSync(packagesDir) ? readdirSync(packagesDir) : []) {
  const match = /^(.+?)_(.+)\.txt$/.exec(file);
  if (!match) continue;
  packageLists[`${match[1]}:${match[2]}`] = readFileSync(path.join(packagesDir, file), 'utf8').split(/\r?\n/).map((l) => l.trim()).filter(Boolean).sort();
}

const out = {
  format: 1,
  source: source.source,
  retrieved: source.retrieved,
  generated: 'scripts/gen-base-images.mjs',
  notes: 'bytes = uncompressed on-disk size (repo-info "Virtual Size", rounded to the MB precision repo-info prints). packageLists = Debian packages installed in that image.',
  images,
  packageLists,
};
const target = path.join(root, 'server', 'data', 'base-images.json');
writeFileSync(target, JSON.stringify(out, null, 1) + '\n');
console.log(`gen-base-images: ${images.length} images, ${Object.keys(packageLists).length} package lists -> ${path.relative(root, target)}`);
