import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { DEBIAN_PACK_FORMAT } from '../../server/src/sizing/debian-pack';
import { DebianIndex, compareDebianVersions, isDebianPack, parseRequestedPackage, versionSatisfies, type DebianPack, type PackageRow } from '../../server/src/sizing/debian';
import { resolveBaseImage } from '../../server/src/sizing/base-images';
import { FileDataPacks, clearDataPackCache, findDataDir, loadBaseImageData, loadDebianIndex } from '../../server/src/io/data-packs';

const repoRoot = path.resolve(__dirname, '..', '..');

function bookworm(): DebianIndex {
  const load = loadDebianIndex('bookworm');
  assert.equal(load.problem, null);
  return load.value as DebianIndex;
}

/** The 88 packages of debian:bookworm(-slim), as the base image resolver hands them out. */
function bookwormBase(): Set<string> {
  const data = loadBaseImageData().value;
  assert.ok(data);
  const names = resolveBaseImage({ repository: 'debian', tag: 'bookworm-slim', digest: null }, data).installedPackages;
  assert.ok(names);
  return new Set(names);
}

// --- A tiny hand-made pack: every rule of the closure on packages whose relations we choose. ---

/** rows: name → [installedKiB, preDepends, depends, recommends, provides, flags]; names as text, '~' marks versioned. */
function pack(rows: Record<string, [number, string[][], string[][], string[][], string[], number?]>): DebianPack {
  const real = Object.keys(rows).sort();
  const names = [...real];
  const id = (text: string) => {
    const versioned = text.startsWith('~');
    const name = versioned ? text.slice(1) : text;
    let i = names.indexOf(name);
    if (i < 0) { i = names.length; names.push(name); }
    return versioned ? ~i : i;
  };
  const packages = real.map((name): PackageRow => {
    const [kib, pre, dep, rec, prov, flags] = rows[name];
    const groups = (g: string[][]) => g.map((alts) => alts.map(id));
    return [kib, kib * 100, groups(pre), groups(dep), groups(rec), prov.map(id), flags ?? 0, 0];
  });
  return { format: 1, release: 'test', arch: 'amd64', generated: '2026-01-01T00:00:00Z', sources: [], sections: ['misc'], names, packages };
}

const toy = DebianIndex.fromPack(pack({
  app: [10, [], [['liba'], ['mta'], ['first', 'second']], [['docs'], ['nowhere']], []],
  liba: [20, [['libc']], [['libb']], [], []],
  libb: [30, [], [['liba']], [], []],          // cycle: liba ↔ libb
  libc: [40, [], [], [], [], 2],
  postfix: [50, [], [], [], ['mta'], 8],         // standard priority
  exim: [60, [], [], [], ['mta']],
  first: [70, [], [], [], []],
  second: [80, [], [], [], []],
  docs: [90, [], [], [], []],
  needsnew: [1, [], [['~bundled']], [], []],     // versioned dependency on a real package
  bundled: [2, [], [], [], []],
  bundler: [3, [], [], [], ['~bundled']],        // an older copy provided under the real name
  wantsvirtual: [4, [], [['~virt']], [], []],
  unversioned: [5, [], [], [], ['virt']],
  versionedprov: [6, [], [], [], ['~virt']],
  broken: [7, [], [['absent']], [], []],
}))!;

test('toy pack: closure follows Pre-Depends and Depends, ends on cycles, sums Installed-Size', () => {
  const c = toy.closure(['app'], { withRecommends: false, installed: new Set() });
  assert.deepEqual(new Set(c.packages), new Set(['app', 'liba', 'libb', 'libc', 'postfix', 'first']));
  assert.equal(c.installedSizeBytes, (10 + 20 + 30 + 40 + 50 + 70) * 1024);
  assert.equal(c.downloadBytes, (10 + 20 + 30 + 40 + 50 + 70) * 100);
  assert.deepEqual(c.missing, []);
  assert.deepEqual(c.unsatisfied, []);
});

test('toy pack: Recommends only when asked; an unsatisfiable Recommends is skipped silently', () => {
  const without = toy.closure(['app'], { withRecommends: false, installed: new Set() });
  const withRec = toy.closure(['app'], { withRecommends: true, installed: new Set() });
  assert.ok(!without.packages.includes('docs'));
  assert.deepEqual(withRec.packages.filter((p) => !without.packages.includes(p)), ['docs']);
  assert.deepEqual(withRec.unsatisfied, []);
});

test('toy pack: an installed alternative or provider satisfies the group; installed packages are not counted', () => {
  const c = toy.closure(['app'], { withRecommends: false, installed: new Set(['second', 'exim', 'libc']) });
  assert.ok(!c.packages.includes('first'), 'second (installed) satisfies "first | second"');
  assert.ok(!c.packages.includes('postfix'), 'exim (installed) provides mta');
  assert.ok(!c.packages.includes('libc'));
  assert.deepEqual(new Set(c.packages), new Set(['app', 'liba', 'libb']));
});

test('toy pack: a virtual name resolves to the highest-Priority provider', () => {
  assert.equal(toy.resolve('mta'), 'postfix');
  assert.equal(toy.resolve('mta', new Set(['exim'])), 'exim');
  assert.deepEqual(toy.providers('mta').sort(), ['exim', 'postfix']);
  assert.equal(toy.has('mta'), false);
  assert.equal(toy.isKnown('mta'), true);
});

test('toy pack: versioned relations are satisfied by the real package or a versioned Provides only', () => {
  const c = toy.closure(['needsnew'], { withRecommends: false, installed: new Set(['bundler']) });
  assert.deepEqual(c.packages, ['needsnew', 'bundled'], 'bundler provides ~bundled, but bundled is a real package');
  const v = toy.closure(['wantsvirtual'], { withRecommends: false, installed: new Set(['unversioned']) });
  assert.deepEqual(v.packages, ['wantsvirtual', 'versionedprov'], 'an unversioned Provides does not satisfy (>= …)');
});

test('versioned Provides: kept versions decide whether they meet the constraint', () => {
  const p = pack({
    dependent: [1, [], [['~oldlib'], ['~newlib']], [], []],
    oldlib: [10, [], [], [], []],
    newlib: [20, [], [], [], []],
    bundler: [3, [], [], [], ['~oldlib', '~newlib']],
  });
  const row = p.names.indexOf('dependent');
  const bundler = p.names.indexOf('bundler');
  p.providedVersions = { [`${bundler}:${p.names.indexOf('oldlib')}`]: '11.1.0', [`${bundler}:${p.names.indexOf('newlib')}`]: '1.10.2' };
  p.relationConstraints = { [row]: { [p.names.indexOf('oldlib')]: '>= 3.0-6', [p.names.indexOf('newlib')]: '>= 2.0.1~' } };
  const c = DebianIndex.fromPack(p)!.closure(['dependent'], { withRecommends: false, installed: new Set(['bundler']) });
  assert.deepEqual(c.packages, ['dependent', 'newlib'], 'oldlib is met by bundler\'s 11.1.0; newlib 1.10.2 is too old');
});

test('Debian version order, as dpkg --compare-versions', () => {
  assert.ok(compareDebianVersions('1.0', '1.0~rc1') > 0);
  assert.ok(compareDebianVersions('1:0.9', '2.0') > 0);
  assert.ok(compareDebianVersions('7.88.1-10+deb12u15', '7.88.1-10+deb12u8') > 0);
  assert.ok(compareDebianVersions('1.2.3', '1.2.10') < 0);
  assert.ok(compareDebianVersions('1.0a', '1.0') > 0);
  assert.equal(compareDebianVersions('2.36-9', '2.36-9'), 0);
  assert.ok(versionSatisfies('11.1.0', '>=', '3.0-6'));
  assert.ok(!versionSatisfies('1.10.2', '>=', '2.0.1~'));
  assert.ok(versionSatisfies('2.0.1', '>=', '2.0.1~'));
  assert.ok(versionSatisfies('1.0', '<<', '1.1') && !versionSatisfies('1.0', '>>', '1.0'));
});

test('toy pack: unknown names are missing, removals add nothing, unsatisfiable Depends are reported', () => {
  const c = toy.closure(['nosuch', 'docs-', 'broken'], { withRecommends: false, installed: new Set() });
  assert.deepEqual(c.missing, ['nosuch']);
  assert.deepEqual(c.packages, ['broken']);
  assert.deepEqual(c.unsatisfied, ['absent']);
});

test('requested names as apt-get and Depends write them', () => {
  assert.deepEqual(parseRequestedPackage('libc6 (>= 2.34)'), { name: 'libc6', arch: null, version: '2.34' });
  assert.deepEqual(parseRequestedPackage('python3:any'), { name: 'python3', arch: null, version: null });
  assert.deepEqual(parseRequestedPackage('libc6:amd64'), { name: 'libc6', arch: 'amd64', version: null });
  assert.deepEqual(parseRequestedPackage('curl=7.88.1-10+deb12u15'), { name: 'curl', arch: null, version: '7.88.1-10+deb12u15' });
  assert.deepEqual(parseRequestedPackage('nginx/bookworm-backports'), { name: 'nginx', arch: null, version: null });
  assert.equal(parseRequestedPackage('$PACKAGES'), null);
  assert.equal(parseRequestedPackage('--no-install-recommends'), null);
});

test('pack validation rejects other shapes', () => {
  assert.equal(isDebianPack(null), false);
  assert.equal(isDebianPack({ format: 2, release: 'x', names: [], packages: [], sections: [] }), false);
  assert.equal(isDebianPack({ format: 1, release: 'x', names: [], packages: [[1, 2, 3]], sections: [] }), false);
  assert.equal(DebianIndex.fromPack({ hello: 'world' }), null);
  assert.ok(DebianIndex.fromPack(pack({ a: [1, [], [], [], []] })));
});

// --- The real packs (server/data), checked against `apt-get -s install` over a debian:bookworm-slim status. ---

test('bookworm pack: provenance recorded (release, generation date, Packages files with their Date)', () => {
  const index = bookworm();
  assert.equal(index.release, 'bookworm');
  assert.match(index.generated, /^\d{4}-\d{2}-\d{2}T/);
  const suites = index.sources.map((s) => s.suite);
  assert.ok(suites.includes('oldstable') || suites.includes('stable'), suites.join(','));
  assert.ok(index.sources.some((s) => /-security/.test(s.packagesFile)));
  for (const source of index.sources) assert.match(source.date ?? '', /\d{4} \d\d:\d\d:\d\d UTC$/);
  assert.ok(index.packageCount > 50_000);
});

test('bookworm: curl over debian:bookworm-slim adds the 16 packages apt installs (22 with Recommends)', () => {
  const index = bookworm();
  const installed = bookwormBase();
  const plain = index.closure(['curl'], { withRecommends: false, installed });
  // Same set as `apt-get -s install --no-install-recommends curl` with only the base's 88 packages installed.
  assert.deepEqual([...plain.packages].sort(), [
    'curl', 'libbrotli1', 'libcurl4', 'libgssapi-krb5-2', 'libk5crypto3', 'libkeyutils1', 'libkrb5-3', 'libkrb5support0',
    'libldap-2.5-0', 'libnghttp2-14', 'libpsl5', 'librtmp1', 'libsasl2-2', 'libsasl2-modules-db', 'libssh2-1', 'libssl3',
  ]);
  const sum = plain.packages.reduce((s, p) => s + (index.installedSizeBytes(p) ?? 0), 0);
  assert.equal(plain.installedSizeBytes, sum);
  assert.ok(plain.installedSizeBytes > 8e6 && plain.installedSizeBytes < 20e6, String(plain.installedSizeBytes));
  const rec = index.closure(['curl'], { withRecommends: true, installed });
  assert.deepEqual(rec.packages.filter((p) => !plain.packages.includes(p)).sort(),
    ['ca-certificates', 'krb5-locales', 'libldap-common', 'libsasl2-modules', 'openssl', 'publicsuffix']);
  assert.ok(rec.installedSizeBytes > plain.installedSizeBytes);
  assert.deepEqual(rec.missing, []);
  assert.deepEqual(rec.unsatisfied, []);
});

test('bookworm: build-essential and python3 closures match apt-get -s (56/125 and 22/26 packages)', () => {
  const index = bookworm();
  const installed = bookwormBase();
  const be = index.closure(['build-essential'], { withRecommends: false, installed });
  const beRec = index.closure(['build-essential'], { withRecommends: true, installed });
  assert.equal(be.packages.length, 56);
  assert.equal(beRec.packages.length, 125);
  for (const p of ['gcc-12', 'g++-12', 'libc6-dev', 'make', 'dpkg-dev']) assert.ok(be.packages.includes(p), p);
  for (const p of ['fakeroot', 'manpages-dev']) assert.ok(!be.packages.includes(p) && beRec.packages.includes(p), p);
  const py = index.closure(['python3'], { withRecommends: false, installed });
  const pyRec = index.closure(['python3'], { withRecommends: true, installed });
  assert.equal(py.packages.length, 22);
  assert.equal(pyRec.packages.length, 26);
  assert.ok(py.packages.includes('libpython3.11-stdlib'));
});

test('bookworm: with nothing installed the closure pulls in libc6 and ends on the libc6 ↔ libgcc-s1 cycle', () => {
  const index = bookworm();
  const c = index.closure(['libc6'], { withRecommends: false, installed: new Set() });
  assert.ok(c.packages.includes('libc6') && c.packages.includes('libgcc-s1'));
  assert.equal(new Set(c.packages).size, c.packages.length);
});

test('bookworm: virtual packages resolve through Provides (awk → mawk in the base; x-terminal-emulator as apt picks)', () => {
  const index = bookworm();
  assert.equal(index.has('awk'), false);
  assert.ok(index.providers('awk').includes('mawk'));
  assert.equal(index.resolve('awk'), 'mawk', 'mawk is Priority: required');
  assert.deepEqual(index.closure(['awk'], { withRecommends: false, installed: bookwormBase() }).packages, []);
  assert.equal(index.resolve('x-terminal-emulator'), 'zutty');
  const c = index.closure(['libc6 (>= 2.34)', 'python3:any'], { withRecommends: false, installed: bookwormBase() });
  assert.deepEqual(c.missing, []);
  assert.ok(c.packages.includes('python3') && !c.packages.includes('libc6'));
});

test('bookworm: a versioned Provides in the base satisfies a versioned Depends (lsb-base from sysvinit-utils)', () => {
  const index = bookworm();
  // acpi-support depends on "lsb-base (>= 1.3-9)"; sysvinit-utils (in the base) provides lsb-base 11.1.0.
  const c = index.closure(['acpi-support'], { withRecommends: false, installed: bookwormBase() });
  assert.ok(!c.packages.includes('lsb-base'));
  // zx depends on node-yaml; node-tap-parser provides an older node-yaml that does not meet (>= 2.0.1~).
  const tap = index.closure(['node-tap-parser'], { withRecommends: false, installed: bookwormBase() });
  assert.ok(tap.packages.includes('node-yaml'));
});

test('bookworm: the essential set (required + Essential and their dependencies) is the debian:bookworm package set', () => {
  const essential = bookworm().essentialPackages();
  for (const p of ['libc6', 'dpkg', 'bash', 'coreutils', 'base-files', 'apt']) assert.ok(essential.has(p), p);
  const base = bookwormBase();
  // The one difference: init-system-helpers depends on "usrmerge | usr-is-merged"; apt takes the first
  // (usrmerge, which pulls perl), debootstrap installed usr-is-merged.
  assert.deepEqual([...base].filter((p) => !essential.has(p)), ['usr-is-merged']);
  assert.ok(essential.has('usrmerge') && essential.has('perl'));
  assert.ok([...essential].filter((p) => !base.has(p)).length < 12);
});

test('slim adjustment: measured file lists, smaller than Installed-Size for packages with docs', () => {
  const index = bookworm();
  const curl = index.closure(['curl'], { withRecommends: false, installed: bookwormBase() });
  const full = index.sizeFigure(curl.packages, { slim: false });
  const slim = index.sizeFigure(curl.packages, { slim: true });
  assert.ok(slim.bytes < full.bytes && full.bytes <= curl.installedSizeBytes);
  assert.equal(slim.source, 'package-index');
  assert.equal(slim.confidence, 'medium', 'every curl package is in the measured sample');
  assert.equal(slim.high, undefined);
  // git-man is nearly all man pages: a slim image keeps almost nothing of it.
  const gitMan = index.slimSizeBytes('git-man');
  assert.ok(gitMan && gitMan.measured && gitMan.bytes < (index.installedSizeBytes('git-man') as number) * 0.1);
});

test('slim adjustment: an unmeasured package is scaled by the sample ratio, with Installed-Size as the high bound', () => {
  const index = bookworm();
  const unmeasured = ['fortunes', 'sl', 'cowsay', 'figlet', 'bsdgames', 'neofetch', 'ninvaders', 'nethack-console']
    .filter((p) => index.has(p) && index.slimSizeBytes(p)?.measured === false);
  assert.ok(unmeasured.length > 0);
  const figure = index.sizeFigure(unmeasured, { slim: true });
  const installed = unmeasured.reduce((s, p) => s + (index.installedSizeBytes(p) as number), 0);
  assert.equal(figure.high, installed);
  assert.ok(figure.bytes < installed);
  assert.equal(figure.confidence, 'low');
  assert.match(figure.note ?? '', /sample ratio/);
});

test('trixie pack loads and sizes curl', () => {
  const load = loadDebianIndex('trixie');
  assert.equal(load.problem, null);
  const index = load.value as DebianIndex;
  assert.equal(index.release, 'trixie');
  const c = index.closure(['curl'], { withRecommends: false, installed: index.essentialPackages() });
  assert.ok(c.packages.includes('curl') && c.packages.includes('libcurl4t64'));
  assert.deepEqual(c.missing, []);
});

// --- Loading: lazily, once, and never throwing into the caller. ---

function dataDirWith(files: Record<string, Buffer | string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'lean-packs-'));
  const dir = path.join(root, 'server', 'data');
  mkdirSync(dir, { recursive: true });
  copyFileSync(path.join(repoRoot, 'server', 'data', 'base-images.json'), path.join(dir, 'base-images.json'));
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
  return root;
}

test('the data folder is found walking up from the sources and from the bundle', () => {
  assert.equal(findDataDir(path.join(repoRoot, 'server', 'src', 'io')), path.join(repoRoot, 'server', 'data'));
  assert.equal(findDataDir(path.join(repoRoot, 'server', 'out')), path.join(repoRoot, 'server', 'data'));
  assert.equal(findDataDir(), path.join(repoRoot, 'server', 'data'));
  const root = dataDirWith({});
  assert.equal(findDataDir(path.join(root, 'a', 'b')), path.join(root, 'server', 'data'));
});

test('a pack is read once per process', () => {
  assert.equal(loadDebianIndex('bookworm').value, loadDebianIndex('bookworm').value);
  assert.equal(new FileDataPacks().debian('bookworm'), loadDebianIndex('bookworm').value);
});

test('corrupt, wrong-format and missing packs give null and a problem message, never an exception', () => {
  clearDataPackCache();
  const real = readFileSync(path.join(repoRoot, 'server', 'data', 'debian-trixie-amd64.pack'));
  const otherVersion = Buffer.from(real);
  otherVersion.writeUInt32LE(DEBIAN_PACK_FORMAT + 1, 8);
  const root = dataDirWith({
    'debian-bookworm-amd64.pack': Buffer.from('not a pack at all, not even close'),
    'debian-trixie-amd64.pack': real.subarray(0, real.length >> 1),
    'debian-forky-amd64.pack': otherVersion,
    'debian-sid-amd64.json.gz': gzipSync('{"format": 1}'),
  });
  const dir = path.join(root, 'server', 'data');
  const wrong = loadDebianIndex('bookworm', dir);
  assert.equal(wrong.value, null);
  assert.match(wrong.problem ?? '', /not in the expected format \(binary pack format \d+\).*no DLDEBPK signature.*npm run data/);
  assert.match(loadDebianIndex('trixie', dir).problem ?? '', /corrupt or unreadable: .*debian-trixie-amd64\.pack: array \w+ missing or out of the file's bounds/);
  assert.match(loadDebianIndex('forky', dir).problem ?? '', new RegExp(`not in the expected format .*pack format ${DEBIAN_PACK_FORMAT + 1}, this version reads format ${DEBIAN_PACK_FORMAT}`));
  assert.match(loadDebianIndex('sid', dir).problem ?? '', /not found: .*debian-sid-amd64\.pack/, 'a JSON pack of earlier versions is not read');
  assert.match(loadDebianIndex('bullseye', dir).problem ?? '', /not found/);
  assert.match(loadDebianIndex('../etc', dir).problem ?? '', /no Debian data pack/);
  assert.match(loadDebianIndex('bookworm', null).problem ?? '', /data folder/);

  const packs = new FileDataPacks(dir);
  assert.equal(packs.debian('bookworm'), null);
  assert.equal(packs.debian('bookworm'), null);
  assert.equal(packs.problems.length, 1, 'each problem is reported once');
  assert.ok(packs.baseImages());

  writeFileSync(path.join(dir, 'base-images.json'), '{"format": 1, "images": [}');
  clearDataPackCache();
  const broken = new FileDataPacks(dir);
  assert.equal(broken.baseImages(), null);
  assert.match(broken.problems.join('\n'), /base image data is corrupt/);
  clearDataPackCache();
});

test('private images from the dataFile setting come first; bad entries are skipped with a message', () => {
  const root = dataDirWith({});
  const userFile = path.join(root, 'images.json');
  writeFileSync(userFile, JSON.stringify({ images: [{ repository: 'mycorp/base', tag: '1', bytes: 123_000_000, os: 'debian', osRelease: 'bookworm' }, { repository: 'x' }] }));
  const packs = new FileDataPacks(path.join(root, 'server', 'data'), userFile);
  const data = packs.baseImages();
  assert.ok(data);
  const match = resolveBaseImage({ repository: 'mycorp/base', tag: '1', digest: null }, data);
  assert.equal(match.match, 'exact');
  assert.equal(match.figure?.bytes, 123_000_000);
  assert.equal(match.debianRelease, 'bookworm');
  assert.match(packs.problems.join('\n'), /skipped an image entry/);
});
