/**
 * `cargo build --release`, `cargo install --path`, `cargo fetch`. crates.io is not reachable from our build
 * machines, so these are labelled heuristics from release builds measured here per toolchain
 * (./toolchain-measurements.ts) and from Debian's packaging of crates (librust-*-dev):
 * - target/: a program without crates, plus a per-crate share measured on an 8-crate build;
 * - the registry ($CARGO_HOME/registry): each crate in Cargo.lock as Debian's librust package sizes its
 *   source (Debian's version), plus the .crate download kept next to it.
 * Debug builds, crates installed from crates.io and toolchains we have not measured stay unknown.
 */
import type { ShellCommand } from '../../shell/types';
import { flagValue, hasFlag } from '../../shell/package-managers';
import type { Figure } from '../figure';
import { formatBytes } from '../figure';
import type { DebianIndex } from '../debian';
import type { CommandSizer, LayerPart, RunSizingContext } from './types';
import { commandFolder, copiedProjectFile, factsOf } from './project-files';
import { cargoDebian163, cargoRustup195, crateArchivePerSourceByte, crateSourcePerInstalledByte, type CargoFigure } from './toolchain-measurements';
import { resolvePath } from '../../rules/lib/queries';
import { keptOutOfLayer } from './build-caches';

const maxManifestBytes = 2 * 1024 * 1024;

export const cargoSizer: CommandSizer = {
  name: 'cargo',
  claims: (command) => command.packageOp?.manager === 'cargo',
  size(claimed, context) {
    const parts: LayerPart[] = [];
    const unsized: string[] = [];
    let registryNeeded: { crates: string[] | null; lockPath: string | null } | null = null;
    for (const command of claimed) {
      const verb = command.argv.slice(1).find((w) => !w.value.startsWith('-'))?.value ?? '';
      if (verb === 'clean' || verb === 'version' || verb === '--version' || verb === 'metadata' || verb === 'tree') continue;
      if (verb === 'install' && !hasFlag(command, '--path')) { unsized.push('cargo install of a crate from crates.io'); continue; }
      if (verb !== 'build' && verb !== 'install' && verb !== 'fetch' && verb !== 'b') { unsized.push(`cargo ${verb} (runs code whose output is not known)`); continue; }
      const project = cargoProjectOf(command, context);
      if (!project) { unsized.push('cargo project (no Cargo.toml copied from the build context into the folder cargo runs in)'); continue; }
      registryNeeded ??= { crates: project.crates, lockPath: project.lockPath };
      if (verb === 'fetch') continue;
      if (verb !== 'install' && !hasFlag(command, '--release', '-r') && !(flagValue(command, '--profile') ?? '').startsWith('release')) {
        unsized.push('cargo debug build (only release builds were measured)');
        continue;
      }
      if (project.crates === null) { unsized.push('cargo build without Cargo.lock (the crates it resolves are not known)'); continue; }
      const toolchain = toolchainOf(context);
      if ('unknown' in toolchain) { unsized.push(toolchain.unknown); continue; }
      parts.push(...targetParts(command, context, project, project.crates.length, toolchain));
    }
    if (registryNeeded && unsized.length === 0) {
      const registry = registryPart(context, registryNeeded.crates ?? [], registryNeeded.lockPath);
      if ('unknown' in registry) unsized.push(registry.unknown);
      else if (registry.part) parts.push(registry.part);
    }
    return { parts, unsized, confidenceCap: 'low' };
  },
};

interface CargoProject { folder: string; crates: string[] | null; lockPath: string | null; packageName: string | null }

function cargoProjectOf(command: ShellCommand, context: RunSizingContext): CargoProject | null {
  const buildContext = context.env.context;
  if (!buildContext) return null;
  const folder = commandFolder(context.model, context.instruction, context.commands, command, []);
  const exists = (p: string) => buildContext.exists(p);
  const manifest = copiedProjectFile(context.model, context.stage, context.instruction, folder, 'Cargo.toml', exists);
  if (!manifest) return null;
  const lock = copiedProjectFile(context.model, context.stage, context.instruction, folder, 'Cargo.lock', exists);
  const lockText = lock ? buildContext.readText(lock.contextPath, maxManifestBytes) : null;
  const manifestText = buildContext.readText(manifest.contextPath, maxManifestBytes);
  const packageName = manifestText !== null ? packageNameOf(manifestText) : null;
  if (lockText !== null) return { folder, crates: registryCratesInLock(lockText), lockPath: lock?.contextPath ?? null, packageName };
  // Without a lockfile cargo resolves the manifest's dependencies: only "none" is knowable.
  return { folder, crates: manifestText !== null && !declaresDependencies(manifestText) ? [] : null, lockPath: null, packageName };
}

/** `[package] name`, which names the binary of a single-binary package. */
export function packageNameOf(manifest: string): string | null {
  const section = /^\[package\]\s*$([\s\S]*?)(?=^\[|(?![\s\S]))/m.exec(manifest)?.[1] ?? '';
  return /^name\s*=\s*"([^"]+)"/m.exec(section)?.[1] ?? null;
}

/** Crate names of Cargo.lock's packages that come from a registry (not path or git dependencies). */
export function registryCratesInLock(text: string): string[] {
  const crates: string[] = [];
  for (const block of text.split(/^\[\[package\]\]\s*$/m).slice(1)) {
    const name = /^name\s*=\s*"([^"]+)"/m.exec(block)?.[1];
    const source = /^source\s*=\s*"([^"]+)"/m.exec(block)?.[1];
    if (name && source && /^(registry|sparse)\+/.test(source)) crates.push(name);
  }
  return crates;
}

/** True when Cargo.toml lists any (build) dependency, in a [dependencies] table or a dotted key. */
export function declaresDependencies(manifest: string): boolean {
  let inDependencies = false;
  for (const raw of manifest.split('\n')) {
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') continue;
    const table = /^\[([^\]]+)\]$/.exec(line);
    if (table) {
      const name = table[1].trim();
      if (/(^|\.)(dependencies|build-dependencies)$/.test(name) && !/dev-dependencies/.test(name)) inDependencies = true;
      else if (/(^|\.)(dependencies|build-dependencies)\.[^.]+$/.test(name) && !/dev-dependencies/.test(name)) return true;
      else inDependencies = false;
      continue;
    }
    if (inDependencies && /^[A-Za-z0-9_.-]+\s*=/.test(line)) return true;
  }
  return false;
}

type Toolchain = { figure: CargoFigure; note: string | null } | { unknown: string };

/** Which measured toolchain a build resembles: Debian bookworm's rustc 1.63, or rustup's recent ones (≥ 1.77 strip release debug info). */
function toolchainOf(context: RunSizingContext): Toolchain {
  const installed = context.apt?.installed;
  if (installed && (installed.has('cargo') || installed.has('rustc'))) {
    return context.apt?.release === 'bookworm'
      ? { figure: cargoDebian163, note: null }
      : { figure: cargoRustup195, note: `Debian ${context.apt?.release}'s cargo assumed to strip release debug info like rustup's (since 1.77)` };
  }
  const tag = /^(?:.*\/)?rust:(\d+)\.(\d+)/.exec(context.base.reference);
  if (tag && Number(tag[1]) === 1 && Number(tag[2]) < 77) return { unknown: `cargo build with rust ${tag[1]}.${tag[2]} (no measurement for toolchains before 1.77)` };
  if (tag || /^(?:.*\/)?rust(:|$)/.test(context.base.reference)) return { figure: cargoRustup195, note: null };
  return { figure: cargoRustup195, note: 'toolchain not known: figures for rustup 1.77 and later' };
}

/** target/ as two parts: the release binary (with its path, for COPY --from) and the rest of the folder. */
function targetParts(command: ShellCommand, context: RunSizingContext, project: CargoProject, crates: number, toolchain: { figure: CargoFigure; note: string | null }): LayerPart[] {
  const folder = project.folder;
  const env = factsOf(context.model).environmentAt(context.instruction);
  const isInstall = command.argv.slice(1).find((w) => !w.value.startsWith('-'))?.value === 'install';
  const targetDir = resolvePath(folder, flagValue(command, '--target-dir') ?? env.get('CARGO_TARGET_DIR') ?? 'target');
  const { figure: measured } = toolchain;
  const perCrate = (measured.eightCrates.target - measured.noCrates.target) / 8;
  const binaryBytes = Math.round(measured.noCrates.binary + crates * ((measured.eightCrates.binary - measured.noCrates.binary) / 8));
  const binaryFigure: Figure = { bytes: binaryBytes, low: measured.noCrates.binary, source: 'heuristic', confidence: 'low', note: `heuristic: release binaries measured with ${measured.version}: ${formatBytes(measured.noCrates.binary)} without crates, ${formatBytes(measured.eightCrates.binary)} with 8 crates${toolchain.note ? `; ${toolchain.note}` : ''}` };
  // cargo install builds in a temporary target folder it deletes, and keeps one binary in $CARGO_HOME/bin.
  if (isInstall) return [{ label: 'cargo install binary', figure: binaryFigure }];
  if (keptOutOfLayer(context, [targetDir], (c) => c.name === 'cargo' && c.argv.slice(1).some((w) => w.value === 'clean'))) return [];
  const targetBytes = Math.round(measured.noCrates.target + crates * perCrate);
  const rest: Figure = {
    bytes: Math.max(0, targetBytes - binaryBytes), low: 0, source: 'heuristic', confidence: 'low',
    note: `heuristic: release target/ measured with ${measured.version}: ${formatBytes(measured.noCrates.target)} without crates, ${formatBytes(measured.eightCrates.target)} with 8 crates (~${formatBytes(perCrate)} per crate); ${crates} crate${crates === 1 ? '' : 's'} in Cargo.lock${toolchain.note ? `; ${toolchain.note}` : ''}`,
  };
  const profile = flagValue(command, '--profile') ?? 'release';
  const binaryPath = project.packageName && !hasFlag(command, '--target') ? `${targetDir}/${profile}/${project.packageName}` : undefined;
  return [
    { label: `cargo binary ${binaryPath ?? `in ${targetDir}`}`, figure: binaryFigure, ...(binaryPath ? { path: binaryPath } : {}) },
    { label: `cargo ${targetDir}`, figure: rest },
  ];
}

type Registry = { part: LayerPart | null } | { unknown: string };

function registryPart(context: RunSizingContext, crates: string[], lockPath: string | null): Registry {
  if (crates.length === 0) return { part: null };
  const env = factsOf(context.model).environmentAt(context.instruction);
  const cargoHome = env.get('CARGO_HOME') ?? (/^(?:.*\/)?rust(:|$)/.test(context.base.reference) ? '/usr/local/cargo' : '/root/.cargo');
  const registryDir = `${cargoHome}/registry`;
  if (keptOutOfLayer(context, [registryDir, cargoHome], () => false)) return { part: null };
  if (fetchedEarlier(context)) return { part: null };
  const index = context.apt?.index ?? (context.env.data?.debian('bookworm') ?? null);
  if (!index) return { unknown: `${crates.length} crates (no Debian package data loaded to size them)` };
  const found = crates.map((c) => debianCrateBytes(c, index)).filter((b): b is number => b !== null);
  if (found.length === 0) return { unknown: `${crates.length} crates in ${lockPath} (none is packaged in Debian, so nothing gives their size)` };
  const median = [...found].sort((a, b) => a - b)[Math.floor(found.length / 2)];
  const missing = crates.length - found.length;
  const perInstalled = crateSourcePerInstalledByte * (1 + crateArchivePerSourceByte);
  const installed = found.reduce((s, b) => s + b, 0) + missing * median;
  const figure: Figure = {
    bytes: Math.round(installed * perInstalled), low: Math.round(found.reduce((s, b) => s + b, 0) * perInstalled * 0.5), source: 'heuristic', confidence: 'low',
    note: `heuristic: ${crates.length} crates in ${lockPath}; ${found.length} sized from Debian's librust-*-dev packages (Debian's versions)${missing ? `, ${missing} not in Debian counted at their median` : ''}; the registry keeps each crate's source and its .crate download (${crateArchivePerSourceByte.toFixed(2)} of the source, measured)`,
  };
  return { part: { label: `cargo registry ${registryDir}`, figure } };
}

/** Debian's librust package for a crate (serde_json → librust-serde-json-dev), sized. */
export function debianCrateBytes(crate: string, index: DebianIndex): number | null {
  return index.installedSizeBytes(`librust-${crate.toLowerCase().replace(/_/g, '-')}-dev`);
}



function fetchedEarlier(context: RunSizingContext): boolean {
  return context.stage.instructions.some((i) => i.index < context.instruction.index && i.keyword === 'RUN'
    && !(i.mounts ?? []).some((m) => m.type === 'cache' && m.target !== null && /registry|cargo/.test(m.target))
    && (i.shell?.commands ?? []).some((c) => c.packageOp?.manager === 'cargo' && ['build', 'fetch', 'b'].includes(c.argv.slice(1).find((w) => !w.value.startsWith('-'))?.value ?? '')));
}
