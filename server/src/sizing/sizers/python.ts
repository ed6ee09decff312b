/**
 * pip, `uv pip` and `uv sync` installs (poetry installs are named, not sized: poetry.lock has no sizes).
 *   - local folders (`pip install .`, `pip install /src/pkg`): the folder as an earlier layer wrote it, plus
 *     the copy setuptools leaves in its in-tree `build/` folder; local wheel files: their bytes × the
 *     measured installed/wheel ratio;
 *   - named requirements (command line or `-r requirements.txt` read from the build context): the wheel pack
 *     (server/data/python-wheels.json, every size cited) × the ratio measured on the same library; a name
 *     the pack does not know leaves the layer unknown;
 *   - `uv sync`: the wheel sizes uv itself records in uv.lock.
 * The download cache pip keeps (~/.cache/pip: the wheels as downloaded) is the part 'pip cache', unless
 * --no-cache-dir, PIP_NO_CACHE_DIR, a cache mount or a cleanup in the same RUN drops it.
 */
import type { ShellCommand } from '../../shell/types';
import type { Figure, Confidence } from '../figure';
import type { CommandSizer, LayerPart, RunSizingContext } from './types';
import { flagValue, hasFlag } from '../../shell/package-managers';
import { cacheDiscarded, envIsTruthy, hasCacheMount, removedLater, resolvePath, type ToolCache } from '../../rules/lib/queries';
import { commandFolder, copiedProjectFile, factsOf } from './project-files';
import { normalizeName, ratioFor, wheelFor, type PythonWheelData, type WheelEntry } from './python-wheels';
import { describeCommand } from './describe';

const pipCache: ToolCache = {
  defaultPaths: ['~/.cache/pip'],
  options: ['--cache-dir'],
  env: ['PIP_CACHE_DIR'],
  cleans: (c) => c.packageOp?.manager === 'pip' && c.packageOp.verb === 'cache-clean',
};

const uvCachePaths = ['~/.cache/uv'];

const requirementOptions = new Set(['-r', '--requirement']);
const maxRequirementsBytes = 1_000_000;
const maxUvLockBytes = 20_000_000;

export const pythonSizer: CommandSizer = {
  name: 'python packages',
  claims(command) {
    const op = command.packageOp;
    if (op?.manager !== 'pip' && op?.manager !== 'uv' && op?.manager !== 'poetry') return false;
    return op.verb === 'install' || op.verb === 'cache-clean' || op.verb === 'remove';
  },
  size(claimed, context) {
    const data = context.env.data?.pythonWheels?.() ?? null;
    const parts: LayerPart[] = [];
    const unsized: string[] = [];
    const notes: string[] = [];
    let cap: Confidence | undefined;
    for (const command of claimed) {
      const op = command.packageOp;
      if (op?.verb !== 'install') continue;
      const result = op.manager === 'poetry'
        ? { unsized: `${describeCommand(command)} (poetry.lock records no sizes)` }
        : op.manager === 'uv' && command.argv[1]?.value === 'sync'
          ? sizeUvSync(command, context, data)
          : sizePipInstall(command, context, data);
      if ('unsized' in result) { unsized.push(result.unsized); continue; }
      parts.push(...result.parts);
      notes.push(...result.notes);
      if (result.cap) cap = result.cap;
    }
    return { parts: mergeParts(parts), unsized, notes: [...new Set(notes)], confidenceCap: cap };
  },
};

interface Sized { parts: LayerPart[]; notes: string[]; cap?: Confidence }

function sizePipInstall(command: ShellCommand, context: RunSizingContext, data: PythonWheelData | null): Sized | { unsized: string } {
  const what = describeCommand(command);
  if (command.argv.some((w) => w.value === 'download')) return { unsized: `${what} (pip download)` };
  const folder = commandFolder(context.model, context.instruction, context.commands, command, []);
  const noIndex = hasFlag(command, '--no-index');
  const editable = new Set<string>();
  const requirements: string[] = [];
  const locals: string[] = [];
  const argv = command.argv;
  for (let i = 1; i < argv.length; i++) {
    const word = argv[i];
    if (requirementOptions.has(word.value)) {
      const file = argv[i + 1];
      if (!file || file.dynamic) return { unsized: `${what} (requirements file named by a variable)` };
      const read = readRequirements(context, resolvePath(folder, file.value));
      if (read === null) return { unsized: `${what} (${file.value} is not in the build context as copied before this RUN)` };
      requirements.push(...read);
      i++;
    } else if (word.value.startsWith('--requirement=')) {
      const read = readRequirements(context, resolvePath(folder, word.value.slice('--requirement='.length)));
      if (read === null) return { unsized: `${what} (${word.value} is not in the build context as copied before this RUN)` };
      requirements.push(...read);
    } else if (word.value === '-e' || word.value === '--editable') {
      const target = argv[i + 1];
      if (target) { editable.add(target.value); locals.push(target.value); }
      i++;
    }
  }
  for (const word of command.packageOp?.packages ?? []) {
    if (word.dynamic) return { unsized: `${what} (packages named by variables)` };
    if (editable.has(word.value)) continue;
    if (isLocal(word.value)) locals.push(word.value);
    else requirements.push(word.value);
  }
  if (requirements.length === 0 && locals.length === 0) return { parts: [], notes: [] };

  const parts: LayerPart[] = [];
  const notes: string[] = [];
  let cap: Confidence | undefined;
  for (const local of locals) {
    const sized = sizeLocal(local, folder, editable.has(local), context, data);
    if ('unsized' in sized) return { unsized: `${what} (${sized.unsized})` };
    parts.push(...sized.parts);
    notes.push(...sized.notes);
    if (!noIndex && !editable.has(local)) { notes.push('dependencies a local package declares are not counted'); cap = 'low'; }
  }
  const downloaded: number[] = [];
  if (requirements.length > 0) {
    if (!data) return { unsized: `${what} (the Python wheel data is not loaded)` };
    const resolved = resolveRequirements(requirements, data);
    if ('unsized' in resolved) return { unsized: `${what} (${resolved.unsized})` };
    for (const { entry, exact } of resolved.wheels) {
      const ratio = ratioFor(data, entry.ratioSample);
      const installed = entry.installedBytes ?? Math.round(entry.bytes * ratio.ratio);
      parts.push({
        label: 'python packages',
        figure: {
          bytes: installed,
          ...(entry.installedBytes ? {} : { low: Math.round(entry.bytes * ratio.low), high: Math.round(entry.bytes * ratio.high) }),
          source: 'known-package', confidence: 'low',
          note: `${entry.name} ${entry.version}${exact ? '' : ' (version not pinned, or not the one listed)'}: wheel ${entry.file}, ${entry.bytes} bytes (${entry.source}); ${entry.installedBytes ? 'installed size measured' : ratio.basis}`,
        },
      });
      downloaded.push(entry.bytes);
    }
  }
  if (downloaded.length > 0 && !pipCacheDisabled(command, context)) {
    const bytes = downloaded.reduce((a, b) => a + b, 0);
    parts.push({
      label: command.packageOp?.manager === 'uv' ? 'uv cache' : 'pip cache',
      figure: { bytes, source: 'known-package', confidence: 'low', note: `the downloaded wheels (${downloaded.length}), which pip keeps in its cache` },
    });
  }
  return { parts, notes, cap };
}

/** A local folder or wheel file: sized from the layer that wrote it (or the context it was copied from). */
function sizeLocal(target: string, folder: string, editable: boolean, context: RunSizingContext, data: PythonWheelData | null): Sized | { unsized: string } {
  const absolute = resolvePath(folder, target.replace(/\[.*$/, ''));
  const writer = context.earlierWriter(target) ?? context.earlierWriter(absolute) ?? context.earlierWriter(`${absolute}/`);
  if (!writer) return { unsized: `no earlier layer of this stage wrote ${target}` };
  if (!writer.figure) return { unsized: `${target} comes from line ${writer.line + 1}, whose size is unknown` };
  const bytes = writer.figure.bytes;
  if (target.endsWith('.whl')) {
    if (!data) return { unsized: 'the Python wheel data is not loaded' };
    const ratio = ratioFor(data, undefined);
    return {
      parts: [{ label: 'python packages', figure: { bytes: Math.round(bytes * ratio.ratio), low: Math.round(bytes * ratio.low), high: Math.round(bytes * ratio.high), source: 'derived', confidence: 'low', note: `${target} (${bytes} bytes, line ${writer.line + 1}) × the ${ratio.basis}` } }],
      notes: [],
    };
  }
  if (editable) {
    return { parts: [], notes: [`${target} installed in editable mode: its files stay where line ${writer.line + 1} put them`] };
  }
  // pip builds a local folder in place: setuptools copies the package into <folder>/build/lib, then pip
  // installs the wheel it made, so the package lands twice in this layer.
  return {
    parts: [
      { label: 'local package', figure: { bytes, source: 'derived', confidence: 'low', note: `${target} as written by line ${writer.line + 1}, installed into site-packages` } },
      { label: 'build folder', figure: { bytes, low: 0, source: 'derived', confidence: 'low', note: `setuptools' in-tree build copy (${target}/build)` } },
    ],
    notes: [],
  };
}

/** Requirement specs → wheels, with the dependencies the pack records; a name without data stops it. */
function resolveRequirements(specs: string[], data: PythonWheelData): { wheels: { entry: WheelEntry; exact: boolean }[] } | { unsized: string } {
  const wheels = new Map<string, { entry: WheelEntry; exact: boolean }>();
  const queue = specs.map(parseSpec);
  while (queue.length > 0) {
    const spec = queue.shift() as { name: string; version: string | null; local: boolean };
    const key = normalizeName(spec.name);
    if (wheels.has(key)) continue;
    if (spec.local) return { unsized: `${spec.name} with a local version label (e.g. +cpu) has no size data` };
    const found = wheelFor(data, spec.name, spec.version);
    if (!found) return { unsized: `pip package ${spec.name}: no wheel size data` };
    if (found.entry.pullsUnsized) return { unsized: `${found.entry.name} (its wheel is ${Math.round(found.entry.bytes / 1e6)} MB) pulls ${found.entry.pullsUnsized}, which have no size data` };
    wheels.set(key, found);
    for (const dependency of found.entry.requires) queue.push({ name: dependency, version: null, local: false });
  }
  return { wheels: [...wheels.values()] };
}

/** `numpy==1.26.4`, `pandas>=2`, `requests[socks]`, `torch==2.5.1+cpu ; python_version>"3"`. */
function parseSpec(spec: string): { name: string; version: string | null; local: boolean } {
  const withoutMarker = spec.split(';')[0].trim();
  let end = 0;
  while (end < withoutMarker.length && /[A-Za-z0-9._-]/.test(withoutMarker[end])) end++;
  const name = withoutMarker.slice(0, end);
  const rest = withoutMarker.slice(end).replace(/^\[[^\]]*\]/, '').trim();
  const pinned = rest.startsWith('==') ? rest.slice(2).trim() : null;
  return { name, version: pinned ? pinned.split('+')[0] : null, local: pinned?.includes('+') ?? false };
}

function isLocal(value: string): boolean {
  return value.startsWith('.') || value.startsWith('/') || value.startsWith('~') || value.endsWith('.whl') || value.endsWith('.tar.gz') || value.endsWith('.zip') || value.includes('://') || value.startsWith('git+');
}

/** Requirement lines of a file a COPY brought in (nested -r/-c files and options are skipped). */
function readRequirements(context: RunSizingContext, imagePath: string): string[] | null {
  const buildContext = context.env.context;
  if (!buildContext) return null;
  const slash = imagePath.lastIndexOf('/');
  const dir = slash <= 0 ? '/' : imagePath.slice(0, slash);
  const file = copiedProjectFile(context.model, context.stage, context.instruction, dir, imagePath.slice(slash + 1), (p) => buildContext.exists(p));
  const text = file ? buildContext.readText(file.contextPath, maxRequirementsBytes) : null;
  if (text === null) return null;
  const specs: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.split(' #')[0].trim();
    if (line === '' || line.startsWith('#') || line.startsWith('-')) continue;
    specs.push(line);
  }
  return specs;
}

function pipCacheDisabled(command: ShellCommand, context: RunSizingContext): boolean {
  if (hasFlag(command, '--no-cache-dir', '--no-cache')) return true;
  const env = factsOf(context.model).environmentAt(context.instruction);
  const value = [...env].find(([key]) => key.toUpperCase() === (command.packageOp?.manager === 'uv' ? 'UV_NO_CACHE' : 'PIP_NO_CACHE_DIR'))?.[1];
  // pip reads PIP_NO_CACHE_DIR=off/false/0 as "no cache" too (a historical quirk the pip-no-cache rule follows).
  if (value !== undefined && (envIsTruthy(env, command.packageOp?.manager === 'uv' ? 'UV_NO_CACHE' : 'PIP_NO_CACHE_DIR') || /^(off|false|0)$/i.test(value.trim()))) return true;
  if (command.packageOp?.manager === 'uv') {
    const dir = flagValue(command, '--cache-dir');
    return uvCachePaths.concat(dir ? [dir] : []).some((p) => hasCacheMount(context.instruction, p) || removedLater(context.commands, command.index, p));
  }
  return cacheDiscarded(context.instruction, command, pipCache, env);
}

/** `uv sync` from a uv.lock copied into the project folder: the lockfile lists every wheel's size. */
function sizeUvSync(command: ShellCommand, context: RunSizingContext, data: PythonWheelData | null): Sized | { unsized: string } {
  const what = describeCommand(command);
  const buildContext = context.env.context;
  if (!buildContext) return { unsized: `${what} (needs the build context to read uv.lock)` };
  const folder = commandFolder(context.model, context.instruction, context.commands, command, ['--directory', '--project']);
  const file = copiedProjectFile(context.model, context.stage, context.instruction, folder, 'uv.lock', (p) => buildContext.exists(p));
  const text = file ? buildContext.readText(file.contextPath, maxUvLockBytes) : null;
  if (text === null) return { unsized: `${what} (no uv.lock copied into ${folder} before this RUN)` };
  if (!data) return { unsized: `${what} (the Python wheel data is not loaded)` };
  const packages = parseUvLock(text);
  const ratio = ratioFor(data, undefined);
  let wheelBytes = 0;
  let missing = 0;
  for (const pkg of packages) {
    if (pkg.wheelBytes === null) missing++;
    else wheelBytes += pkg.wheelBytes;
  }
  if (missing > 0) return { unsized: `${what} (${missing} package(s) in uv.lock without a Linux x86_64 wheel size)` };
  const parts: LayerPart[] = [{
    label: 'python packages',
    figure: {
      bytes: Math.round(wheelBytes * ratio.ratio), low: Math.round(wheelBytes * ratio.low), high: Math.round(wheelBytes * ratio.high),
      source: 'known-package', confidence: 'low',
      note: `${packages.length} wheel(s) of ${wheelBytes} bytes as uv.lock records them × the ${ratio.basis}`,
    },
  }];
  const notes = hasFlag(command, '--no-dev') ? [] : ['dev dependency groups in uv.lock are counted'];
  if (!pipCacheDisabled(command, context)) notes.push("uv's cache hard-links into the environment: not counted");
  return { parts, notes, cap: 'low' };
}

/** Registry packages of a uv.lock and the size of the Linux x86_64 wheel each would install (median if several). */
export function parseUvLock(text: string): { name: string; version: string; wheelBytes: number | null }[] {
  const packages: { name: string; version: string; wheelBytes: number | null; registry: boolean; sizes: number[]; universal: number[] }[] = [];
  let current: (typeof packages)[number] | null = null;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '[[package]]') { current = { name: '', version: '', wheelBytes: null, registry: false, sizes: [], universal: [] }; packages.push(current); continue; }
    if (line.startsWith('[') && !line.startsWith('[[package]]')) { if (line !== '[package.metadata]' && !line.startsWith('[package.')) current = null; continue; }
    if (!current) continue;
    if (line.startsWith('name = ')) current.name = unquoteToml(line.slice(7));
    else if (line.startsWith('version = ')) current.version = unquoteToml(line.slice(10));
    else if (line.startsWith('source = ')) current.registry = line.includes('registry');
    else if (line.startsWith('{ url = ') || line.startsWith('{url = ')) {
      const url = line.slice(line.indexOf('"') + 1, line.indexOf('"', line.indexOf('"') + 1));
      const sizeAt = line.indexOf('size = ');
      if (!url.endsWith('.whl') || sizeAt < 0) continue;
      const size = parseInt(line.slice(sizeAt + 7), 10);
      if (!Number.isFinite(size)) continue;
      const fileName = url.slice(url.lastIndexOf('/') + 1);
      if (fileName.includes('x86_64') && fileName.includes('linux') && !fileName.includes('musllinux')) current.sizes.push(size);
      else if (fileName.endsWith('-none-any.whl')) current.universal.push(size);
    }
  }
  return packages.filter((p) => p.registry && p.name).map((p) => {
    const sizes = (p.sizes.length ? p.sizes : p.universal).sort((a, b) => a - b);
    return { name: p.name, version: p.version, wheelBytes: sizes.length ? sizes[Math.floor((sizes.length - 1) / 2)] : null };
  });
}

function unquoteToml(value: string): string {
  const v = value.trim();
  return v.startsWith('"') && v.endsWith('"') ? v.slice(1, -1) : v;
}

function mergeParts(parts: LayerPart[]): LayerPart[] {
  const byLabel = new Map<string, Figure[]>();
  for (const part of parts) byLabel.set(part.label, [...(byLabel.get(part.label) ?? []), part.figure]);
  return [...byLabel].map(([label, figures]) => ({
    label,
    figure: figures.length === 1 ? figures[0] : {
      bytes: figures.reduce((s, f) => s + f.bytes, 0),
      low: figures.reduce((s, f) => s + (f.low ?? f.bytes), 0),
      high: figures.reduce((s, f) => s + (f.high ?? f.bytes), 0),
      source: new Set(figures.map((f) => f.source)).size === 1 ? figures[0].source : 'derived',
      confidence: figures.some((f) => f.confidence === 'low') ? 'low' : figures[0].confidence,
      note: figures.map((f) => f.note).filter(Boolean).join('; '),
    },
  }));
}
