/**
 * `go build`, `go install` and `go mod download`. Go has no package index we can reach, so these are
 * labelled heuristics resting on builds measured here (./toolchain-measurements.ts) and on Debian's own
 * packaging of Go modules:
 * - the binary: between a fmt hello world and a small net/http server, as measured for the Go version;
 * - the build cache (/root/.cache/go-build, left unless a cache mount holds it or `go clean -cache` / rm
 *   clears it in the same RUN): since Go 1.20 the standard library is compiled into it;
 * - the module cache (GOPATH/pkg/mod) for the modules go.sum lists: Debian's golang-*-dev package of each
 *   module (Debian's version, not necessarily go.sum's) × the ratio measured on a real `go mod download`.
 * What nothing supports stays unknown: sources not from the build context, `go run`, `go generate`.
 */
import type { ShellCommand } from '../../shell/types';
import { flagValue, hasFlag } from '../../shell/package-managers';
import type { Figure } from '../figure';
import { formatBytes } from '../figure';
import type { DebianIndex } from '../debian';
import type { CommandSizer, LayerPart, RunSizingContext, SizerResult } from './types';
import { commandFolder, copiedProjectFile, factsOf } from './project-files';
import { go119, go120, goCompiledBytesPerModule, goModuleCachePerInstalledByte } from './toolchain-measurements';
import { resolvePath } from '../../rules/lib/queries';
import { keptOutOfLayer } from './build-caches';
import { trimTrailingSlashes } from '../../text/paths';

const maxGoSumBytes = 4 * 1024 * 1024;

export const goSizer: CommandSizer = {
  name: 'go',
  claims: (command) => command.packageOp?.manager === 'go',
  size(claimed, context) {
    const parts: LayerPart[] = [];
    const unsized: string[] = [];
    const notes: string[] = [];
    let compiles = false;
    let downloads = false;
    let project: GoProject | null | undefined;
    for (const command of claimed) {
      const verb = goVerb(command);
      if (verb === 'clean' || verb === 'quiet') continue;
      if (verb === 'unknown') { unsized.push(`go ${command.argv[1]?.value ?? ''} (runs code whose output is not known)`.replace('  ', ' ')); continue; }
      if (verb === 'remote-install') { unsized.push(`go install ${command.argv.find((w) => w.value.includes('@'))?.value} (a module from outside the build context)`); continue; }
      project ??= goProjectOf(command, context);
      downloads = true;
      if (verb === 'download') continue;
      compiles = true;
      const binary = binaryOf(command, context);
      if (binary === 'unknown') unsized.push('go build of several packages into a folder (how many binaries is not known)');
      else if (binary) parts.push(binary);
    }
    if (compiles) {
      const cache = buildCachePart(context, project ?? null);
      if (cache) parts.push(cache);
    }
    if (downloads) {
      const modules = moduleCachePart(context, project ?? null);
      if ('unknown' in modules) unsized.push(modules.unknown);
      else if (modules.part) parts.push(modules.part);
      if (!('unknown' in modules) && modules.note) notes.push(modules.note);
    }
    return { parts, unsized, notes, confidenceCap: 'low' } satisfies SizerResult;
  },
};

type GoVerb = 'build' | 'install' | 'download' | 'clean' | 'quiet' | 'remote-install' | 'unknown';

function goVerb(command: ShellCommand): GoVerb {
  const word = command.argv.slice(1).find((w) => !w.value.startsWith('-'))?.value;
  switch (word) {
    case 'build': return 'build';
    case 'install': return command.argv.some((w) => w.value.includes('@')) ? 'remote-install' : 'install';
    case 'mod': {
      const sub = command.argv.slice(2).find((w) => !w.value.startsWith('-'))?.value;
      return sub === 'download' || sub === 'tidy' ? 'download' : sub === 'verify' || sub === 'graph' || sub === 'why' || sub === 'edit' || sub === 'init' ? 'quiet' : 'unknown';
    }
    case 'get': return 'download';
    case 'clean': return 'clean';
    case 'version': case 'env': case 'help': case 'list': case 'vet': case 'fmt': return 'quiet';
    default: return 'unknown';
  }
}

interface GoProject {
  /** Modules whose zips go.sum lists (those with only a /go.mod line are never downloaded whole). */
  modules: string[];
  goSumPath: string | null;
}

/** The go.mod / go.sum that earlier COPYs put in the folder the command runs in; null when none came from the context. */
function goProjectOf(command: ShellCommand, context: RunSizingContext): GoProject | null {
  const buildContext = context.env.context;
  if (!buildContext) return null;
  const folder = commandFolder(context.model, context.instruction, context.commands, command, ['-C']);
  const exists = (p: string) => buildContext.exists(p);
  const goMod = copiedProjectFile(context.model, context.stage, context.instruction, folder, 'go.mod', exists);
  if (!goMod) return null;
  const goSum = copiedProjectFile(context.model, context.stage, context.instruction, folder, 'go.sum', exists);
  if (!goSum) return { modules: [], goSumPath: null };
  const text = buildContext.readText(goSum.contextPath, maxGoSumBytes);
  return text === null ? null : { modules: modulesInGoSum(text), goSumPath: goSum.contextPath };
}

/** Module paths with a zip checksum line (`module version h1:…`), once each. */
export function modulesInGoSum(text: string): string[] {
  const modules = new Set<string>();
  for (const line of text.split('\n')) {
    const [module, version] = line.trim().split(/\s+/);
    if (module && version && !version.endsWith('/go.mod')) modules.add(module);
  }
  return [...modules];
}

function binaryOf(command: ShellCommand, context: RunSizingContext): LayerPart | null | 'unknown' {
  const args = command.argv.slice(2);
  const output = flagValue(command, '-o');
  const packages = args.filter((w, i) => !w.value.startsWith('-') && !(i > 0 && ['-o', '-ldflags', '-gcflags', '-tags', '-C', '-mod', '-p', '-buildmode', '-modfile', '-pkgdir', '-asmflags', '-overlay', '-pgo'].includes(args[i - 1].value)));
  const several = packages.some((p) => p.value.includes('...')) || packages.length > 1;
  const isInstall = command.argv.slice(1).find((w) => !w.value.startsWith('-'))?.value === 'install';
  // `go build ./...` without -o compiles and discards; with -o (or go install) it writes one binary per main package.
  if (several) return output || isInstall ? 'unknown' : null;
  const facts = factsOf(context.model);
  const dir = commandFolder(context.model, context.instruction, context.commands, command, ['-C']);
  const env = facts.environmentAt(context.instruction);
  const gopath = env.get('GOPATH') ?? (isOfficialGoImage(context) ? '/go' : '/root/go');
  const path = output ? resolvePath(dir, output) : isInstall ? `${gopath}/bin/${lastSegment(packages[0]?.value ?? dir)}` : `${dir}/${lastSegment(packages[0]?.value ?? dir)}`;
  if (output && output.endsWith('/')) return 'unknown';
  const version = goVersionOf(context);
  const table = version.modern ? go120 : go119;
  const stripped = /-s\b/.test(flagValue(command, '-ldflags') ?? '') && /-w\b/.test(flagValue(command, '-ldflags') ?? '');
  const pick = (figure: { binary: number; strippedBinary: number }) => (stripped ? figure.strippedBinary : figure.binary);
  const figure: Figure = {
    bytes: pick(table.netHttp), low: pick(table.fmt), source: 'heuristic', confidence: 'low',
    note: `heuristic: ${table.version} builds measured here made ${formatBytes(pick(table.fmt))} (fmt hello world) to ${formatBytes(pick(table.netHttp))} (a small net/http server)${stripped ? ' with -s -w' : ''}; bigger programs make bigger binaries${version.note ? `; ${version.note}` : ''}`,
  };
  return { label: `go binary ${path}`, figure, path };
}

function lastSegment(path: string): string {
  const parts = trimTrailingSlashes(path).split('/').filter((p) => p !== '' && p !== '.');
  return parts[parts.length - 1] ?? 'main';
}

interface GoVersion { modern: boolean; note: string | null }

/** Go ≥ 1.20 compiles the standard library into the build cache; the version comes from the base tag or apt. */
function goVersionOf(context: RunSizingContext): GoVersion {
  // Debian's data is the release's own suite: a Go installed from backports is a newer one.
  if (installedFromBackports(context, /^golang(-1\.\d+)?(-go)?$/)) return { modern: true, note: 'Go from backports: version not in the data, figures for Go 1.20 and later' };
  const debian = [...(context.apt?.installed ?? [])].map((p) => /^golang-1\.(\d+)-go$/.exec(p)).filter((m) => m !== null).map((m) => Number(m[1]));
  if (debian.length > 0) {
    const minor = Math.max(...debian);
    return { modern: minor >= 20, note: `Go 1.${minor} from Debian` };
  }
  const tag = /^(?:.*\/)?golang:(\d+)\.(\d+)/.exec(context.base.reference);
  if (tag) return { modern: Number(tag[1]) > 1 || Number(tag[2]) >= 20, note: null };
  return { modern: true, note: 'Go version not known: figures for Go 1.20 and later' };
}

/** An apt install in this stage (up to this RUN) that takes a matching package from a -backports suite. */
function installedFromBackports(context: RunSizingContext, name: RegExp): boolean {
  return context.stage.instructions.some((i) => i.index <= context.instruction.index && (i.shell?.commands ?? []).some((c) => {
    if (c.packageOp?.manager !== 'apt' || c.packageOp.verb !== 'install') return false;
    const release = flagValue(c, '-t') ?? flagValue(c, '--target-release') ?? flagValue(c, '--default-release') ?? '';
    return /backports/.test(release) || c.packageOp.packages.some((p) => /\/[a-z]+-backports$/.test(p.value) && name.test(p.value.split('/')[0]));
  }) && (i.shell?.commands ?? []).some((c) => c.packageOp?.packages.some((p) => name.test(p.value.split(/[/=]/)[0]))));
}

function isOfficialGoImage(context: RunSizingContext): boolean {
  return /^(?:.*\/)?golang(:|$)/.test(context.base.reference);
}

function buildCachePart(context: RunSizingContext, project: GoProject | null): LayerPart | null {
  const facts = factsOf(context.model);
  const env = facts.environmentAt(context.instruction);
  const cacheDir = env.get('GOCACHE') ?? '/root/.cache/go-build';
  if (keptOutOfLayer(context, [cacheDir, '/root/.cache'], (c) => c.name === 'go' && hasFlag(c, '-cache'))) return null;
  const version = goVersionOf(context);
  const runText = context.instruction.args.map((a) => a.value).join(' ');
  const rebuildsStd = /CGO_ENABLED=0|-trimpath|-race|-msan|-asan|-buildmode|-gcflags|-installsuffix/.test(runText)
    || env.get('CGO_ENABLED') === '0' || /-trimpath/.test(env.get('GOFLAGS') ?? '');
  const moduleCount = project?.modules.length ?? 0;
  const dependencies = moduleCount * goCompiledBytesPerModule;
  let std: { bytes: number; low: number; basis: string };
  if (version.modern) std = { bytes: go120.netHttp.cache, low: go120.fmt.cache, basis: `${go120.version} left ${formatBytes(go120.fmt.cache)} (fmt hello world) to ${formatBytes(go120.netHttp.cache)} (net/http server) of compiled standard library` };
  else if (rebuildsStd) std = { bytes: go119.netHttpRebuiltStd, low: go119.netHttpRebuiltStd, basis: `${go119.version} rebuilt the standard library into the cache (CGO_ENABLED=0 / -trimpath): ${formatBytes(go119.netHttpRebuiltStd)} for a net/http server` };
  else std = { bytes: go119.netHttp.cache, low: go119.fmt.cache, basis: `${go119.version} keeps its standard library in GOROOT: ${formatBytes(go119.fmt.cache)}–${formatBytes(go119.netHttp.cache)} measured` };
  const figure: Figure = {
    bytes: std.bytes + dependencies, low: std.low, source: 'heuristic', confidence: 'low',
    note: `heuristic: ${std.basis}${moduleCount ? `; + ~${formatBytes(goCompiledBytesPerModule)} per module in go.sum for compiled dependencies (${moduleCount} modules)` : ''}${version.note ? `; ${version.note}` : ''} — a cache mount or go clean -cache in the same RUN keeps it out`,
  };
  return { label: `Go build cache ${cacheDir}`, figure };
}

type ModuleCache = { part: LayerPart | null; note?: string } | { unknown: string };

function moduleCachePart(context: RunSizingContext, project: GoProject | null): ModuleCache {
  if (!context.env.context) return { unknown: 'go modules (the build context is not available to read go.sum)' };
  if (!project) return { unknown: 'go modules (no go.mod copied from the build context into the folder go runs in)' };
  if (project.modules.length === 0) return { part: null };
  const facts = factsOf(context.model);
  const env = facts.environmentAt(context.instruction);
  const gopath = env.get('GOPATH') ?? (isOfficialGoImage(context) ? '/go' : '/root/go');
  const modDir = env.get('GOMODCACHE') ?? `${gopath}/pkg/mod`;
  if (keptOutOfLayer(context, [modDir, gopath], (c) => c.name === 'go' && hasFlag(c, '-modcache'))) return { part: null };
  if (downloadedEarlier(context)) return { part: null, note: 'modules already downloaded by an earlier layer' };
  const index = context.apt?.index ?? (context.env.data?.debian('bookworm') ?? null);
  if (!index) return { unknown: `${project.modules.length} go modules (no Debian package data loaded to size them)` };
  const sized = project.modules.map((m) => ({ module: m, bytes: debianGoModuleBytes(m, index) }));
  const found = sized.filter((s) => s.bytes !== null).map((s) => s.bytes as number);
  if (found.length === 0) return { unknown: `${project.modules.length} go modules in ${project.goSumPath} (none is packaged in Debian, so nothing gives their size)` };
  const median = [...found].sort((a, b) => a - b)[Math.floor(found.length / 2)];
  const missing = project.modules.length - found.length;
  const bytes = found.reduce((s, b) => s + b, 0) + missing * median;
  const figure: Figure = {
    bytes: Math.round(bytes * goModuleCachePerInstalledByte), low: Math.round(found.reduce((s, b) => s + b, 0) * goModuleCachePerInstalledByte * 0.5), source: 'heuristic', confidence: 'low',
    note: `heuristic: ${project.modules.length} modules in ${project.goSumPath}; ${found.length} sized from Debian's golang-*-dev packages (Debian's versions)${missing ? `, ${missing} not in Debian counted at their median (${formatBytes(median * goModuleCachePerInstalledByte)})` : ''}; × ${goModuleCachePerInstalledByte.toFixed(2)} for the zips a real go mod download keeps next to the sources`,
  };
  return { part: { label: `Go module cache ${modDir}`, figure } };
}

/** Debian's package for a Go module path (github.com/spf13/cobra → golang-github-spf13-cobra-dev), sized. */
export function debianGoModuleBytes(module: string, index: DebianIndex): number | null {
  for (const name of debianGoPackageNames(module)) {
    const bytes = index.installedSizeBytes(name);
    if (bytes !== null) return bytes;
  }
  return null;
}

const hostNames: Record<string, string> = {
  'github.com': 'github', 'gitlab.com': 'gitlab', 'golang.org': 'golang', 'gopkg.in': 'gopkg', 'google.golang.org': 'google',
  'go.uber.org': 'go.uber', 'k8s.io': 'k8s', 'sigs.k8s.io': 'k8s-sigs', 'cloud.google.com': 'google-cloud', 'bitbucket.org': 'bitbucket',
  'go.etcd.io': 'go.etcd', 'go.opentelemetry.io': 'opentelemetry', 'honnef.co': 'honnef', 'go.mongodb.org': 'mongodb',
};

export function debianGoPackageNames(module: string): string[] {
  const [host, ...rest] = module.toLowerCase().replace(/_/g, '-').split('/');
  const hostName = hostNames[host] ?? host.replace(/\.(com|org|io|net|in|dev)$/, '');
  const segments = host === 'cloud.google.com' && rest[0] === 'go' ? rest.slice(1) : rest;
  const full = ['golang', hostName, ...segments].join('-');
  const names = [`${full}-dev`];
  // Debian often drops a /vN suffix when it packages only one major version.
  if (/-v\d+$/.test(full)) names.push(`${full.replace(/-v\d+$/, '')}-dev`);
  return names;
}



/** An earlier RUN of the stage already ran go mod download / go build without a cache mount on the modules. */
function downloadedEarlier(context: RunSizingContext): boolean {
  return context.stage.instructions.some((i) => i.index < context.instruction.index && i.keyword === 'RUN'
    && !(i.mounts ?? []).some((m) => m.type === 'cache' && m.target !== null && /pkg\/mod|\/go\/?$/.test(m.target))
    && (i.shell?.commands ?? []).some((c) => c.packageOp?.manager === 'go' && ['download', 'build', 'install'].includes(goVerb(c))));
}
