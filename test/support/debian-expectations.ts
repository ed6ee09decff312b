/**
 * What a DebianIndex answers for a broad, fixed set of questions (closures of common installs over an empty
 * and over the essential set, with and without Recommends; a stride sample of every package's closure;
 * lookups, providers, sizes), in a form that can be committed: test/fixtures/debian-index-expectations.json
 * was captured with scripts/capture-debian-expectations.mjs and the test checks the index still answers the
 * same. Long package lists are kept as a count and a digest of the ordered list.
 */
import { createHash } from 'node:crypto';
import type { DebianIndex } from '../../server/src/sizing/debian';

/** Requests as Dockerfiles write them (the generator's common installs, plus odd forms). */
export const REQUESTS: string[][] = [
  ...['curl', 'wget', 'ca-certificates', 'git', 'build-essential', 'gcc', 'g++', 'make', 'cmake', 'pkg-config', 'autoconf', 'automake', 'libtool',
    'python3', 'python3-pip', 'python3-venv', 'python3-dev', 'libpq-dev', 'postgresql-client', 'default-libmysqlclient-dev', 'libssl-dev',
    'libffi-dev', 'zlib1g-dev', 'libxml2-dev', 'libxslt1-dev', 'libjpeg-dev', 'libpng-dev', 'unzip', 'zip', 'xz-utils', 'bzip2', 'gnupg',
    'openssh-client', 'vim', 'nano', 'less', 'procps', 'netcat-openbsd', 'iputils-ping', 'dnsutils', 'jq', 'tzdata', 'locales', 'sudo',
    'tini', 'gosu', 'supervisor', 'nginx', 'rsync', 'cron', 'file', 'gettext-base', 'nodejs', 'npm', 'default-jre-headless', 'default-jdk-headless',
    'libgomp1', 'libglib2.0-0', 'libsm6', 'libxext6', 'libxrender1', 'libgl1', 'git-lfs', 'ruby', 'php-cli', 'imagemagick', 'ffmpeg',
    'fonts-liberation', 'chromium', 'golang-go', 'perl', 'openssl', 'net-tools', 'htop', 'lsb-release', 'apt-transport-https',
    'software-properties-common', 'acpi-support', 'node-tap-parser', 'awk', 'mta', 'x-terminal-emulator', 'java-runtime-headless'].map((n) => [n]),
  ['curl', 'git', 'python3-pip'], ['libc6 (>= 2.34)', 'python3:any'], ['curl=7.88.1-10+deb12u15'], ['nginx/bookworm-backports'],
  ['nosuch', 'docs-', 'vim'], ['libc6:amd64', 'zsh'],
];

/** Names to look up one by one: real, virtual, absent, and a few odd ones. */
export const NAMES = ['curl', 'libc6', 'libcurl4', 'libcurl4t64', 'bash', 'dpkg', 'perl', 'python3', 'git-man', 'openssl', 'zutty', 'mawk',
  'awk', 'mta', 'x-terminal-emulator', 'java-runtime-headless', 'c-compiler', 'www-browser', 'debconf-2.0', 'libc-dev', 'lsb-base', 'node-yaml',
  'usrmerge', 'usr-is-merged', 'fortunes', 'sl', 'cowsay', 'nethack-console', 'chromium', 'ffmpeg', 'nosuch', '', 'CURL', 'curl ', 'a', 'zzzz',
  'libssl3', 'libssl3t64', 'libgcc-s1', 'libstdc++6', 'g++', 'gcc-12', 'gcc-14', 'linux-image-amd64', 'default-jdk-headless', 'python3:any'];

export interface IndexExpectations {
  release: string;
  generated: string;
  packageCount: number;
  essential: string;
  closures: Record<string, unknown>;
  stride: { every: number; count: number; digest: string };
  lookups: Record<string, unknown>;
}

const digest = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);

/** A closure as data: short lists in full, long ones as count + digest. */
function closureFacts(index: DebianIndex, names: string[], withRecommends: boolean, installed: ReadonlySet<string>): unknown {
  const c = index.closure(names, { withRecommends, installed });
  const packages = c.packages.length <= 12 ? c.packages.join(' ') : `${c.packages.length} packages, sha256 ${digest(c.packages.join(' '))}`;
  const full = index.sizeFigure(c.packages, { slim: false });
  const slim = index.sizeFigure(c.packages, { slim: true });
  return {
    packages, installedSizeBytes: c.installedSizeBytes, downloadBytes: c.downloadBytes, missing: c.missing, unsatisfied: c.unsatisfied,
    full: [full.bytes, full.confidence], slim: [slim.bytes, slim.high ?? null, slim.confidence, slim.note],
  };
}

export function describeIndex(index: DebianIndex, strideEvery = 97): IndexExpectations {
  const essential = index.essentialPackages();
  const closures: Record<string, unknown> = {};
  for (const names of REQUESTS) {
    for (const [label, installed] of [['empty', new Set<string>()], ['essential', essential]] as const) {
      for (const withRecommends of [false, true]) {
        closures[`${names.join(' ')} | ${label}${withRecommends ? ' | recommends' : ''}`] = closureFacts(index, names, withRecommends, installed);
      }
    }
  }
  // Every strideEvery-th real package by name, over the essential set, with Recommends: one digest over all.
  const strideLines: string[] = [];
  const all = sortedRealNames(index);
  for (let k = 0; k < all.length; k += strideEvery) {
    const c = index.closure([all[k]], { withRecommends: true, installed: essential });
    strideLines.push(`${all[k]}: ${c.packages.join(' ')} = ${c.installedSizeBytes}/${c.downloadBytes} ! ${c.unsatisfied.join(', ')} ? ${c.missing.join(' ')}`
      + ` ~ ${index.sizeFigure(c.packages, { slim: true }).bytes}`);
  }
  const lookups: Record<string, unknown> = {};
  for (const name of NAMES) {
    lookups[name] = {
      has: index.has(name), isKnown: index.isKnown(name), providers: index.providers(name), resolve: index.resolve(name),
      resolveInEssential: index.resolve(name, essential), installedSizeBytes: index.installedSizeBytes(name),
      slimSizeBytes: index.slimSizeBytes(name), get: index.get(name),
    };
  }
  return {
    release: index.release, generated: index.generated, packageCount: index.packageCount, essential: [...essential].sort().join(' '),
    closures, stride: { every: strideEvery, count: strideLines.length, digest: digest(strideLines.join('\n')) }, lookups,
  };
}

/** The real package names in name order. */
function sortedRealNames(index: DebianIndex): string[] {
  const names: string[] = [];
  for (let row = 0; row < index.packageCount; row++) names.push(index.packageNameAt(row) as string);
  return names;
}
