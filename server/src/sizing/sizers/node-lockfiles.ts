/**
 * Reads the packages an npm, yarn or pnpm lockfile will install: name, version, whether only devDependencies
 * need it, and (npm) where it lands under node_modules. Plain scans, no regular expressions with
 * backtracking; anything unreadable gives null rather than an exception.
 */

export interface LockedPackage {
  name: string;
  version: string;
  /** Needed only by devDependencies (npm's `dev` flag, or not reachable from `dependencies`). */
  dev: boolean;
  /** Folder under the project, e.g. `node_modules/a/node_modules/b` (npm lockfiles v2/v3 only). */
  path?: string;
  /** npm records packages whose install scripts run (they may build or download more). */
  installScript?: boolean;
}

export interface Lockfile {
  kind: 'npm' | 'yarn' | 'pnpm';
  packages: LockedPackage[];
  /** False when the format does not say which packages are dev-only (so --omit=dev cannot be applied). */
  knowsDev: boolean;
}

export const lockfileNames = ['package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml'] as const;

export function parseLockfile(fileName: string, text: string, manifest: Manifest | null): Lockfile | null {
  try {
    if (fileName === 'yarn.lock') return parseYarnLock(text, manifest);
    if (fileName === 'pnpm-lock.yaml') return parsePnpmLock(text);
    return parseNpmLock(text);
  } catch {
    return null;
  }
}

export interface Manifest {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  optionalDependencies: Record<string, string>;
}

export function parseManifest(text: string): Manifest | null {
  try {
    const raw = JSON.parse(text) as Record<string, unknown>;
    const table = (value: unknown): Record<string, string> => {
      const out: Record<string, string> = {};
      if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
      return out;
    };
    return { dependencies: table(raw.dependencies), devDependencies: table(raw.devDependencies), optionalDependencies: table(raw.optionalDependencies) };
  } catch {
    return null;
  }
}

function parseNpmLock(text: string): Lockfile | null {
  const raw = JSON.parse(text) as { packages?: Record<string, Record<string, unknown>>; dependencies?: Record<string, unknown> };
  const packages: LockedPackage[] = [];
  if (raw.packages && typeof raw.packages === 'object') {
    for (const [key, entry] of Object.entries(raw.packages)) {
      const marker = key.lastIndexOf('node_modules/');
      if (marker < 0 || !entry || typeof entry !== 'object' || entry.link === true) continue;
      const name = typeof entry.name === 'string' ? entry.name : key.slice(marker + 'node_modules/'.length);
      if (typeof entry.version !== 'string') continue;
      packages.push({ name, version: entry.version, dev: entry.dev === true, path: key, installScript: entry.hasInstallScript === true });
    }
    return { kind: 'npm', packages, knowsDev: true };
  }
  // lockfileVersion 1: a nested `dependencies` tree.
  const walk = (deps: unknown, depth: number) => {
    if (!deps || typeof deps !== 'object' || depth > 64) return;
    for (const [name, value] of Object.entries(deps as Record<string, Record<string, unknown>>)) {
      if (!value || typeof value.version !== 'string' || value.version.startsWith('file:')) continue;
      packages.push({ name, version: value.version, dev: value.dev === true });
      walk(value.dependencies, depth + 1);
    }
  };
  if (!raw.dependencies) return null;
  walk(raw.dependencies, 0);
  return { kind: 'npm', packages, knowsDev: true };
}

interface YarnEntry { name: string; version: string; specs: string[]; dependencies: [string, string][] }

/** yarn.lock of yarn 1 (`version "1.2.3"`) or yarn 2+ (`version: 1.2.3`, `name@npm:range` keys). */
function parseYarnLock(text: string, manifest: Manifest | null): Lockfile | null {
  const entries: YarnEntry[] = [];
  let current: YarnEntry | null = null;
  let inDependencies = false;
  for (const rawLine of text.split('\n')) {
    const line = rawLine.replace(/\r$/, '');
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const indent = line.length - line.trimStart().length;
    const content = line.trim();
    if (indent === 0) {
      inDependencies = false;
      if (!content.endsWith(':') || content.startsWith('__metadata')) { current = null; continue; }
      const specs = content.slice(0, -1).split(',').map((s) => unquote(s.trim())).filter(Boolean);
      const name = specName(specs[0] ?? '');
      current = name ? { name, version: '', specs, dependencies: [] } : null;
      if (current) entries.push(current);
      continue;
    }
    if (!current) continue;
    if (indent <= 2) {
      inDependencies = content === 'dependencies:' || content === 'optionalDependencies:';
      if (content.startsWith('version')) current.version = unquote(content.slice('version'.length).replace(/^:/, '').trim());
      continue;
    }
    if (inDependencies) {
      const [depName, range] = splitPair(content);
      if (depName) current.dependencies.push([depName, range]);
    }
  }
  const bySpec = new Map<string, YarnEntry>();
  for (const entry of entries) for (const spec of entry.specs) bySpec.set(normaliseSpec(spec), entry);
  const prod = new Set<YarnEntry>();
  const knowsDev = manifest !== null;
  if (manifest) {
    const queue: YarnEntry[] = [];
    for (const [name, range] of Object.entries({ ...manifest.dependencies, ...manifest.optionalDependencies })) {
      const entry = bySpec.get(normaliseSpec(`${name}@${range}`));
      if (entry && !prod.has(entry)) { prod.add(entry); queue.push(entry); }
    }
    while (queue.length) {
      const entry = queue.pop() as YarnEntry;
      for (const [name, range] of entry.dependencies) {
        const next = bySpec.get(normaliseSpec(`${name}@${range}`));
        if (next && !prod.has(next)) { prod.add(next); queue.push(next); }
      }
    }
  }
  const packages = entries.filter((e) => e.version !== '' && !e.version.startsWith('0.0.0-use.local'))
    .map((e) => ({ name: e.name, version: e.version, dev: knowsDev && !prod.has(e) }));
  return { kind: 'yarn', packages, knowsDev };
}

/** pnpm-lock.yaml: keys under `packages:` (`/name@1.2.3:`, `/name/1.2.3:`, `name@1.2.3(peer):`), v6 `dev:` flags. */
function parsePnpmLock(text: string): Lockfile | null {
  const packages: LockedPackage[] = [];
  let section = '';
  let current: LockedPackage | null = null;
  let sawDevFlag = false;
  for (const rawLine of text.split('\n')) {
    const line = rawLine.replace(/\r$/, '');
    if (line.trim() === '') continue;
    const indent = line.length - line.trimStart().length;
    if (indent === 0) { section = line.trim(); current = null; continue; }
    if (section !== 'packages:') continue;
    const content = line.trim();
    if (indent === 2 && content.endsWith(':')) {
      const parsed = pnpmKey(unquote(content.slice(0, -1)));
      current = parsed ? { ...parsed, dev: false } : null;
      if (current) packages.push(current);
    } else if (current && indent === 4 && content.startsWith('dev:')) {
      sawDevFlag = true;
      current.dev = content.slice(4).trim() === 'true';
    }
  }
  return { kind: 'pnpm', packages, knowsDev: sawDevFlag };
}

function pnpmKey(key: string): { name: string; version: string } | null {
  let k = key.startsWith('/') ? key.slice(1) : key;
  const paren = k.indexOf('(');
  if (paren > 0) k = k.slice(0, paren);
  // v9/v6: name@version (scoped: @scope/name@version)
  const at = k.lastIndexOf('@');
  if (at > 0) return { name: k.slice(0, at), version: stripPeerSuffix(k.slice(at + 1)) };
  // v5: name/version or @scope/name/version
  const slash = k.lastIndexOf('/');
  return slash > 0 ? { name: k.slice(0, slash), version: stripPeerSuffix(k.slice(slash + 1)) } : null;
}

function stripPeerSuffix(version: string): string {
  const underscore = version.indexOf('_');
  return underscore > 0 ? version.slice(0, underscore) : version;
}

/** `"@scope/name@^1.0.0"` → `@scope/name`; `name@npm:^1` → `name`. */
export function specName(spec: string): string {
  const at = spec.indexOf('@', spec.startsWith('@') ? 1 : 0);
  return at > 0 ? spec.slice(0, at) : spec;
}

function normaliseSpec(spec: string): string {
  const name = specName(spec);
  let range = spec.slice(name.length + 1);
  if (range.startsWith('npm:')) range = range.slice(4);
  return `${name}@${range}`;
}

function splitPair(content: string): [string, string] {
  // yarn 1: `name "range"`; yarn 2+: `name: range` (both may quote the name).
  let name: string;
  let rest: string;
  if (content.startsWith('"')) {
    const end = content.indexOf('"', 1);
    name = content.slice(1, end);
    rest = content.slice(end + 1);
  } else {
    const space = content.search(/[ :]/);
    name = space < 0 ? content : content.slice(0, space);
    rest = space < 0 ? '' : content.slice(space);
  }
  return [name, unquote(rest.replace(/^:/, '').trim())];
}

function unquote(value: string): string {
  return value.length >= 2 && (value[0] === '"' || value[0] === "'") && value[value.length - 1] === value[0] ? value.slice(1, -1) : value;
}
