// Regenerates the Debian package data packs, server/data/debian-<release>-amd64.pack (the binary format of
// server/src/sizing/debian-pack.ts), from Debian's own indexes: `apt-get update` into a private folder (the
// machine's apt configuration and lists are not touched), then the Packages files of <release>,
// <release>-updates and <release>-security (main, amd64). It also measures, on a sample of real .deb files,
// how much of Installed-Size a -slim image skips (docs, man pages, locales: debuerreotype's dpkg
// path-exclude list), so the engine can adjust for slim bases.
//
//   node scripts/gen-debian-data.mjs [--release bookworm]... [--mirror URL] [--security-mirror URL]
//                                    [--no-slim-sample | --reuse-slim-from DIR] [--out DIR]
//   node scripts/gen-debian-data.mjs --from-json DIR [--release bookworm]... [--out DIR]
//        converts the JSON packs of earlier versions (DIR/debian-<release>-amd64.json.gz) without downloading
import { execFileSync, execFile } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, writeFileSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { tsImport } from 'tsx/esm/api';

// The pack format and Debian's version order come from the engine's own sources, so the two cannot drift.
const { encodeDebianPack, decodeDebianPack, isDebianPack } = await tsImport('../server/src/sizing/debian-pack.ts', import.meta.url);
const { compareDebianVersions } = await tsImport('../server/src/sizing/debian-version.ts', import.meta.url);

const execFileAsync = promisify(execFile);
const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);
const option = (name, fallback) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : fallback; };
const releases = args.flatMap((a, i) => (args[i - 1] === '--release' ? [a] : []));
const machineMirrors = readMachineMirrors();
const mirror = option('--mirror', machineMirrors.main ?? 'http://deb.debian.org/debian');
const securityMirror = option('--security-mirror', machineMirrors.security ?? 'http://deb.debian.org/debian-security');
const outDir = path.resolve(option('--out', path.join(root, 'server', 'data')));
const measureSlim = !args.includes('--no-slim-sample');
// Reuse the slim measurements of packs in DIR (same release) instead of downloading the sample again.
const reuseSlimFrom = option('--reuse-slim-from', null);
const fromJson = option('--from-json', null);

/**
 * What a -slim image's dpkg skips: debuerreotype's scripts/.slimify-excludes and .slimify-includes, written to
 * /etc/dpkg/dpkg.cfg.d/docker in the image. Globs as dpkg uses them (fnmatch without FNM_PATHNAME: `*` crosses `/`).
 */
const SLIM_EXCLUDES = ['/usr/share/doc/*', '/usr/share/groff/*', '/usr/share/info/*', '/usr/share/linda/*', '/usr/share/lintian/overrides/*', '/usr/share/locale/*', '/usr/share/man/*'];
const SLIM_INCLUDES = ['/usr/share/doc/*/copyright', '/usr/share/doc/kde/HTML/C/*', '/usr/share/gnome/help/*/C/*', '/usr/share/locale/all_languages', '/usr/share/locale/currency/*', '/usr/share/locale/l10n/*', '/usr/share/locale/languages', '/usr/share/locale/locale.alias', '/usr/share/omf/*/*-C.emf'];

/**
 * Packages Dockerfiles commonly install; their closures (with Recommends) are measured file by file, so the
 * packages users actually meet get exact slim sizes. Names missing from a release are skipped.
 */
const COMMON_INSTALLS = [
  'curl', 'wget', 'ca-certificates', 'git', 'build-essential', 'gcc', 'g++', 'make', 'cmake', 'pkg-config', 'autoconf', 'automake', 'libtool',
  'python3', 'python3-pip', 'python3-venv', 'python3-dev', 'libpq-dev', 'postgresql-client', 'default-libmysqlclient-dev', 'libssl-dev',
  'libffi-dev', 'zlib1g-dev', 'libxml2-dev', 'libxslt1-dev', 'libjpeg-dev', 'libpng-dev', 'unzip', 'zip', 'xz-utils', 'bzip2', 'gnupg',
  'openssh-client', 'vim', 'nano', 'less', 'procps', 'netcat-openbsd', 'iputils-ping', 'dnsutils', 'jq', 'tzdata', 'locales', 'sudo',
  'tini', 'gosu', 'supervisor', 'nginx', 'rsync', 'cron', 'file', 'gettext-base', 'nodejs', 'npm', 'default-jre-headless', 'default-jdk-headless',
  'libgomp1', 'libglib2.0-0', 'libsm6', 'libxext6', 'libxrender1', 'libgl1', 'git-lfs', 'ruby', 'php-cli', 'imagemagick', 'ffmpeg',
  'fonts-liberation', 'chromium', 'golang-go', 'perl', 'openssl', 'net-tools', 'htop', 'lsb-release', 'apt-transport-https', 'software-properties-common',
];
/** Besides the common closures, every STRIDE-th package (by name) is measured, for a ratio that covers the rest. */
const STRIDE = 60;


async function generate(release) {
  const work = mkdtempSync(path.join(tmpdir(), `lean-apt-${release}-`));
  try {
    const aptOptions = privateApt(work, release);
    console.log(`gen-debian-data: apt-get update for ${release} from ${mirror} and ${securityMirror} (private state in ${work})`);
    execFileSync('apt-get', ['update', '-qq', ...aptOptions], { stdio: 'inherit' });
    const lists = path.join(work, 'lists');
    const suiteOrder = (file) => (file.includes(`_${release}-security_`) ? 2 : file.includes(`_${release}-updates_`) ? 1 : 0);
    const files = readdirSync(lists).filter((f) => /_main_binary-amd64_Packages(\.\w+)?$/.test(f)).sort((a, b) => suiteOrder(a) - suiteOrder(b));
    if (!files.some((f) => suiteOrder(f) === 0)) throw new Error(`no Packages file for ${release} main amd64 in ${lists}`);
    const packages = new Map();
    const sources = [];
    for (const file of files) {
      // apt-helper reads whichever compression apt stored the list in.
      const text = execFileSync('/usr/lib/apt/apt-helper', ['cat-file', path.join(lists, file)], { maxBuffer: 1 << 30 }).toString('utf8');
      const releaseFile = readdirSync(lists).find((f) => f === file.replace(/_main_binary-amd64_Packages(\.\w+)?$/, '_InRelease') || f === file.replace(/_main_binary-amd64_Packages(\.\w+)?$/, '_Release'));
      const releaseText = releaseFile ? readFileSync(path.join(lists, releaseFile), 'utf8') : '';
      let count = 0;
      for (const stanza of text.split(/\n\n+/)) {
        const fields = parseStanza(stanza);
        if (!fields.Package || (fields.Architecture !== 'amd64' && fields.Architecture !== 'all')) continue;
        count++;
        // -updates and -security come later; the newest version wins whichever file it is in.
        const previous = packages.get(fields.Package);
        if (!previous || compareDebianVersions(fields.Version ?? '', previous.Version ?? '') > 0) packages.set(fields.Package, fields);
      }
      sources.push({
        suite: /^Suite: (.+)$/m.exec(releaseText)?.[1] ?? file.replace(/^.*_dists_([^_]+)_.*$/, '$1'),
        packagesFile: file.replace(/_/g, '/'),
        date: /^Date: (.+)$/m.exec(releaseText)?.[1] ?? null,
        packagesBytes: statSync(path.join(lists, file)).size,
        packageCount: count,
      });
    }
    const pack = compact(release, packages, sources);
    if (reuseSlimFrom) pack.slim = reuseSlim(pack, path.join(reuseSlimFrom, `debian-${release}-amd64.pack`));
    else if (measureSlim) pack.slim = await measureSlimSample(pack, packages, work, aptOptions);
    writePack(pack);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Encodes a pack, reads it back as the engine will (a pack that does not decode is never written), writes it. */
function writePack(pack) {
  const bytes = encodeDebianPack(pack);
  const check = decodeDebianPack(bytes);
  if (check.problem) throw new Error(`the encoded ${pack.release} pack does not decode: ${check.problem}`);
  mkdirSync(outDir, { recursive: true });
  const target = path.join(outDir, `debian-${pack.release}-amd64.pack`);
  writeFileSync(target, bytes);
  console.log(`gen-debian-data: ${pack.release}: ${pack.packages.length} packages, ${pack.names.length} names -> ${path.relative(root, target)} (${(bytes.length / 1e6).toFixed(2)} MB)`);
}

/** A JSON pack of earlier versions (format 1, gzipped), converted as it is: same data, same generation date. */
function convertJsonPack(release, dir) {
  const file = path.join(dir, `debian-${release}-amd64.json.gz`);
  const pack = JSON.parse(gunzipSync(readFileSync(file)).toString('utf8'));
  if (!isDebianPack(pack)) throw new Error(`${file} is not a format-1 JSON Debian pack`);
  console.log(`gen-debian-data: converting ${file} (generated ${pack.generated})`);
  writePack(pack);
}

/** apt-get options that keep sources, lists, cache and status in `work`: the machine's apt setup is only read for keys. */
function privateApt(work, release) {
  for (const dir of ['lists/partial', 'cache/archives/partial', 'etc/preferences.d']) mkdirSync(path.join(work, dir), { recursive: true });
  writeFileSync(path.join(work, 'sources.list'), [
    `deb [arch=amd64] ${mirror} ${release} main`,
    `deb [arch=amd64] ${mirror} ${release}-updates main`,
    `deb [arch=amd64] ${securityMirror} ${release}-security main`,
  ].join('\n') + '\n');
  writeFileSync(path.join(work, 'status'), '');
  return [
    '-o', `Dir::State::Lists=${path.join(work, 'lists')}`, '-o', `Dir::State::status=${path.join(work, 'status')}`,
    '-o', `Dir::Etc::SourceList=${path.join(work, 'sources.list')}`, '-o', 'Dir::Etc::SourceParts=-',
    '-o', `Dir::Etc::Preferences=${path.join(work, 'preferences')}`, '-o', `Dir::Etc::PreferencesParts=${path.join(work, 'etc/preferences.d')}`,
    '-o', `Dir::Cache=${path.join(work, 'cache')}`,
    '-o', 'APT::Architecture=amd64', '-o', 'APT::Architectures=amd64', '-o', 'Acquire::Languages=none',
    '-o', 'Acquire::IndexTargets::deb::Contents-deb::DefaultEnabled=false', '-o', 'Debug::NoLocking=1',
  ];
}

/** The Debian and security mirrors the machine's own sources use (deb822 .sources or one-line .list). */
function readMachineMirrors() {
  const texts = [];
  for (const file of ['/etc/apt/sources.list', ...(existsSync('/etc/apt/sources.list.d') ? readdirSync('/etc/apt/sources.list.d').map((f) => `/etc/apt/sources.list.d/${f}`) : [])]) {
    if (/\.(list|sources)$/.test(file) && existsSync(file)) texts.push(readFileSync(file, 'utf8'));
  }
  const uris = texts.join('\n').split('\n').flatMap((line) => {
    const deb822 = /^URIs:\s*(.+)$/.exec(line);
    if (deb822) return deb822[1].split(/\s+/);
    const oneLine = /^deb\s+(?:\[[^\]]*\]\s+)?(\S+)/.exec(line);
    return oneLine ? [oneLine[1]] : [];
  });
  return {
    main: uris.find((u) => /\/debian\/?$/.test(u))?.replace(/\/$/, ''),
    security: uris.find((u) => /\/debian-security\/?$/.test(u))?.replace(/\/$/, ''),
  };
}

function parseStanza(stanza) {
  const fields = {};
  let key = null;
  for (const line of stanza.split('\n')) {
    if (line.startsWith(' ') || line.startsWith('\t')) { if (key) fields[key] += '\n' + line; continue; }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    key = line.slice(0, colon);
    fields[key] = line.slice(colon + 1).trim();
  }
  return fields;
}

/**
 * The pack's content as plain data (DebianPack in server/src/sizing/debian-pack.ts), which writePack encodes.
 * names[i] for i < packages.length is the real package packages[i]; later names are virtual or absent packages
 * that only appear in relations. A relation list is a list of alternative groups of name indexes, ~index when
 * the alternative (or Provides) carries a version; the versions themselves, arch qualifiers (:any) and
 * profiles are dropped (we size installs, we do not solve version conflicts).
 */
function compact(release, packages, sources) {
  const realNames = [...packages.keys()].sort();
  const names = [...realNames];
  const index = new Map(realNames.map((n, i) => [n, i]));
  const sections = [];
  const id = (name) => {
    let i = index.get(name);
    if (i === undefined) { i = names.length; names.push(name); index.set(name, i); }
    return i;
  };
  const sectionId = (section) => {
    const s = (section ?? '').replace(/^.*\//, '');
    let i = sections.indexOf(s);
    if (i < 0) { i = sections.length; sections.push(s); }
    return i;
  };
  // A versioned alternative ("libc6 (>= 2.34)") is stored as ~index: only a real package or a versioned
  // Provides satisfies it (apt: an unversioned Provides never satisfies a versioned dependency).
  const entry = (text) => { const name = relationName(text); return name ? (/\(/.test(text) ? ~id(name) : id(name)) : null; };
  const relation = (text) => (text
    ? text.split(',').map((group) => group.split('|').map(entry).filter((e) => e !== null)).filter((g) => g.length)
    : []);
  // Versions matter where a versioned Provides could satisfy a versioned relation (sysvinit-utils provides
  // lsb-base 11.1.0, which satisfies "lsb-base (>= 3.0-6)"; node-tap-parser's node-yaml 1.10 does not satisfy
  // "node-yaml (>= 2.0.1~)"): only for those names are the provided versions and the constraints kept.
  const providedVersions = {};
  const withVersionedProvider = new Set();
  realNames.forEach((name, row) => {
    for (const text of (packages.get(name).Provides ?? '').split(',')) {
      const m = /^\s*(\S+)\s*\(\s*=\s*([^)\s]+)\s*\)/.exec(text);
      if (!m) continue;
      withVersionedProvider.add(m[1]);
      providedVersions[`${row}:${id(m[1])}`] = m[2];
    }
  });
  const relationConstraints = {};
  realNames.forEach((name, row) => {
    const f = packages.get(name);
    for (const text of [f['Pre-Depends'], f.Depends, f.Recommends].filter(Boolean).join(',').split(/[,|]/)) {
      const m = /^\s*([^\s(:]+)(?::\S+)?\s*\(\s*(<<|<=|=|>=|>>)\s*([^)\s]+)\s*\)/.exec(text);
      if (!m || !withVersionedProvider.has(m[1])) continue;
      (relationConstraints[row] ??= {})[id(m[1])] = `${m[2]} ${m[3]}`;
    }
  });
  const rows = realNames.map((name) => {
    const f = packages.get(name);
    const flags = (f.Essential === 'yes' ? 1 : 0) | (f.Priority === 'required' ? 2 : 0) | (f.Priority === 'important' ? 4 : 0) | (f.Priority === 'standard' ? 8 : 0);
    return [
      Number(f['Installed-Size'] ?? 0), Number(f.Size ?? 0),
      relation(f['Pre-Depends']), relation(f.Depends), relation(f.Recommends),
      f.Provides ? f.Provides.split(',').map(entry).filter((e) => e !== null) : [],
      flags, sectionId(f.Section),
    ];
  });
  return {
    format: 1,
    release,
    arch: 'amd64',
    generated: new Date().toISOString(),
    generator: 'scripts/gen-debian-data.mjs',
    mirror: { main: mirror, security: securityMirror },
    sources,
    rowLayout: ['installedKiB', 'downloadBytes', 'preDepends', 'depends', 'recommends', 'provides', 'flags(1 essential, 2 required, 4 important, 8 standard)', 'section'],
    relationEncoding: 'list of alternative groups of name indexes; ~index (negative) marks a versioned relation or Provides',
    sections,
    names,
    packages: rows,
    /** "row:nameIndex" → version, for versioned Provides. */
    providedVersions,
    /** row → nameIndex → "op version", for versioned relations on names that have a versioned Provides. */
    relationConstraints,
  };
}

/** "libc6 (>= 2.34)" / "python3:any" / "foo [amd64] <!nocheck>" → the bare package name. */
function relationName(text) {
  return text.replace(/\(.*?\)|\[.*?\]|<.*?>/g, '').trim().replace(/:(any|native|amd64|all)$/, '');
}

/**
 * Downloads a sample of .deb files and reads their file lists (dpkg-deb -c): for each, the bytes of its files
 * (what `docker images` counts) and the bytes left after the slim path-excludes. The engine uses the exact
 * figures for sampled packages and the sample's ratio for the rest.
 */
async function measureSlimSample(pack, packages, work, aptOptions) {
  const indexOf = new Map(pack.names.map((n, i) => [n, i]));
  const sample = new Set();
  const addClosure = (start) => {
    const queue = [start];
    while (queue.length) {
      const name = queue.shift();
      const i = indexOf.get(name);
      if (i === undefined || i >= pack.packages.length || sample.has(name)) continue;
      sample.add(name);
      const row = pack.packages[i];
      for (const group of [...row[2], ...row[3], ...row[4]]) {
        const real = group.map((g) => pack.names[g < 0 ? ~g : g]).find((n) => indexOf.get(n) < pack.packages.length);
        if (real) queue.push(real);
      }
    }
  };
  // What every Debian image has (Essential, Priority: required, and their dependencies), then common installs.
  pack.packages.forEach((row, i) => { if (row[6] & 3) addClosure(pack.names[i]); });
  for (const name of COMMON_INSTALLS) addClosure(name);
  const common = sample.size;
  pack.names.slice(0, pack.packages.length).forEach((name, i) => { if (i % STRIDE === 0) sample.add(name); });
  const names = [...sample].sort();
  const downloadBytes = names.reduce((s, n) => s + pack.packages[indexOf.get(n)][1], 0);
  console.log(`gen-debian-data: measuring ${names.length} .debs (${common} from the essential set and common closures), ${(downloadBytes / 1e6).toFixed(0)} MB to download`);
  const debs = path.join(work, 'debs');
  mkdirSync(debs, { recursive: true });
  const measured = [];
  const batchSize = 150;
  for (let start = 0; start < names.length; start += batchSize) {
    const batch = names.slice(start, start + batchSize);
    // Exact versions: the same ones the pack describes.
    const wanted = batch.map((n) => `${n}=${packages.get(n).Version}`);
    try {
      await execFileAsync('apt-get', ['download', '-qq', ...aptOptions, ...wanted], { cwd: debs, maxBuffer: 1 << 26 });
    } catch {
      // One unavailable package fails the whole batch: fetch one by one, skipping the ones that fail.
      for (const one of wanted) {
        try {
          await execFileAsync('apt-get', ['download', '-qq', ...aptOptions, one], { cwd: debs, maxBuffer: 1 << 26 });
        } catch (error) {
          console.warn(`gen-debian-data: could not download ${one}: ${String(error.message).split('\n').find((l) => l.startsWith('E:')) ?? ''}`);
        }
      }
    }
    const files = readdirSync(debs).filter((f) => f.endsWith('.deb'));
    await Promise.all([0, 1].map(async (worker) => {
      for (let k = worker; k < files.length; k += 2) {
        const file = path.join(debs, files[k]);
        const name = decodeURIComponent(files[k].split('_')[0]);
        try {
          const { stdout } = await execFileAsync('dpkg-deb', ['-c', file], { maxBuffer: 1 << 28 });
          const { contentBytes, slimBytes } = contentSizes(stdout);
          if (indexOf.has(name)) measured.push([indexOf.get(name), contentBytes, slimBytes]);
        } catch (error) {
          console.warn(`gen-debian-data: could not list ${files[k]}: ${String(error.message).split('\n')[0]}`);
        }
        rmSync(file, { force: true });
      }
    }));
  }
  measured.sort((a, b) => a[0] - b[0]);
  // Ratios against Installed-Size (KiB), weighted by size: what the engine multiplies unmeasured packages by.
  const strideRows = measured.filter(([i]) => i % STRIDE === 0 && pack.packages[i][0] > 0);
  const ratio = (rows, pick) => rows.reduce((s, r) => s + pick(r), 0) / rows.reduce((s, r) => s + pack.packages[r[0]][0] * 1024, 0);
  const perPackage = strideRows.map((r) => r[2] / (pack.packages[r[0]][0] * 1024)).sort((a, b) => a - b);
  const quantile = (q) => perPackage[Math.min(perPackage.length - 1, Math.floor(q * perPackage.length))];
  const summary = {
    method: 'apt-get download + dpkg-deb -c on a sample; content = regular file bytes + symlink target lengths; slim = content outside the path-excludes (includes kept)',
    excludes: SLIM_EXCLUDES,
    includes: SLIM_INCLUDES,
    measuredAt: new Date().toISOString(),
    sampleSize: measured.length,
    commonClosureSize: common,
    stride: STRIDE,
    /** Over the stride sample, weighted by Installed-Size. */
    contentPerInstalledByte: round4(ratio(strideRows, (r) => r[1])),
    slimPerInstalledByte: round4(ratio(strideRows, (r) => r[2])),
    /** Over every measured package (common closures included). */
    slimPerInstalledByteAllMeasured: round4(ratio(measured.filter((r) => pack.packages[r[0]][0] > 0), (r) => r[2])),
    /** Spread of the per-package slim ratio over the stride sample (10th and 90th percentile). */
    slimRatioP10: round4(quantile(0.1)),
    slimRatioP90: round4(quantile(0.9)),
    measuredLayout: ['nameIndex', 'contentBytes', 'slimContentBytes'],
    measured,
  };
  console.log(`gen-debian-data: slim sample ${measured.length} packages: content/installed ${summary.contentPerInstalledByte}, slim/installed ${summary.slimPerInstalledByte} (all measured ${summary.slimPerInstalledByteAllMeasured}), per-package p10 ${summary.slimRatioP10} p90 ${summary.slimRatioP90}`);
  return summary;
}

const round4 = (x) => Math.round(x * 1e4) / 1e4;

/** The slim measurements of an earlier pack (binary format), its package rows mapped to this pack's by name. */
function reuseSlim(pack, file) {
  const old = decodeDebianPack(readFileSync(file));
  if (old.problem) throw new Error(`${file}: ${old.problem}`);
  if (!old.data.meta.slim) throw new Error(`${file} has no slim measurements to reuse`);
  const indexOf = new Map(pack.names.slice(0, pack.packages.length).map((n, i) => [n, i]));
  const { measuredRows, measuredContent, measuredSlim, names } = old.data;
  const measured = [...measuredRows].flatMap((row, k) => {
    const now = indexOf.get(names.at(row));
    return now === undefined ? [] : [[now, measuredContent[k], measuredSlim[k]]];
  }).sort((a, b) => a[0] - b[0]);
  console.log(`gen-debian-data: reusing ${measured.length} slim measurements from ${file} (measured ${old.data.meta.slim.measuredAt})`);
  return { ...old.data.meta.slim, measured, reusedFrom: path.basename(file) };
}

/** Sums a `dpkg-deb -c` listing: all content, and what survives the slim excludes. */
function contentSizes(listing) {
  let contentBytes = 0;
  let slimBytes = 0;
  for (const line of listing.split('\n')) {
    // -rw-r--r-- root/root      9058 2026-05-08 14:16 ./usr/share/doc/curl/changelog.Debian.gz
    const m = /^([-dlhcbps])\S*\s+\S+\s+(\d+)\s+\S+\s+\S+\s+\.(\/.*?)(?: -> (.*)| link to .*)?$/.exec(line);
    if (!m || m[1] === 'd' || m[1] === 'h') continue;
    const bytes = m[1] === 'l' ? Buffer.byteLength(m[4] ?? '') : Number(m[2]);
    contentBytes += bytes;
    if (!slimSkips(m[3])) slimBytes += bytes;
  }
  return { contentBytes, slimBytes };
}

const globToRegExp = (glob) => new RegExp('^' + glob.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$');
const excludeRes = SLIM_EXCLUDES.map(globToRegExp);
const includeRes = SLIM_INCLUDES.map(globToRegExp);
function slimSkips(file) {
  return excludeRes.some((re) => re.test(file)) && !includeRes.some((re) => re.test(file));
}

// Last, so every constant above is initialised before the first await.
for (const release of releases.length ? releases : ['bookworm', 'trixie']) {
  if (fromJson) convertJsonPack(release, path.resolve(fromJson));
  else await generate(release);
}
