// Regenerates server/data/base-images.json from the shared docker-library repo-info facts: base image sizes,
// the OS and release each is built on, and the Debian package lists known for some bases.
//   node scripts/gen-base-images.mjs [SHARED_DATA_DIR]     (default: ../shared/data, then /work/shared/data)
import { readFileSync, writeFileSync, readdirSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const candidates = process.argv[2] ? [path.resolve(process.argv[2])] : [path.join(root, '..', 'shared', 'data'), '/work/shared/data'];
const shared = candidates.find((dir) => existsSync(path.join(dir, 'base-images.json')));
if (!shared) {
  console.error(`gen-base-images: base-images.json not found in ${candidates.join(' or ')} (pass the shared data folder as the first argument)`);
  process.exit(2);
}
const source = JSON.parse(readFileSync(path.join(shared, 'base-images.json'), 'utf8'));

// scratch has no entry: it is empty by definition, the engine knows that without data.
const images = source.images.filter((entry) => entry.image !== 'scratch').map((entry) => {
  if (typeof entry.virtualSizeMB !== 'number') throw new Error(`gen-base-images: ${entry.image}:${entry.tag} has no virtualSizeMB`);
  // "node:22.23.1-bookworm (file heading: node:22)": the reference, then what the source file said about it.
  const [, resolvedTag, resolvedNote] = /^(\S+)(?:\s+\((.*)\))?$/.exec(entry.resolvedTag) ?? [null, entry.resolvedTag, undefined];
  return {
    repository: entry.image,
    tag: entry.tag,
    resolvedTag,
    ...(resolvedNote ? { resolvedNote } : {}),
    os: entry.os,
    osRelease: entry.osRelease ?? null,
    arch: entry.arch,
    // repo-info prints rounded decimal megabytes ("~ 74.83 Mb", "~ 1.02 Gb"); bytes keep that precision.
    bytes: Math.round(entry.virtualSizeMB * 1e6),
    sizeText: entry.virtualSizeRaw,
    created: entry.created,
    sourcePath: entry.sourcePath,
    sourceCommit: entry.sourceCommit,
  };
});

const packageLists = {};
const packageListSources = {};
for (const list of source.packageLists ?? []) {
  const file = path.join(shared, list.file);
  if (!existsSync(file)) throw new Error(`gen-base-images: ${file} is listed but missing`);
  const packages = [...new Set(readFileSync(file, 'utf8').split(/\r?\n/).map((l) => l.trim()).filter(Boolean))].sort();
  if (list.count && packages.length !== list.count) throw new Error(`gen-base-images: ${list.file} has ${packages.length} packages, the index says ${list.count}`);
  packageLists[`${list.image}:${list.tag}`] = packages;
  packageListSources[`${list.image}:${list.tag}`] = { sourcePath: list.sourcePath, sourceCommit: list.sourceCommit };
}

const out = {
  format: 1,
  source: source.source,
  retrieved: source.retrieved,
  generated: new Date().toISOString().slice(0, 10),
  generator: 'scripts/gen-base-images.mjs',
  notes: [
    'bytes: uncompressed on-disk size (repo-info "Virtual Size", amd64), at the precision repo-info prints (MB rounded; Gb values to 3 significant digits).',
    'packageLists: the Debian binary packages installed in that exact image (dpkg section of repo-info).',
  ],
  missing: source.missing ?? [],
  images,
  packageLists,
  packageListSources,
};
const target = path.join(root, 'server', 'data', 'base-images.json');
mkdirSync(path.dirname(target), { recursive: true });
writeFileSync(target, JSON.stringify(out, null, 1) + '\n');
console.log(`gen-base-images: ${images.length} images, ${Object.keys(packageLists).length} package lists from ${shared} -> ${path.relative(root, target)}`);
