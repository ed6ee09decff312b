/**
 * Sizes the apt part of a RUN from Debian's package data: the install closure minus what the image
 * already has, calibrated for slim bases; the package lists `apt-get update` leaves; what a purge in the
 * same RUN takes back. A purge in a later RUN frees nothing: the packages stay in their layer.
 */
import type { Instruction } from '../model/types';
import type { ShellCommand } from '../shell/types';
import { hasFlag, flagValue } from '../shell/package-managers';
import type { DebianIndex } from './debian';
import type { Figure, Confidence } from './figure';
import { aptListsBytes, installedSizeRatio } from './calibration';
import { trimSlashStar, trimTrailingSlashes } from '../text/paths';

export interface AptContext {
  index: DebianIndex;
  /** Packages in the image before this RUN; updated as installs happen (stage-wide). */
  installed: Set<string>;
  slim: boolean;
  /** Lower when the base's package list or release is only approximated. */
  confidence: Confidence;
  /**
   * The base is a full image whose package list we do not have (e.g. python:3.12 is built on
   * buildpack-deps, which already has compilers and -dev packages): installs are upper bounds.
   */
  upperBoundOnly: boolean;
  release: string;
}

export interface AptSizing {
  parts: { label: string; figure: Figure }[];
  /** Requested names the data does not know (typos, other repositories). */
  unknownPackages: string[];
  /** Words that are variables or globs: the install cannot be sized. */
  dynamic: boolean;
}

const listsPath = '/var/lib/apt/lists';

export function sizeAptCommands(instruction: Instruction, commands: readonly ShellCommand[], apt: AptContext): AptSizing {
  const parts: { label: string; figure: Figure }[] = [];
  const unknownPackages: string[] = [];
  let dynamic = false;
  const ratio = apt.slim ? installedSizeRatio.slim : installedSizeRatio.full;
  const installedHere = new Map<string, number>();
  const figure = (bytes: number, note: string, confidence: Confidence = apt.confidence): Figure => ({
    bytes: Math.round(bytes), low: apt.upperBoundOnly ? 0 : Math.round(bytes * 0.85), high: Math.round(bytes * 1.15), source: 'package-index', confidence,
    note: apt.upperBoundOnly ? `${note}; at most this much: the base may already have some of these` : note,
  });
  const listsMounted = (instruction.mounts ?? []).some((m) => (m.type === 'cache' || m.type === 'tmpfs') && m.target !== null && listsPath.startsWith(trimTrailingSlashes(m.target)));
  for (const command of commands) {
    const op = command.packageOp;
    if (op?.manager !== 'apt') continue;
    if (op.verb === 'update' && !listsMounted && !removedAfter(commands, command.index)) {
      const known = aptListsBytes[apt.release];
      const bytes = known ?? aptListsBytes.bookworm;
      parts.push({ label: 'apt lists', figure: { ...figure(bytes, `package lists of ${apt.release} (main, updates, security), measured`, known ? 'high' : 'low'), source: 'measured' } });
    } else if (op.verb === 'install') {
      if (op.packages.some((p) => p.dynamic)) { dynamic = true; continue; }
      const names = op.packages.map((p) => p.value).filter((n) => !n.startsWith('./') && !n.endsWith('.deb'));
      const withRecommends = !hasFlag(command, '--no-install-recommends') && !/^APT::Install-Recommends=(false|0|no)$/i.test(flagValue(command, '-o') ?? '');
      const before = new Set(apt.installed);
      const plain = apt.index.closure(names, { withRecommends: false, installed: before });
      unknownPackages.push(...plain.missing);
      for (const name of plain.packages) installedHere.set(name, (apt.index.installedSizeBytes(name) ?? 0) * ratio);
      parts.push({ label: 'packages', figure: figure(plain.installedSizeBytes * ratio, `${plain.packages.length} package${plain.packages.length === 1 ? '' : 's'} (${names.join(' ')} and dependencies), Debian ${apt.release} Installed-Size${apt.slim ? ' × slim ratio' : ''}`) });
      plain.packages.forEach((p) => apt.installed.add(p));
      if (withRecommends) {
        // Recommends of the whole closure, measured against the image as it was before this install.
        const full = apt.index.closure(names, { withRecommends: true, installed: before });
        const recommended = full.packages.filter((p) => !plain.packages.includes(p));
        const bytes = recommended.reduce((sum, p) => sum + (apt.index.installedSizeBytes(p) ?? 0), 0) * ratio;
        for (const name of recommended) installedHere.set(name, (apt.index.installedSizeBytes(name) ?? 0) * ratio);
        if (recommended.length > 0) parts.push({ label: 'recommended packages', figure: figure(bytes, `${recommended.length} recommended package${recommended.length === 1 ? '' : 's'} (${recommended.slice(0, 6).join(', ')}${recommended.length > 6 ? ', …' : ''})`) });
        recommended.forEach((p) => apt.installed.add(p));
      }
    } else if (op.verb === 'purge' || op.verb === 'remove' || op.verb === 'autoremove') {
      // Only what this same RUN installed leaves the layer; with autoremove, their dependencies too.
      const named = op.packages.map((p) => p.value);
      const autoremove = op.verb === 'autoremove' || hasFlag(command, '--auto-remove', '--autoremove') || commands.some((c) => c.index > command.index && c.packageOp?.manager === 'apt' && c.packageOp.verb === 'autoremove');
      const removed = autoremove
        ? [...installedHere.keys()].filter((n) => named.length === 0 || named.includes(n) || apt.index.closure(named, { withRecommends: true, installed: new Set() }).packages.includes(n))
        : named.filter((n) => installedHere.has(n));
      const freed = removed.reduce((s, n) => s + (installedHere.get(n) ?? 0), 0);
      removed.forEach((n) => { installedHere.delete(n); apt.installed.delete(n); });
      if (freed > 0) parts.push({ label: 'removed in the same RUN', figure: { ...figure(-freed, `${removed.length} package${removed.length === 1 ? '' : 's'} purged before the layer is written`), low: Math.round(-freed * 1.15), high: Math.round(-freed * 0.85) } });
    }
  }
  return { parts, unknownPackages, dynamic };
}

function removedAfter(commands: readonly ShellCommand[], index: number): boolean {
  return commands.some((c) => c.index > index && !c.afterOr && c.name === 'rm' &&
    c.argv.slice(1).some((w) => {
      const path = trimTrailingSlashes(trimSlashStar(w.value));
      return !w.value.startsWith('-') && listsPath.startsWith(path) && path.length > 1;
    }));
}
