#!/usr/bin/env node
// Builds every case of bench/accuracy/corpus with buildah (vfs, chroot isolation, --layers,
// --pull=never) and records the real content size of each layer of the final image in
// bench/accuracy/results.json. Run bench/accuracy/make-base.sh first (as root).
//
//   node bench/accuracy/measure.mjs                 # measure new/changed/failed cases only
//   node bench/accuracy/measure.mjs --all           # re-measure everything
//   node bench/accuracy/measure.mjs --only a,b      # just these cases (always re-measured)
//   node bench/accuracy/measure.mjs --list          # list the cases and exit
//
// Size = sum over the layer tar of regular files' sizes + symlink target lengths (hard links
// counted once, directories 0): what overlay2 / `docker images` count, not the tar stream length.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, openSync, readFileSync, readSync, closeSync, readdirSync, rmSync, statSync, writeFileSync, lstatSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGunzip } from 'node:zlib';
import { parseDockerfile, LAYER_KEYWORDS } from './dockerfile.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '..', '..');
const corpusDir = join(here, 'corpus');
const workDir = join(here, '.work');
const resultsFile = join(here, 'results.json');
const STORAGE = ['--storage-driver', 'vfs'];
const BASES = { 'debian:bookworm-slim': 'docker.io/library/debian:bookworm-slim', 'debian:bookworm': 'docker.io/library/debian:bookworm' };
const BUILD_TIMEOUT_MS = 30 * 60 * 1000;

// ------------------------------------------------------------------------------------------
// processes

function run(cmd, args, { timeoutMs = 10 * 60 * 1000, logFile } = {}) {
	return new Promise((resolve) => {
		const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
		const out = [];
		const err = [];
		child.stdout.on('data', (d) => out.push(d));
		child.stderr.on('data', (d) => err.push(d));
		const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
		child.on('error', (e) => {
			clearTimeout(timer);
			resolve({ code: -1, stdout: '', stderr: String(e) });
		});
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			const stdout = Buffer.concat(out).toString();
			const stderr = Buffer.concat(err).toString() + (signal ? `\n[killed by ${signal}]` : '');
			if (logFile) writeFileSync(logFile, `$ ${cmd} ${args.join(' ')}\n${stdout}\n--- stderr ---\n${stderr}`);
			resolve({ code: code ?? -1, stdout, stderr });
		});
	});
}

const tail = (s, n = 6) => s.trim().split('\n').slice(-n).join('\n');

// ------------------------------------------------------------------------------------------
// tar content size

/**
 * Streams a (possibly gzip-compressed) tar and sums content bytes like overlay2 does.
 * @returns {Promise<{bytes:number, files:number, symlinks:number, hardlinks:number, whiteouts:number, dirs:number, tarBytes:number}>}
 */
export async function tarContentStats(file) {
	const fd = openSync(file, 'r');
	const magic = Buffer.alloc(2);
	readSync(fd, magic, 0, 2, 0);
	closeSync(fd);
	let stream = createReadStream(file, { highWaterMark: 1 << 20 });
	if (magic[0] === 0x1f && magic[1] === 0x8b) stream = stream.pipe(createGunzip());
	const st = { bytes: 0, files: 0, symlinks: 0, hardlinks: 0, whiteouts: 0, dirs: 0, tarBytes: 0 };
	let buf = Buffer.alloc(0);
	let skip = 0; // bytes of entry data (+padding) still to skip
	let capture = null; // { type, need, parts } for pax/GNU long-name data
	let pax = {}; // pending extended header for the next entry
	let gnuLongName = null;
	let gnuLongLink = null;
	let globalPax = {};

	const parseNum = (h, off, len) => {
		if (h[off] & 0x80) {
			// base-256
			let v = 0;
			for (let k = off + 1; k < off + len; k++) v = v * 256 + h[k];
			return v;
		}
		const s = h.toString('latin1', off, off + len).replace(/[\0 ]+/g, ' ').trim();
		return s ? parseInt(s, 8) : 0;
	};
	const cstr = (h, off, len) => {
		const end = h.indexOf(0, off);
		return h.toString('utf8', off, end === -1 || end > off + len ? off + len : end);
	};
	const parsePax = (data) => {
		const out = {};
		let p = 0;
		while (p < data.length) {
			const sp = data.indexOf(0x20, p);
			if (sp < 0) break;
			const len = parseInt(data.toString('latin1', p, sp), 10);
			if (!len) break;
			const rec = data.toString('utf8', sp + 1, p + len - 1);
			const eq = rec.indexOf('=');
			if (eq > 0) out[rec.slice(0, eq)] = rec.slice(eq + 1);
			p += len;
		}
		return out;
	};

	const onEntry = (h) => {
		const type = String.fromCharCode(h[156] || 0x30);
		let size = parseNum(h, 124, 12);
		let name = cstr(h, 0, 100);
		const prefix = cstr(h, 345, 155);
		if (prefix && h.toString('latin1', 257, 262) === 'ustar') name = `${prefix}/${name}`;
		let linkname = cstr(h, 157, 100);
		const padded = Math.ceil(size / 512) * 512;
		if (type === 'x' || type === 'g' || type === 'L' || type === 'K') {
			capture = { type, need: size, parts: [] };
			skip = padded;
			return;
		}
		const ext = { ...globalPax, ...pax };
		if (ext.size !== undefined) size = Number(ext.size);
		if (ext.path !== undefined) name = ext.path;
		if (ext.linkpath !== undefined) linkname = ext.linkpath;
		if (gnuLongName !== null) name = gnuLongName;
		if (gnuLongLink !== null) linkname = gnuLongLink;
		pax = {};
		gnuLongName = null;
		gnuLongLink = null;
		const base = name.replace(/\/+$/, '').split('/').pop() ?? '';
		if (type === '0' || type === '\0' || type === '7') {
			if (base.startsWith('.wh.')) st.whiteouts++;
			else st.files++;
			st.bytes += size;
		} else if (type === '2') {
			st.symlinks++;
			st.bytes += Buffer.byteLength(linkname);
		} else if (type === '1') {
			st.hardlinks++;
		} else if (type === '5') {
			st.dirs++;
		}
		skip = type === '5' || type === '1' || type === '2' || type === '3' || type === '4' || type === '6' ? 0 : Math.ceil(size / 512) * 512;
	};

	for await (const chunk of stream) {
		st.tarBytes += chunk.length;
		buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
		let off = 0;
		for (;;) {
			if (skip > 0) {
				const n = Math.min(skip, buf.length - off);
				if (capture && capture.need > 0) {
					const take = Math.min(n, capture.need);
					capture.parts.push(Buffer.from(buf.subarray(off, off + take)));
					capture.need -= take;
				}
				off += n;
				skip -= n;
				if (skip > 0) break;
				if (capture) {
					const data = Buffer.concat(capture.parts);
					if (capture.type === 'x') pax = parsePax(data);
					else if (capture.type === 'g') globalPax = { ...globalPax, ...parsePax(data) };
					else if (capture.type === 'L') gnuLongName = data.toString('utf8').replace(/\0+$/, '');
					else if (capture.type === 'K') gnuLongLink = data.toString('utf8').replace(/\0+$/, '');
					capture = null;
				}
				continue;
			}
			if (buf.length - off < 512) break;
			const h = buf.subarray(off, off + 512);
			off += 512;
			let zero = true;
			for (let k = 0; k < 512; k += 8) if (h.readBigUInt64LE(k) !== 0n) { zero = false; break; }
			if (zero) continue;
			onEntry(h);
		}
		buf = off < buf.length ? Buffer.from(buf.subarray(off)) : Buffer.alloc(0);
	}
	return st;
}

// ------------------------------------------------------------------------------------------
// images

async function imageLayers(ref, caseWork) {
	const dir = join(caseWork, 'oci');
	rmSync(dir, { recursive: true, force: true });
	const r = await run('podman', [...STORAGE, 'save', '--format', 'oci-dir', '-o', dir, ref]);
	if (r.code !== 0) throw new Error(`podman save failed: ${tail(r.stderr)}`);
	try {
		const blob = (d) => join(dir, 'blobs', ...d.split(':'));
		const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8'));
		const manifest = JSON.parse(readFileSync(blob(index.manifests[0].digest), 'utf8'));
		const config = JSON.parse(readFileSync(blob(manifest.config.digest), 'utf8'));
		const layers = [];
		for (const l of manifest.layers) layers.push({ digest: l.digest, ...(await tarContentStats(blob(l.digest))) });
		return { layers, history: config.history ?? [], config };
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

async function imageIds() {
	const r = await run('podman', [...STORAGE, 'images', '-a', '-q', '--no-trunc']);
	return new Set(r.stdout.split('\n').map((s) => s.trim()).filter(Boolean));
}

async function builderVersion() {
	const r = await run('buildah', ['--version']);
	const m = /version\s+(\d+)\.(\d+)\.(\d+)/.exec(r.stdout);
	return m ? { text: `buildah ${m[1]}.${m[2]}.${m[3]}`, major: +m[1], minor: +m[2] } : { text: 'buildah ?', major: 0, minor: 0 };
}

// ------------------------------------------------------------------------------------------
// cases

function listCases() {
	return readdirSync(corpusDir, { withFileTypes: true })
		.filter((d) => d.isDirectory() && existsSync(join(corpusDir, d.name, 'Dockerfile')))
		.map((d) => d.name)
		.sort();
}

/** Content hash of a case folder (Dockerfile + context), to re-measure only what changed. */
function caseHash(name) {
	const h = createHash('sha256');
	const root = join(corpusDir, name);
	const walk = (d) => {
		for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
			const p = join(d, e.name);
			const rel = relative(root, p);
			if (e.name === 'host-ca.crt') continue; // machine-specific, never in a layer
			if (e.isDirectory()) walk(p);
			else if (e.isSymbolicLink()) h.update(`L ${rel}\n`);
			else {
				h.update(`F ${rel} ${lstatSync(p).size}\n`);
				h.update(readFileSync(p));
			}
		}
	};
	walk(root);
	return h.digest('hex').slice(0, 16);
}

/** buildah < 1.33 has no heredoc support: run the same script through base64 | sh instead. */
function rewriteHeredocs(text, parsed) {
	const lines = text.split(/\r?\n/);
	let changed = false;
	for (const ins of [...parsed.instructions].reverse()) {
		if (!ins.heredocs.length) continue;
		if (ins.keyword !== 'RUN' || ins.heredocs.length !== 1 || !/^<<-?["']?\w+["']?\s*$/.test(ins.rest.trim())) {
			throw new Error(`heredoc ${ins.keyword} at line ${ins.line + 1} cannot be rewritten for this buildah`);
		}
		const b64 = Buffer.from(ins.heredocs[0].body).toString('base64');
		const flags = ins.flags.length ? ins.flags.join(' ') + ' ' : '';
		lines.splice(ins.line, ins.endLine - ins.line + 1, `RUN ${flags}echo ${b64} | base64 -d | sh`);
		changed = true;
	}
	return changed ? lines.join('\n') : null;
}

/** A created_by string from buildah's history, reduced to the instruction it came from. */
function historyKeyword(createdBy) {
	const nop = /#\(nop\)\s+([A-Z]+)/.exec(createdBy);
	if (nop) return nop[1];
	return 'RUN';
}

async function removeImage(ref) {
	await run('podman', [...STORAGE, 'rmi', ref]);
}

/**
 * Remove the untagged intermediate images a build left (created since it started, last history
 * entry taken from this Dockerfile): a failed build's steps, or stages the final image does not
 * descend from. Other people's images are
 * never touched; images in use (children, containers) are refused by podman anyway.
 */
async function removeLeftovers(before, sinceMs, dockerfileText) {
	const norm = (s) => s.replace(/\\\s*\n/g, ' ').replace(/\s+/g, ' ');
	const text = norm(dockerfileText);
	const after = await imageIds();
	for (const id of [...after].filter((x) => !before.has(x))) {
		const r = await run('podman', [...STORAGE, 'image', 'inspect', id, '--format', '{{json .RepoTags}}|{{.Created.Unix}}|{{json .History}}']);
		if (r.code !== 0) continue;
		const [tags, created, ...hist] = r.stdout.trim().split('|');
		if (JSON.parse(tags || 'null')?.length) continue;
		if (Number(created) * 1000 < sinceMs - 2000) continue;
		const history = JSON.parse(hist.join('|') || '[]') ?? [];
		const last = norm(history[history.length - 1]?.created_by ?? '');
		const nop = /#\(nop\) ([A-Z]+) (.*)$/.exec(last);
		let ours;
		if (nop) ours = nop[1] === 'COPY' || nop[1] === 'ADD' ? text.includes(nop[2].split(' in ').pop().trim()) : text.includes(`${nop[1]} ${nop[2]}`.slice(0, 60));
		else ours = text.includes(last.replace(/^\|\d+ (\S+=\S* )*/, '').replace(/^\/bin\/sh -c /, '').slice(0, 60));
		if (ours) await run('podman', [...STORAGE, 'rmi', id]);
	}
}

async function measureCase(name, version) {
	const dir = join(corpusDir, name);
	const dockerfile = join(dir, 'Dockerfile');
	const text = readFileSync(dockerfile, 'utf8');
	const parsed = parseDockerfile(text);
	const caseWork = join(workDir, name);
	mkdirSync(caseWork, { recursive: true });
	const base = {
		name,
		dockerfile: relative(repoRoot, dockerfile).split('\\').join('/'),
		description: parsed.meta.description ?? '',
		inputHash: caseHash(name),
	};
	const notes = [];
	let buildFile = dockerfile;
	const supportsHeredoc = version.major > 1 || version.minor >= 33;
	if (!supportsHeredoc && parsed.instructions.some((i) => i.heredocs.length)) {
		const rewritten = rewriteHeredocs(text, parsed);
		buildFile = join(caseWork, 'Dockerfile.rewritten');
		writeFileSync(buildFile, rewritten);
		notes.push(`${version.text} has no heredoc support: each heredoc RUN was built as "RUN echo <base64 of the body> | base64 -d | sh" (same files, same layer count)`);
	}
	const targets = [{ stageName: null }];
	if (parsed.meta['measure-target']) for (const t of parsed.meta['measure-target'].split(/[ ,]+/).filter(Boolean)) targets.push({ stageName: t.toLowerCase() });

	const out = [];
	const caseStart = Date.now();
	const caseBefore = await imageIds();
	for (const target of targets) {
		const label = target.stageName ? `${name}#${target.stageName}` : name;
		const ref = `localhost/lean-acc/${name}${target.stageName ? '-' + target.stageName : ''}:latest`;
		const entry = { ...base, name: label };
		if (target.stageName) entry.target = target.stageName;
		if (notes.length) entry.notes = [...notes];
		const stage = target.stageName ? parsed.stages.find((s) => s.name === target.stageName) : parsed.stages[parsed.stages.length - 1];
		const t0 = Date.now();
		const before = await imageIds();
		try {
			if (!stage) throw new Error(`no stage named ${target.stageName}`);
			const buildArgs = [...STORAGE, 'build', '--isolation', 'chroot', '--layers', '--force-rm', '--network', 'host', '--pull=never', '-t', ref, '-f', buildFile];
			if (target.stageName) buildArgs.push('--target', target.stageName);
			buildArgs.push(dir);
			const b = await run('buildah', buildArgs, { timeoutMs: BUILD_TIMEOUT_MS, logFile: join(caseWork, `build${target.stageName ? '-' + target.stageName : ''}.log`) });
			entry.buildSeconds = Math.round((Date.now() - t0) / 100) / 10;
			if (b.code !== 0) throw new Error(`buildah build failed (exit ${b.code}): ${tail(b.stdout + '\n' + b.stderr, 4)}`);
			const img = await imageLayers(ref, caseWork);
			const nonEmpty = img.history.filter((h) => !h.empty_layer);
			if (nonEmpty.length !== img.layers.length) throw new Error(`history has ${nonEmpty.length} layer entries but the manifest has ${img.layers.length} layers`);
			// the stage's own instructions are the last K history entries (buildah records one per
			// instruction, with empty_layer for metadata-only ones such as ENV, WORKDIR, USER)
			const own = stage.instructions;
			const hist = img.history.slice(img.history.length - own.length);
			if (hist.length !== own.length) throw new Error(`history shorter than the stage's ${own.length} instructions`);
			let layerIdx = img.layers.length - hist.filter((h) => !h.empty_layer).length;
			const baseLayers = img.layers.slice(0, layerIdx);
			const layers = [];
			own.forEach((ins, k) => {
				const h = hist[k];
				const hk = historyKeyword(h.created_by ?? '');
				if (hk !== ins.keyword && !(ins.keyword === 'RUN' && hk === 'RUN')) {
					throw new Error(`history entry "${(h.created_by ?? '').slice(0, 60)}" does not match ${ins.keyword} at line ${ins.line}`);
				}
				if (h.empty_layer) {
					if (LAYER_KEYWORDS.has(ins.keyword)) notes.push(`${ins.keyword} at line ${ins.line} made no layer`);
					return;
				}
				const l = img.layers[layerIdx++];
				layers.push({
					line: ins.line,
					instruction: ins.keyword,
					createdBy: (h.created_by ?? '').slice(0, 300),
					bytes: l.bytes,
					files: l.files,
					symlinks: l.symlinks,
					whiteouts: l.whiteouts,
				});
			});
			entry.totalBytes = img.layers.reduce((s, l) => s + l.bytes, 0);
			entry.baseBytes = baseLayers.reduce((s, l) => s + l.bytes, 0);
			entry.tarBytes = img.layers.reduce((s, l) => s + l.tarBytes, 0);
			entry.layers = layers;
			if (notes.length) entry.notes = [...new Set(notes)];
			console.log(`  ${label}: total ${mb(entry.totalBytes)}, base ${mb(entry.baseBytes)}, layers ${layers.map((l) => `L${l.line}:${l.instruction}=${mb(l.bytes)}`).join(' ')} (${entry.buildSeconds}s)`);
		} catch (e) {
			entry.error = String(e?.message ?? e);
			entry.buildSeconds ??= Math.round((Date.now() - t0) / 100) / 10;
			console.log(`  ${label}: ERROR ${entry.error}`);
		} finally {
			await removeImage(ref);
		}
		if (entry.error) await removeLeftovers(before, t0, text).catch(() => {});
		out.push(entry);
	}
	// untagged images of stages the final image does not descend from (a builder stage feeding a
	// FROM scratch, say) survive `podman rmi` of the final image: remove this case's ones
	await removeLeftovers(caseBefore, caseStart, text).catch(() => {});
	return out;
}

const mb = (b) => `${(b / 1e6).toFixed(2)} MB`;

async function measureBases() {
	const bases = {};
	for (const [short, ref] of Object.entries(BASES)) {
		const exists = await run('podman', [...STORAGE, 'image', 'exists', ref]);
		if (exists.code !== 0) throw new Error(`${ref} is missing: run bench/accuracy/make-base.sh first`);
		const w = join(workDir, '_base');
		mkdirSync(w, { recursive: true });
		const img = await imageLayers(ref, w);
		bases[short] = img.layers.reduce((s, l) => s + l.bytes, 0);
		console.log(`base ${short}: ${mb(bases[short])}`);
	}
	return bases;
}

// ------------------------------------------------------------------------------------------

async function main() {
	const argv = process.argv.slice(2);
	const all = argv.includes('--all');
	const onlyIdx = argv.indexOf('--only');
	const only = onlyIdx >= 0 ? (argv[onlyIdx + 1] ?? '').split(',').filter(Boolean) : null;
	const cases = listCases();
	if (argv.includes('--list')) {
		for (const c of cases) console.log(c);
		return;
	}
	if (only) for (const o of only) if (!cases.includes(o)) throw new Error(`unknown case ${o} (see --list)`);

	const gen = await run(process.execPath, [join(here, 'gen-context.mjs'), '--quiet']);
	if (gen.code !== 0) throw new Error(`gen-context failed: ${gen.stderr}`);
	mkdirSync(workDir, { recursive: true });

	const version = await builderVersion();
	let results = { version: 1, generatedAt: null, tool: version.text, bases: {}, cases: [] };
	if (existsSync(resultsFile)) {
		try {
			results = { ...results, ...JSON.parse(readFileSync(resultsFile, 'utf8')) };
		} catch {
			console.warn('results.json unreadable: starting afresh');
		}
	}
	if (all || !results.bases || Object.keys(results.bases).length < 2) results.bases = await measureBases();

	const byName = new Map(results.cases.map((c) => [c.name, c]));
	const todo = cases.filter((c) => {
		if (only) return only.includes(c);
		if (all) return true;
		const prev = byName.get(c);
		return !prev || prev.error || prev.inputHash !== caseHash(c) || [...byName.values()].some((p) => p.name.startsWith(`${c}#`) && p.error);
	});
	console.log(`${version.text}: measuring ${todo.length} of ${cases.length} case(s)`);
	const measuredHere = new Set();
	const save = () => {
		// Another measure.mjs may have saved cases since this one started (several people share the
		// machine): keep what the file has now, and replace only the cases measured by this run.
		try {
			for (const c of JSON.parse(readFileSync(resultsFile, 'utf8')).cases ?? []) if (!measuredHere.has(c.name.split('#')[0])) byName.set(c.name, c);
		} catch {
			// unreadable or missing: this run's view stands
		}
		const known = new Set(cases);
		results.cases = [...byName.values()].filter((c) => known.has(c.name.split('#')[0])).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
		results.generatedAt = new Date().toISOString();
		results.tool = version.text;
		const ordered = { version: 1, generatedAt: results.generatedAt, tool: results.tool, bases: results.bases, sizeDefinition: 'content bytes: regular files + symlink target lengths, hard links once, directories 0 (overlay2 / docker images); MB = 1e6 bytes', cases: results.cases };
		writeFileSync(resultsFile, JSON.stringify(ordered, null, '\t') + '\n');
	};
	for (const [k, c] of todo.entries()) {
		console.log(`[${k + 1}/${todo.length}] ${c}`);
		for (const key of [...byName.keys()]) if (key === c || key.startsWith(`${c}#`)) byName.delete(key);
		measuredHere.add(c);
		const entries = await measureCase(c, version);
		for (const e of entries) byName.set(e.name, e);
		save();
	}
	save();
	const failed = [...byName.values()].filter((c) => c.error);
	console.log(`done: ${byName.size} result(s), ${failed.length} failed${failed.length ? ': ' + failed.map((f) => f.name).join(', ') : ''}`);
}

main().catch((e) => {
	console.error(e?.stack ?? e);
	process.exit(1);
});
