/**
 * Recognises package-manager invocations in a command's argv: which manager, which verb, which packages.
 * Rules and the size engine ask these facts instead of matching RUN text with regular expressions.
 */
import type { PackageManager, PackageOperation, PackageVerb, ShellCommand, ShellWord } from './types';

interface ManagerSpec {
  manager: PackageManager;
  /** Maps the manager's own verbs to ours; unknown verbs become 'other'. */
  verbs: Record<string, PackageVerb>;
  /** Options that take the next word as their value (so it is not a package name). */
  valueOptions?: ReadonlySet<string>;
  /** Verb used when the command has no verb word (e.g. bare `yarn` installs). */
  bareVerb?: PackageVerb;
}

const apt: ManagerSpec = {
  manager: 'apt',
  verbs: {
    install: 'install', reinstall: 'install', update: 'update', upgrade: 'upgrade', 'dist-upgrade': 'upgrade',
    'full-upgrade': 'upgrade', remove: 'remove', purge: 'purge', autoremove: 'autoremove', autopurge: 'autoremove',
    clean: 'clean', autoclean: 'clean', 'build-dep': 'install',
  },
  valueOptions: new Set(['-o', '--option', '-t', '--target-release', '--default-release', '-c', '--config-file', '-a', '--host-architecture']),
};
const apk: ManagerSpec = {
  manager: 'apk',
  verbs: { add: 'install', del: 'remove', update: 'update', upgrade: 'upgrade', cache: 'cache-clean', fix: 'other' },
  valueOptions: new Set(['-t', '--virtual', '-X', '--repository', '-p', '--root', '--arch', '--repositories-file', '--cache-dir']),
};
const rpm = (manager: PackageManager): ManagerSpec => ({
  manager,
  verbs: {
    install: 'install', in: 'install', reinstall: 'install', localinstall: 'install', groupinstall: 'install',
    update: 'upgrade', upgrade: 'upgrade', 'update-minimal': 'upgrade', remove: 'remove', erase: 'remove', rm: 'remove',
    autoremove: 'autoremove', clean: 'clean', makecache: 'update', refresh: 'update', ref: 'update',
  },
  valueOptions: new Set(['--setopt', '--enablerepo', '--disablerepo', '--releasever', '--installroot', '-c', '--config', '--nodocs-x']),
});
const pip: ManagerSpec = {
  manager: 'pip',
  verbs: { install: 'install', uninstall: 'remove', download: 'install', wheel: 'build', cache: 'cache-clean' },
  valueOptions: new Set(['-r', '--requirement', '-c', '--constraint', '-e', '--editable', '-i', '--index-url', '--extra-index-url',
    '-f', '--find-links', '-t', '--target', '--prefix', '--root', '--cache-dir', '--platform', '--python-version', '--only-binary',
    '--no-binary', '--trusted-host', '--progress-bar', '--src', '--upgrade-strategy', '--python', '--implementation', '--abi']),
};
const npm: ManagerSpec = {
  manager: 'npm',
  verbs: {
    install: 'install', i: 'install', in: 'install', ci: 'install', add: 'install', isntall: 'install', 'install-clean': 'install',
    uninstall: 'remove', remove: 'remove', rm: 'remove', un: 'remove', prune: 'remove', cache: 'cache-clean',
    run: 'run', 'run-script': 'run', build: 'build', update: 'upgrade',
  },
  valueOptions: new Set(['--omit', '--include', '--prefix', '--registry', '--cache', '-w', '--workspace', '--only', '--production-x']),
};
const yarn: ManagerSpec = {
  manager: 'yarn',
  verbs: { install: 'install', add: 'install', remove: 'remove', cache: 'cache-clean', run: 'run', build: 'build', workspaces: 'other', upgrade: 'upgrade' },
  valueOptions: new Set(['--cache-folder', '--modules-folder', '--network-timeout', '--mutex', '--registry']),
  bareVerb: 'install',
};
const pnpm: ManagerSpec = {
  manager: 'pnpm',
  verbs: { install: 'install', i: 'install', add: 'install', remove: 'remove', rm: 'remove', prune: 'remove', store: 'cache-clean', fetch: 'install', run: 'run', build: 'build', deploy: 'install' },
  valueOptions: new Set(['--filter', '-F', '--store-dir', '--dir', '-C']),
  bareVerb: 'install',
};

const specsByName: Record<string, ManagerSpec> = {
  'apt-get': apt, apt, aptitude: apt,
  apk,
  dnf: rpm('dnf'), yum: rpm('yum'), microdnf: rpm('microdnf'), tdnf: rpm('dnf'), zypper: rpm('zypper'),
  npm, yarn, pnpm,
  gem: { manager: 'gem', verbs: { install: 'install', uninstall: 'remove', cleanup: 'cache-clean', build: 'build' } },
  bundle: { manager: 'bundle', verbs: { install: 'install', clean: 'cache-clean', exec: 'run' }, bareVerb: 'install' },
  bundler: { manager: 'bundle', verbs: { install: 'install', clean: 'cache-clean' }, bareVerb: 'install' },
  composer: { manager: 'composer', verbs: { install: 'install', require: 'install', update: 'upgrade', 'clear-cache': 'cache-clean', clearcache: 'cache-clean', 'dump-autoload': 'build' } },
  poetry: { manager: 'poetry', verbs: { install: 'install', add: 'install', build: 'build', remove: 'remove', cache: 'cache-clean' } },
  conda: { manager: 'conda', verbs: { install: 'install', create: 'install', remove: 'remove', clean: 'cache-clean', update: 'upgrade' } },
  mamba: { manager: 'conda', verbs: { install: 'install', create: 'install', remove: 'remove', clean: 'cache-clean', update: 'upgrade' } },
  micromamba: { manager: 'conda', verbs: { install: 'install', create: 'install', remove: 'remove', clean: 'cache-clean' } },
  go: { manager: 'go', verbs: { build: 'build', install: 'install', get: 'install', mod: 'install', clean: 'cache-clean', test: 'run', run: 'run', generate: 'build' } },
  cargo: { manager: 'cargo', verbs: { build: 'build', install: 'install', clean: 'cache-clean', fetch: 'install', test: 'run', run: 'run' } },
  mvn: { manager: 'mvn', verbs: { package: 'build', install: 'build', verify: 'build', compile: 'build', 'dependency:go-offline': 'install', 'dependency:resolve': 'install', clean: 'other' } },
  gradle: { manager: 'gradle', verbs: { build: 'build', assemble: 'build', bootJar: 'build', jar: 'build', shadowJar: 'build', installDist: 'build', clean: 'other' } },
};
specsByName.mvnw = specsByName.mvn;
specsByName.gradlew = specsByName.gradle;

const pythonName = /^python(\d+(\.\d+)?)?$/;
const pipName = /^pip(\d+(\.\d+)?)?$/;

export function classifyPackageOperation(command: ShellCommand): PackageOperation | null {
  const argv = command.argv;
  let name = command.name;
  let rest = argv.slice(1);
  if (pythonName.test(name)) {
    // python -m pip install ...
    const m = rest.findIndex((w) => w.value === '-m');
    if (m < 0 || !rest[m + 1] || !pipName.test(rest[m + 1].value)) return null;
    name = 'pip';
    rest = rest.slice(m + 2);
  } else if (pipName.test(name)) {
    name = 'pip';
  } else if (name === 'uv') {
    // uv pip install ..., uv sync, uv add
    if (rest[0]?.value === 'pip') return operation('uv', pip, rest.slice(1));
    const verb = rest[0]?.value;
    const verbs: Record<string, PackageVerb> = { sync: 'install', add: 'install', remove: 'remove', cache: 'cache-clean', build: 'build' };
    return verb ? { manager: 'uv', verb: verbs[verb] ?? 'other', packages: packagesAfter(rest.slice(1), pip) } : null;
  } else if (name.endsWith('mvnw') || name.endsWith('gradlew')) {
    name = name.endsWith('mvnw') ? 'mvnw' : 'gradlew';
  }
  if (name === 'pip') return operation('pip', pip, rest);
  const spec = specsByName[name];
  if (!spec) return null;
  if (spec.manager === 'mvn' || spec.manager === 'gradle') {
    // Build tools take goals anywhere on the line: `mvn -B -DskipTests clean package`.
    const goals = rest.filter((w) => !w.value.startsWith('-')).map((w) => spec.verbs[w.value]);
    const verb = goals.find((g) => g === 'build') ?? goals.find((g) => g === 'install') ?? (goals.length ? 'other' : 'build');
    return { manager: spec.manager, verb, packages: [] };
  }
  return operation(spec.manager, spec, rest);
}

function operation(manager: PackageManager, spec: ManagerSpec, rest: ShellWord[]): PackageOperation {
  let i = 0;
  while (i < rest.length && rest[i].value.startsWith('-')) {
    i += spec.valueOptions?.has(rest[i].value) ? 2 : 1;
  }
  if (i >= rest.length) return { manager, verb: spec.bareVerb ?? 'other', packages: [] };
  const verbWord = rest[i].value;
  let verb: PackageVerb = spec.verbs[verbWord] ?? (spec.bareVerb && !/^[a-z]/.test(verbWord) ? spec.bareVerb : 'other');
  const after = rest.slice(i + 1);
  // `npm cache clean`, `pip cache purge`, `apk cache clean`, `yarn cache clean`, `pnpm store prune`: only the clean sub-verbs clean.
  if (verb === 'cache-clean' && (verbWord === 'cache' || verbWord === 'store')) {
    const sub = after.find((w) => !w.value.startsWith('-'))?.value;
    if (!sub || !/^(clean|purge|prune|rm|remove|clear)$/.test(sub)) verb = 'other';
  }
  if (manager === 'go' && verbWord === 'mod') {
    return { manager, verb: after.some((w) => w.value === 'download') ? 'install' : 'other', packages: [] };
  }
  if (manager === 'go' && verbWord === 'clean') {
    verb = after.some((w) => /^-(cache|modcache|testcache)$/.test(w.value)) ? 'cache-clean' : 'other';
  }
  if ((manager === 'npm' || manager === 'yarn' || manager === 'pnpm') && verb === 'run') {
    const script = after.find((w) => !w.value.startsWith('-'))?.value ?? '';
    if (/^(build|compile|bundle|dist|prod|production)(:|$)/.test(script)) verb = 'build';
  }
  if ((manager === 'yarn' || manager === 'pnpm') && verb === 'other' && /^(build|compile|bundle)(:|$)/.test(verbWord)) verb = 'build';
  return { manager, verb, packages: verb === 'install' || verb === 'remove' || verb === 'purge' ? packagesAfter(after, spec) : [] };
}

function packagesAfter(words: ShellWord[], spec: ManagerSpec): ShellWord[] {
  const packages: ShellWord[] = [];
  for (let i = 0; i < words.length; i++) {
    const value = words[i].value;
    if (value.startsWith('-')) {
      if (spec.valueOptions?.has(value)) i++;
      continue;
    }
    packages.push(words[i]);
  }
  return packages;
}

/** True when the command was given any of the flags, in long, short or `--flag=value` form. */
export function hasFlag(command: ShellCommand, ...flags: string[]): boolean {
  return command.argv.some((word) => {
    const value = word.value;
    if (flags.includes(value)) return true;
    const eq = value.indexOf('=');
    if (eq > 0 && flags.includes(value.slice(0, eq))) return true;
    // Bundled short flags: `-qy` contains `-y`.
    if (/^-[A-Za-z]{2,}$/.test(value)) return flags.some((f) => /^-[A-Za-z]$/.test(f) && value.includes(f[1]));
    return false;
  });
}

/** The value of `--flag=value` or `--flag value`, or null. */
export function flagValue(command: ShellCommand, flag: string): string | null {
  const argv = command.argv;
  for (let i = 0; i < argv.length; i++) {
    const value = argv[i].value;
    if (value === flag) return argv[i + 1]?.value ?? '';
    if (value.startsWith(flag + '=')) return value.slice(flag.length + 1);
  }
  return null;
}
