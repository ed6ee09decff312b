/**
 * npm, yarn and pnpm installs. What the install writes is taken, in this order, from:
 *   1. the workspace's own node_modules next to the lockfile (measured on disk: what a local install made),
 *   2. the lockfile the RUN's COPYs brought in, each package@version sized from the npm data pack,
 *   3. package.json alone, or packages named on the command line, through the pack's resolved closures.
 * Locked packages the pack does not know are a separate, labelled heuristic part; a dependency whose
 * closure is unknown leaves the layer unknown. The download cache each tool leaves (npm cache, yarn cache,
 * pnpm store) is its own part, so the cache rules can quote it, unless the same RUN empties it or it sits
 * on a cache mount. devDependencies installed without --omit=dev are their own part ('dev dependencies').
 */
import type { ShellCommand } from '../../shell/types';
import type { Figure, Confidence } from '../figure';
import type { CommandSizer, LayerPart, RunSizingContext, SizerResult } from './types';
import { flagValue, hasFlag } from '../../shell/package-managers';
import { cacheDiscarded, type ToolCache } from '../../rules/lib/queries';
import { commandFolder, copiedProjectFile, factsOf } from './project-files';
import { lockfileNames, parseLockfile, parseManifest, specName, type LockedPackage, type Lockfile, type Manifest } from './node-lockfiles';
import { closureFor, packageSize, type NpmPackData } from './node-packages';
import { describeCommand } from './describe';

type NodeManager = 'npm' | 'yarn' | 'pnpm';

/** Bigger lockfiles are not read (the largest real ones are a few MB). */
const maxLockfileBytes = 20_000_000;

/**
 * yarn 1 keeps, per package, its unpacked files, the tarball and a .yarn-metadata.json. Measured: yarn
 * 1.22.19 installing express 4.21.2 + lodash 4.17.21 (73 packages) wrote 608,782 bytes of metadata files,
 * 8,340 bytes per package.
 */
const yarnMetadataBytesPerPackage = 8_340;

/**
 * pnpm hard-links the files of its store into node_modules, so in one layer the store adds only what is not
 * linked (its index files and a few copies). Measured once: pnpm 9.15.9 installing express 4.21.2 + lodash
 * 4.17.21 with the store on the same file system left 1,364,107 bytes in the store beyond node_modules, for
 * packages npm installs in 4,249,267 bytes: 0.32 of the installed size. One measurement: a heuristic.
 */
const pnpmStoreShareOfInstalled = 1_364_107 / 4_249_267;

/** Where each tool keeps its cache, and what empties it (mirrors the cache rules). */
const caches: Record<NodeManager, { label: string; cache: ToolCache }> = {
  npm: {
    label: 'npm cache',
    cache: { defaultPaths: ['~/.npm/_cacache'], options: ['--cache'], env: ['npm_config_cache'], cleans: (c) => c.packageOp?.manager === 'npm' && c.packageOp.verb === 'cache-clean' },
  },
  yarn: {
    label: 'yarn cache',
    cache: { defaultPaths: ['/usr/local/share/.cache/yarn', '~/.cache/yarn'], options: ['--cache-folder'], env: ['YARN_CACHE_FOLDER'], cleans: (c) => c.packageOp?.manager === 'yarn' && c.packageOp.verb === 'cache-clean' },
  },
  pnpm: {
    label: 'pnpm store',
    cache: { defaultPaths: ['~/.local/share/pnpm/store', '~/.cache/pnpm'], options: ['--store-dir'], env: ['npm_config_store_dir'], cleans: (c) => c.packageOp?.manager === 'pnpm' && c.packageOp.verb === 'cache-clean' },
  },
};

const folderOptions: Record<NodeManager, string[]> = { npm: ['--prefix'], yarn: ['--cwd'], pnpm: ['--dir', '-C'] };

/** Commands of these tools that only touch configuration or an empty cache: a few bytes. */
const quietVerbs = new Set(['config', 'set', 'get', 'cache', 'store', 'prune', 'version', '--version', '-v']);

export const nodeSizer: CommandSizer = {
  name: 'node packages',
  claims(command) {
    const op = command.packageOp;
    if (op?.manager !== 'npm' && op?.manager !== 'yarn' && op?.manager !== 'pnpm') return false;
    if (op.verb === 'install' || op.verb === 'cache-clean') return true;
    const verb = command.argv.find((w, i) => i > 0 && !w.value.startsWith('-'))?.value ?? command.argv[1]?.value ?? '';
    return quietVerbs.has(verb);
  },
  size(claimed, context) {
    const data = context.env.data?.npmPackages?.() ?? null;
    const totals = new Map<string, Figure[]>();
    const unsized: string[] = [];
    const notes: string[] = [];
    let cap: Confidence | undefined;
    for (const command of claimed) {
      if (command.packageOp?.verb !== 'install') continue;
      const sized = sizeInstall(command, context, data);
      if ('unsized' in sized) { unsized.push(sized.unsized); continue; }
      for (const part of sized.parts) totals.set(part.label, [...(totals.get(part.label) ?? []), part.figure]);
      notes.push(...sized.notes);
      if (sized.cap) cap = sized.cap;
    }
    const parts: LayerPart[] = [...totals].map(([label, figures]) => ({ label, figure: figures.length === 1 ? figures[0] : merge(figures) }));
    return { parts, unsized, notes: [...new Set(notes)], confidenceCap: cap } satisfies SizerResult;
  },
};

interface SizedInstall { parts: LayerPart[]; notes: string[]; cap?: Confidence }

function sizeInstall(command: ShellCommand, context: RunSizingContext, data: NpmPackData | null): SizedInstall | { unsized: string } {
  const manager = command.packageOp?.manager as NodeManager;
  const what = describeCommand(command);
  if (!data) return { unsized: `${what} (the npm data pack is not loaded)` };
  const env = factsOf(context.model).environmentAt(context.instruction);
  const omitDev = omitsDev(command, manager, env, context.commands);
  const global = manager === 'npm' ? hasFlag(command, '-g', '--global') : manager === 'yarn' ? command.argv[1]?.value === 'global' : hasFlag(command, '-g', '--global');
  const named = (command.packageOp?.packages ?? []).filter((w) => w.value !== 'global');
  if (named.some((w) => w.dynamic)) return { unsized: `${what} (packages named by variables)` };
  const buildContext = context.env.context;
  const folder = commandFolder(context.model, context.instruction, context.commands, command, folderOptions[manager]);
  const project = global ? null : findProject(context, folder, manager);

  const installed: Sized[] = [];
  const notes: string[] = [];
  let cap: Confidence | undefined;
  let needsMetadata = false;
  let measured: Figure | null = null;
  let devMeasured: Figure | null = null;

  if (named.length > 0) {
    needsMetadata = true;
    for (const word of named) {
      const spec = word.value;
      if (/^(\.|\/|file:|git|https?:|github:)/.test(spec)) return { unsized: `${what} (installs ${spec}, not a registry package)` };
      const name = specName(spec);
      const closure = closureFor(data, name, spec.length > name.length ? spec.slice(name.length + 1) : null);
      if (!closure) return { unsized: `${manager} package ${spec} (not in the npm size data)` };
      for (const item of closure.packages) installed.push(sizedFromPack(data, item, false));
    }
  }
  if (!buildContext && !global && named.length === 0) return { unsized: `${what} (needs the build context to read package.json and the lockfile)` };
  if (project && buildContext) {
    const lock = project.lockfile;
    const modules = buildContext.filesUnder(project.folder === '' ? 'node_modules' : `${project.folder}/node_modules`);
    if (modules && modules.files.length > 0 && named.length === 0) {
      const split = splitMeasured(modules.files, lock);
      const prodBytes = split.total - split.dev;
      const figure = (bytes: number, label: string): Figure => ({
        bytes, source: 'measured', confidence: modules.truncated ? 'low' : 'medium',
        note: `${label}: the workspace's own node_modules (${project.folder || '.'}), measured${modules.truncated ? ' (walk cut short: a lower bound)' : ''}: a local install stands in for the one in the image`,
      });
      measured = figure(prodBytes, 'node_modules');
      if (!omitDev && split.dev > 0) devMeasured = figure(split.dev, 'devDependencies');
      if (omitDev && !lock?.knowsDev) notes.push('the measured node_modules may include devDependencies');
    }
    if (lock) {
      for (const pkg of lock.packages) {
        if (omitDev && lock.knowsDev && pkg.dev) continue;
        installed.push({ ...sizedFromPack(data, `${pkg.name}@${pkg.version}`, !omitDev && pkg.dev && lock.knowsDev), installScript: pkg.installScript });
      }
      if (omitDev && !lock.knowsDev) { notes.push(`${project.lockfileName} does not mark devDependencies: counted all packages`); cap = 'low'; }
    } else if (project.manifest) {
      needsMetadata = true;
      const wanted = { ...project.manifest.dependencies, ...project.manifest.optionalDependencies, ...(omitDev ? {} : project.manifest.devDependencies) };
      for (const [name, range] of Object.entries(wanted)) {
        const closure = closureFor(data, name, range);
        if (!closure) return { unsized: `${manager} dependency ${name}@${range} of ${project.manifestPath} (no lockfile, and not in the npm size data)` };
        const dev = !omitDev && name in project.manifest.devDependencies && !(name in project.manifest.dependencies);
        for (const item of closure.packages) installed.push(sizedFromPack(data, item, dev));
      }
      notes.push(`no lockfile: versions as npm resolved them on ${data.generatedAt}`);
    } else if (named.length === 0) {
      return { unsized: `${what} (no package.json copied into ${folder} before this RUN)` };
    }
  } else if (named.length === 0) {
    return { unsized: `${what} (no package.json copied into ${folder} before this RUN)` };
  }

  // One copy of each package@version (closures of several named packages overlap).
  const seen = new Set<string>();
  const unique = installed.filter((s) => {
    const key = `${s.key}${s.dev ? ' dev' : ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const parts: LayerPart[] = [];
  const label = global ? 'global packages' : 'node_modules';
  if (measured) {
    parts.push({ label, figure: measured });
    if (devMeasured) parts.push({ label: 'dev dependencies', figure: devMeasured });
  } else {
    parts.push(...packageParts(unique.filter((s) => !s.dev), label, data));
    parts.push(...packageParts(unique.filter((s) => s.dev), 'dev dependencies', data));
  }
  const scripts = unique.filter((s) => s.installScript).length;
  if (scripts > 0) { notes.push(`${scripts} package(s) run install scripts: what they build or download is not counted`); cap = 'low'; }
  const near = unique.filter((s) => s.size && !s.size.exact).length;
  if (near > 0) notes.push(`${near} package(s) sized from a neighbouring version`);

  const cache = caches[manager];
  if (!cacheDiscarded(context.instruction, command, cache.cache, env)) {
    const figure = cacheFigure(manager, unique, needsMetadata, data);
    if (figure) parts.push({ label: cache.label, figure });
  }
  return { parts, notes, cap };
}

interface Sized {
  key: string;
  name: string;
  size: ReturnType<typeof packageSize>;
  dev: boolean;
  installScript?: boolean;
}

function sizedFromPack(data: NpmPackData, nameAtVersion: string, dev: boolean): Sized {
  const at = nameAtVersion.lastIndexOf('@');
  const name = nameAtVersion.slice(0, at);
  const version = nameAtVersion.slice(at + 1);
  return { key: nameAtVersion, name, size: packageSize(data, name, version), dev };
}

/** Known packages as one part, unknown ones as a labelled heuristic part beside it. */
function packageParts(items: Sized[], label: string, data: NpmPackData): LayerPart[] {
  if (items.length === 0) return [];
  const known = items.filter((s) => s.size);
  const unknown = items.length - known.length;
  const parts: LayerPart[] = [];
  if (known.length > 0) {
    const exact = known.every((s) => s.size?.exact);
    parts.push({
      label,
      figure: {
        bytes: known.reduce((sum, s) => sum + (s.size?.installed ?? 0), 0),
        source: 'known-package',
        confidence: exact ? 'medium' : 'low',
        note: `${known.length} package(s) at sizes measured after npm install (npm data pack, ${data.generatedAt})`,
      },
    });
  }
  if (unknown > 0) {
    parts.push({
      label: `${label} without size data`,
      figure: {
        bytes: unknown * data.stats.median, low: unknown * data.stats.p25, high: unknown * data.stats.p90,
        source: 'heuristic', confidence: 'low',
        note: `heuristic: ${unknown} package(s) not in the npm data pack × the median installed package (${Math.round(data.stats.median / 1000)} kB)`,
      },
    });
  }
  return parts;
}

/**
 * npm's cache holds each tarball (and, when no lockfile pins versions, each package's metadata document);
 * yarn 1's holds the unpacked files, the tarball and a metadata file per package.
 */
function cacheFigure(manager: NodeManager, items: Sized[], needsMetadata: boolean, data: NpmPackData): Figure | null {
  if (manager === 'pnpm') {
    const known = items.filter((s) => s.size);
    if (known.length === 0) return null;
    const installed = known.reduce((sum, s) => sum + (s.size?.installed ?? 0), 0);
    return {
      bytes: Math.round(installed * pnpmStoreShareOfInstalled), low: 0, source: 'heuristic', confidence: 'low',
      note: `heuristic: what pnpm's store keeps beyond the files it hard-links into node_modules, 0.32 × the installed size (one measured install)`,
    };
  }
  const names = new Set<string>();
  let bytes = 0;
  let missing = 0;
  for (const item of items) {
    const tarball = item.size?.tarball;
    if (tarball === null || tarball === undefined) { missing++; continue; }
    bytes += tarball;
    if (manager === 'yarn') bytes += (item.size?.installed ?? 0) + yarnMetadataBytesPerPackage;
    if (needsMetadata && manager === 'npm' && !names.has(item.name)) {
      names.add(item.name);
      bytes += Object.prototype.hasOwnProperty.call(data.packuments, item.name) ? data.packuments[item.name] : 0;
    }
  }
  if (bytes === 0 && missing === 0) return null;
  const what = manager === 'npm' ? (needsMetadata ? 'tarballs and package metadata' : 'tarballs') : 'unpacked packages, tarballs and metadata';
  return {
    bytes, ...(missing > 0 ? { low: bytes } : {}), source: 'known-package', confidence: missing > 0 ? 'low' : 'medium',
    note: `${what} of ${items.length - missing} package(s) as npm's registry served them${missing ? `; ${missing} without size data not counted` : ''}`,
  };
}

interface Project {
  folder: string;
  manifestPath: string | null;
  manifest: Manifest | null;
  lockfile: Lockfile | null;
  lockfileName: string | null;
}

/** The project files the RUN's folder got from the context: package.json and the tool's lockfile. */
function findProject(context: RunSizingContext, folder: string, manager: NodeManager): Project | null {
  const buildContext = context.env.context;
  const exists = (path: string) => buildContext?.exists(path) ?? false;
  const manifestFile = copiedProjectFile(context.model, context.stage, context.instruction, folder, 'package.json', exists);
  if (!manifestFile) return null;
  const manifestText = buildContext?.readText(manifestFile.contextPath, 2_000_000) ?? null;
  const manifest = manifestText === null ? null : parseManifest(manifestText);
  const contextFolder = manifestFile.contextPath.includes('/') ? manifestFile.contextPath.slice(0, manifestFile.contextPath.lastIndexOf('/')) : '';
  const preferred = manager === 'yarn' ? ['yarn.lock'] : manager === 'pnpm' ? ['pnpm-lock.yaml'] : ['npm-shrinkwrap.json', 'package-lock.json'];
  for (const name of preferred.filter((n) => (lockfileNames as readonly string[]).includes(n))) {
    const file = copiedProjectFile(context.model, context.stage, context.instruction, folder, name, exists);
    if (!file) continue;
    const text = buildContext?.readText(file.contextPath, maxLockfileBytes) ?? null;
    const lockfile = text === null ? null : parseLockfile(name, text, manifest);
    if (lockfile) return { folder: contextFolder, manifestPath: manifestFile.contextPath, manifest, lockfile, lockfileName: name };
  }
  return { folder: contextFolder, manifestPath: manifestFile.contextPath, manifest, lockfile: null, lockfileName: null };
}

/** Bytes of a measured node_modules, and the part of it under packages the lockfile marks dev-only. */
function splitMeasured(files: readonly { path: string; bytes: number }[], lock: Lockfile | null): { total: number; dev: number } {
  const devPaths = new Set(lock?.knowsDev ? lock.packages.filter((p) => p.dev && p.path).map((p) => p.path as string) : []);
  let total = 0;
  let dev = 0;
  for (const file of files) {
    total += file.bytes;
    if (devPaths.size > 0 && devPaths.has(packageKeyOf(file.path))) dev += file.bytes;
  }
  return { total, dev };
}

/** `a/node_modules/@s/b/x.js` (under node_modules) → `node_modules/a/node_modules/@s/b`, the innermost package. */
export function packageKeyOf(path: string): string {
  const segments = path.split('/');
  let key = '';
  let i = 0;
  while (i < segments.length - 1) {
    const scoped = segments[i].startsWith('@');
    const name = scoped ? `${segments[i]}/${segments[i + 1] ?? ''}` : segments[i];
    key = `${key}${key ? '/' : ''}node_modules/${name}`;
    i += scoped ? 2 : 1;
    if (segments[i] !== 'node_modules') break;
    i++;
  }
  return key;
}

function omitsDev(command: ShellCommand, manager: NodeManager, env: ReadonlyMap<string, string>, commands: readonly ShellCommand[]): boolean {
  const get = (name: string) => [...env].find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1]?.trim() ?? '';
  if (get('NODE_ENV') === 'production') return true;
  if (manager === 'npm') {
    const prunedLater = commands.some((c) => c.index > command.index && !c.afterOr && c.name === 'npm' && c.argv.some((w) => w.value === 'prune') && prodOnly(c));
    return prodOnly(command) || get('npm_config_omit') === 'dev' || /^(true|1)$/.test(get('npm_config_production')) || prunedLater;
  }
  if (manager === 'yarn') return hasFlag(command, '--production', '--prod') && flagValue(command, '--production') !== 'false';
  return hasFlag(command, '--prod', '-P', '--production');
}

function prodOnly(command: ShellCommand): boolean {
  const argv = command.argv;
  return argv.some((w, i) => w.value === '--omit=dev' || (w.value === '--omit' && argv[i + 1]?.value === 'dev')
    || w.value === '--production' || w.value === '--production=true' || /^--only=prod(uction)?$/.test(w.value)
    || (w.value === '--only' && /^prod(uction)?$/.test(argv[i + 1]?.value ?? '')));
}

function merge(figures: Figure[]): Figure {
  const bytes = figures.reduce((s, f) => s + f.bytes, 0);
  const low = figures.reduce((s, f) => s + (f.low ?? f.bytes), 0);
  const high = figures.reduce((s, f) => s + (f.high ?? f.bytes), 0);
  const order: Confidence[] = ['low', 'medium', 'high'];
  const confidence = figures.map((f) => f.confidence).reduce((a, b) => (order.indexOf(a) <= order.indexOf(b) ? a : b));
  const sources = new Set(figures.map((f) => f.source));
  return { bytes, ...(low !== bytes ? { low } : {}), ...(high !== bytes ? { high } : {}), source: sources.size === 1 ? figures[0].source : 'derived', confidence, note: figures.map((f) => f.note).filter(Boolean).join('; ') };
}

export type { LockedPackage };
