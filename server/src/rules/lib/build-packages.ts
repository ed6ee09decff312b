/**
 * System packages seen from the split into build and runtime stages: which ones only build (compilers,
 * headers, build systems), and which runtime library a `-dev` package's program needs once built.
 */
import type { Instruction } from '../../model/types';
import type { ShellCommand } from '../../shell/types';
import { commandsOf, packageName, packagesRemovedLater } from './queries';

export type SystemManager = 'apt' | 'apk';

const buildToolPatterns: Record<SystemManager, RegExp[]> = {
  apt: [/^build-essential$/, /^(gcc|g\+\+|clang|cpp|gfortran)(-\d+)?$/, /^c?make$/, /-dev$/, /^golang(-|$)/, /^rustc$/, /^cargo$/,
    /^default-jdk(-headless)?$/, /^openjdk-\d+-jdk/, /^pkg-?config$/, /^pkgconf$/, /^autoconf$/, /^automake$/, /^libtool$/,
    /^python3?-(pip|venv|setuptools|wheel)$/, /^git$/],
  apk: [/^build-base$/, /^(gcc|g\+\+|clang)$/, /-dev$/, /^c?make$/, /^go$/, /^rust$/, /^cargo$/, /^openjdk\d*-jdk$/, /^pkgconf$/,
    /^py3-(pip|setuptools|wheel)$/, /^git$/],
};

/**
 * The Debian bookworm / Alpine package holding the shared library that programs built against a `-dev`
 * package load; '' for headers whose library every base image already has (libc).
 */
const runtimeLibraryOf: Record<SystemManager, Record<string, string>> = {
  apt: {
    'libc6-dev': '', 'libc-dev': '', 'linux-libc-dev': '',
    'libpq-dev': 'libpq5', 'libffi-dev': 'libffi8', 'libssl-dev': 'libssl3', 'libxml2-dev': 'libxml2', 'libxslt1-dev': 'libxslt1.1',
    'libjpeg-dev': 'libjpeg62-turbo', 'libjpeg62-turbo-dev': 'libjpeg62-turbo', 'libpng-dev': 'libpng16-16', 'zlib1g-dev': 'zlib1g',
    'default-libmysqlclient-dev': 'libmariadb3', 'libmariadb-dev': 'libmariadb3', 'libsqlite3-dev': 'libsqlite3-0', 'libyaml-dev': 'libyaml-0-2',
    'libgeos-dev': 'libgeos-c1v5', 'libmagic-dev': 'libmagic1', 'libcurl4-openssl-dev': 'libcurl4', 'libldap2-dev': 'libldap-2.5-0',
    'libsasl2-dev': 'libsasl2-2', 'libfreetype6-dev': 'libfreetype6', 'libwebp-dev': 'libwebp7', 'libtiff-dev': 'libtiff6',
    'liblzma-dev': 'liblzma5', 'libbz2-dev': 'libbz2-1.0', 'libzstd-dev': 'libzstd1', 'libgmp-dev': 'libgmp10',
  },
  apk: {
    'musl-dev': '', 'libc-dev': '', 'linux-headers': '',
    'postgresql-dev': 'libpq', 'libpq-dev': 'libpq', 'libffi-dev': 'libffi', 'openssl-dev': 'libssl3', 'libxml2-dev': 'libxml2',
    'libxslt-dev': 'libxslt', 'jpeg-dev': 'libjpeg-turbo', 'libjpeg-turbo-dev': 'libjpeg-turbo', 'zlib-dev': 'zlib', 'mariadb-dev': 'mariadb-connector-c',
    'mariadb-connector-c-dev': 'mariadb-connector-c', 'sqlite-dev': 'sqlite-libs', 'yaml-dev': 'yaml', 'libpng-dev': 'libpng', 'curl-dev': 'libcurl',
  },
};

export function isSystemManager(manager: string | undefined): manager is SystemManager {
  return manager === 'apt' || manager === 'apk';
}

export function isBuildTool(manager: SystemManager, name: string): boolean {
  return buildToolPatterns[manager].some((re) => re.test(name));
}

/** Package names an install command leaves in its layer (those a later command of the same RUN removes left out). */
export function packagesKept(commands: readonly ShellCommand[], install: ShellCommand): string[] {
  if (install.packageOp?.verb !== 'install') return [];
  const removed = packagesRemovedLater(commands, install);
  return install.packageOp.packages.map((p) => packageName(p.value)).filter((name) => !name.startsWith('-') && !removed.has(name));
}

/** Build tools the RUNs install and keep. */
export function buildToolsInstalled(runs: readonly Instruction[]): string[] {
  return runs.flatMap((run) => {
    const commands = commandsOf(run);
    return commands.flatMap((c) => {
      const manager = c.packageOp?.manager;
      return isSystemManager(manager) ? packagesKept(commands, c).filter((name) => isBuildTool(manager, name)) : [];
    });
  });
}

export interface RuntimePackages {
  manager: SystemManager;
  /** Packages the running program still needs: the non-build packages, and the libraries of mapped `-dev` packages. */
  packages: string[];
  /** `-dev` packages with no known runtime library: the user has to check them. */
  unmapped: string[];
}

/** What a RUN that installs system packages should install in a runtime stage instead. */
export function runtimePackagesOf(run: Instruction, dropped: (name: string) => boolean = () => false): RuntimePackages | null {
  const commands = commandsOf(run);
  const install = commands.find((c) => c.packageOp?.verb === 'install' && isSystemManager(c.packageOp.manager));
  const manager = install?.packageOp?.manager;
  if (!install || !isSystemManager(manager)) return null;
  const packages: string[] = [];
  const unmapped: string[] = [];
  for (const c of commands) {
    if (c.packageOp?.manager !== manager) continue;
    for (const name of packagesKept(commands, c)) {
      const library = Object.hasOwn(runtimeLibraryOf[manager], name) ? runtimeLibraryOf[manager][name] : undefined;
      if (dropped(name)) continue;
      if (library !== undefined) {
        if (library) packages.push(library);
      } else if (/-dev(el)?$/.test(name)) unmapped.push(name);
      else if (!isBuildTool(manager, name)) packages.push(name);
    }
  }
  return { manager, packages: [...new Set(packages)], unmapped };
}

/** One RUN line installing packages the lean way for its package manager. */
export function installLine(manager: SystemManager, packages: readonly string[]): string {
  return manager === 'apk'
    ? `RUN apk add --no-cache ${packages.join(' ')}`
    : `RUN apt-get update && apt-get install -y --no-install-recommends ${packages.join(' ')} && rm -rf /var/lib/apt/lists/*`;
}
