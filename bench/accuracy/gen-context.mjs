#!/usr/bin/env node
// Generates the large or binary build-context files of the accuracy corpus, deterministically
// (same bytes on every machine), so they need not be committed. Idempotent: a file that already
// has the expected size is left alone. Also copies the host's CA bundle into the npm cases
// (host-ca.crt, excluded by their .dockerignore and only bind-mounted during `npm install`).
//
//   node bench/accuracy/gen-context.mjs [--quiet]
import { createCipheriv, createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync, copyFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { spawnSync } from 'node:child_process';

const here = dirname(fileURLToPath(import.meta.url));
const corpus = join(here, 'corpus');
const quiet = process.argv.includes('--quiet');
const MiB = 1024 * 1024;

/** Incompressible, deterministic bytes: AES-128-CTR keystream keyed by a label. */
export function randomBytesFor(label, size) {
	const key = createHash('sha256').update(`dockerfile-lean:${label}`).digest();
	const cipher = createCipheriv('aes-128-ctr', key.subarray(0, 16), key.subarray(16, 32));
	return Buffer.concat([cipher.update(Buffer.alloc(size)), cipher.final()]);
}

/** Compressible, deterministic text of exactly `size` bytes. */
function textFor(label, size) {
	const lines = [];
	let n = 0;
	let i = 0;
	while (n < size) {
		const line = `${label} line ${i++}: the quick brown fox jumps over the lazy dog\n`;
		lines.push(line);
		n += line.length;
	}
	return Buffer.from(lines.join('')).subarray(0, size);
}

let written = 0;
function put(rel, makeBuf, size) {
	const file = join(corpus, rel);
	if (existsSync(file) && statSync(file).size === size) return;
	mkdirSync(dirname(file), { recursive: true });
	const buf = makeBuf();
	if (buf.length !== size) throw new Error(`${rel}: made ${buf.length} bytes, expected ${size}`);
	writeFileSync(file, buf);
	written++;
	if (!quiet) console.log(`wrote ${rel} (${size} bytes)`);
}
const rand = (rel, size) => put(rel, () => randomBytesFor(rel, size), size);

/** Minimal deterministic ustar writer (regular files, directories and symlinks, root-owned, fixed mtime). */
function ustar(entries) {
	const blocks = [];
	const oct = (v, len) => v.toString(8).padStart(len - 1, '0') + '\0';
	for (const e of entries) {
		const h = Buffer.alloc(512);
		h.write(e.name, 0, 100, 'utf8');
		h.write(oct(e.dir ? 0o755 : e.link ? 0o777 : 0o644, 8), 100);
		h.write(oct(0, 8), 108);
		h.write(oct(0, 8), 116);
		h.write(oct(e.dir || e.link ? 0 : e.data.length, 12), 124);
		h.write(oct(1700000000, 12), 136);
		h.write('        ', 148);
		h.write(e.dir ? '5' : e.link ? '2' : '0', 156);
		if (e.link) h.write(e.link, 157, 100, 'utf8');
		h.write('ustar\0', 257);
		h.write('00', 263);
		h.write('root', 265);
		h.write('root', 297);
		let sum = 0;
		for (const b of h) sum += b;
		h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
		blocks.push(h);
		if (!e.dir && !e.link) {
			blocks.push(e.data);
			const pad = (512 - (e.data.length % 512)) % 512;
			if (pad) blocks.push(Buffer.alloc(pad));
		}
	}
	blocks.push(Buffer.alloc(1024));
	return Buffer.concat(blocks);
}

// copy-context-ignore: 8 MiB copied + 1 MiB re-included, 8 MiB excluded
for (let i = 1; i <= 4; i++) rand(`copy-context-ignore/data/a/f0${i}.bin`, MiB);
for (let i = 5; i <= 8; i++) rand(`copy-context-ignore/data/b/nested/f0${i}.bin`, MiB);
rand('copy-context-ignore/data/b/nested/skip1.tmp', MiB);
rand('copy-context-ignore/data/b/nested/skip2.tmp', MiB);
rand('copy-context-ignore/data/b/nested/keep.tmp', MiB);
rand('copy-context-ignore/logs/l1.log', MiB);
rand('copy-context-ignore/logs/l2.log', MiB);
rand('copy-context-ignore/big/ignored/g1.bin', 2 * MiB);
rand('copy-context-ignore/big/ignored/g2.bin', 2 * MiB);

// copy-small-files: 300 files x 1000 bytes
for (let a = 0; a < 3; a++)
	for (let b = 0; b < 10; b++)
		for (let c = 0; c < 10; c++) {
			const rel = `copy-small-files/site/d${a}/s${b}/file${c}.txt`;
			put(rel, () => textFor(rel, 1000), 1000);
		}

// add-local-file: 3 MiB random file + a gzipped tar of 4 MiB text and 512 KiB random
rand('add-local-file/big.bin', 3 * MiB);
{
	const tar = ustar([
		{ name: 'payload/', dir: true },
		{ name: 'payload/lines.txt', data: textFor('payload', 4 * MiB) },
		{ name: 'payload/random.bin', data: randomBytesFor('payload/random.bin', 512 * 1024) },
	]);
	const gz = gzipSync(tar, { level: 9 });
	put('add-local-file/payload.tar.gz', () => gz, gz.length);
}

// add-archive-formats: tars that ADD unpacks whatever their compression (decided by content, not name),
// and a gzip file that is not a tar (copied as it is). xz and bzip2 come from the system's xz/bzip2.
{
	const smallFiles = (label, count, size) =>
		Array.from({ length: count }, (_, i) => ({ name: `${label}/f${String(i).padStart(3, '0')}.txt`, data: textFor(`${label}-${i}`, size) }));
	const plain = ustar([
		{ name: 'plain/', dir: true },
		...smallFiles('plain', 50, 700),
		{ name: 'plain/random.bin', data: randomBytesFor('add-archive-formats/plain', 1024 * 1024) },
		{ name: 'plain/link-to-random', link: 'random.bin' },
	]);
	put('add-archive-formats/plain.tar', () => plain, plain.length);
	const many = ustar([{ name: 'many/', dir: true }, ...smallFiles('many', 300, 700), { name: 'many/lines.txt', data: textFor('many', 2 * MiB) }]);
	const bz = ustar([{ name: 'bz/', dir: true }, { name: 'bz/lines.txt', data: textFor('bz', MiB) }]);
	for (const [rel, tool, data] of [
		['add-archive-formats/many.tar.xz', 'xz', many],
		['add-archive-formats/data.tar.bz2', 'bzip2', bz],
	]) {
		const file = join(corpus, rel);
		if (existsSync(file)) continue;
		const r = spawnSync(tool, ['-9', '-c'], { input: data, maxBuffer: 64 << 20 });
		if (r.status !== 0) {
			console.error(`gen-context: ${tool} not available, ${rel} not written`);
			continue;
		}
		writeFileSync(file, r.stdout);
		written++;
		if (!quiet) console.log(`wrote ${rel} (${r.stdout.length} bytes)`);
	}
	const notTar = gzipSync(textFor('notes', 512 * 1024), { level: 9 });
	put('add-archive-formats/notes.txt.gz', () => notTar, notTar.length);
	const packed = gzipSync(ustar([{ name: 'packed/', dir: true }, { name: 'packed/lines.txt', data: textFor('packed', 1536 * 1024) }]), { level: 9 });
	put('add-archive-formats/packed.bin', () => packed, packed.length);
}

// pip-local-package: 2 MiB data file inside the package
rand('pip-local-package/pkg/leanpkg/data.bin', 2 * MiB);

// npm cases: the host CA bundle (TLS-intercepting proxy), bind-mounted only while npm runs
const caSource = [process.env.NODE_EXTRA_CA_CERTS, '/etc/ssl/certs/ca-certificates.crt'].find(
	(p) => p && existsSync(p),
);
for (const c of ['npm-install', 'npm-install-cache-clean', 'npm-ci-omit-dev', 'yarn-install-frozen']) {
	const dst = join(corpus, c, 'host-ca.crt');
	if (!caSource) {
		if (!existsSync(dst)) writeFileSync(dst, '');
		continue;
	}
	if (!existsSync(dst) || !readFileSync(dst).equals(readFileSync(caSource))) {
		copyFileSync(caSource, dst);
		written++;
		if (!quiet) console.log(`copied ${caSource} -> ${c}/host-ca.crt`);
	}
}

if (!quiet) console.log(written ? `gen-context: ${written} file(s) written` : 'gen-context: up to date');
