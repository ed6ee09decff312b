// Small Dockerfile reader for the accuracy benchmark (no dependencies): enough to find each
// instruction's keyword line (0-based), its stage, and its heredocs. Handles the escape
// directive, line continuations, comment lines inside continuations and heredocs (<<EOF, <<-EOF,
// quoted delimiters).

const HEREDOC_RE = /<<(-?)(["']?)([A-Za-z_][A-Za-z0-9_]*)\2/g;

/**
 * @param {string} text
 * @returns {{ directives: Record<string,string>, meta: Record<string,string>, instructions: Instr[], stages: Stage[] }}
 * @typedef {{ line: number, endLine: number, keyword: string, args: string, flags: string[], heredocs: {delim: string, strip: boolean, body: string}[], stage: number }} Instr
 * @typedef {{ index: number, name: string|null, from: string, line: number, instructions: Instr[] }} Stage
 */
export function parseDockerfile(text) {
	const lines = text.split(/\r?\n/);
	const directives = {};
	const meta = {};
	let escape = '\\';
	let i = 0;
	// parser directives: leading "# key=value" lines
	for (; i < lines.length; i++) {
		const m = /^#\s*([a-zA-Z]+)\s*=\s*(\S+)\s*$/.exec(lines[i]);
		if (!m) break;
		directives[m[1].toLowerCase()] = m[2];
		if (m[1].toLowerCase() === 'escape') escape = m[2];
	}
	// benchmark metadata: "# description: ..." / "# measure-target: ..." comment lines anywhere
	for (const l of lines) {
		const m = /^#\s*(description|measure-target)\s*:\s*(.*)$/.exec(l.trim());
		if (m) meta[m[1]] = m[2].trim();
	}
	const instructions = [];
	const stages = [];
	i = 0;
	while (i < lines.length) {
		const raw = lines[i];
		const t = raw.trim();
		if (t === '' || t.startsWith('#')) {
			i++;
			continue;
		}
		const start = i;
		let logical = '';
		let cur = raw;
		for (;;) {
			const trimmedEnd = cur.replace(/\s+$/, '');
			if (trimmedEnd.endsWith(escape) && i + 1 < lines.length) {
				logical += trimmedEnd.slice(0, -escape.length) + ' ';
				i++;
				// skip comment and empty lines inside a continuation
				while (i < lines.length && /^\s*(#.*)?$/.test(lines[i]) && i + 1 < lines.length) i++;
				cur = lines[i];
				continue;
			}
			logical += cur;
			break;
		}
		i++;
		const m = /^\s*([A-Za-z]+)\s*(.*)$/.exec(logical);
		if (!m) continue;
		const keyword = m[1].toUpperCase();
		let args = m[2];
		const heredocs = [];
		if (keyword === 'RUN' || keyword === 'COPY' || keyword === 'ADD') {
			for (const h of args.matchAll(HEREDOC_RE)) {
				const strip = h[1] === '-';
				const delim = h[3];
				const body = [];
				while (i < lines.length) {
					const l = lines[i++];
					if ((strip ? l.replace(/^\t+/, '') : l) === delim) break;
					body.push(strip ? l.replace(/^\t+/, '') : l);
				}
				heredocs.push({ delim, strip, body: body.join('\n') + '\n', quoted: h[2] !== '' });
			}
		}
		const flags = [];
		let rest = args;
		for (;;) {
			const f = /^--([a-zA-Z-]+)(=(\S+))?\s*/.exec(rest);
			if (!f) break;
			flags.push(f[0].trim());
			rest = rest.slice(f[0].length);
		}
		const ins = { line: start, endLine: i - 1, keyword, args, rest, flags, heredocs, stage: -1 };
		if (keyword === 'FROM') {
			const fm = /^(\S+)(?:\s+AS\s+(\S+))?/i.exec(rest.trim());
			stages.push({ index: stages.length, name: fm?.[2]?.toLowerCase() ?? null, from: fm?.[1] ?? '', line: start, instructions: [] });
		}
		if (stages.length) {
			ins.stage = stages.length - 1;
			if (keyword !== 'FROM') stages[stages.length - 1].instructions.push(ins);
		}
		instructions.push(ins);
	}
	return { directives, meta, instructions, stages };
}

/** Instructions that make a layer in buildah (WORKDIR does not; every RUN does). */
export const LAYER_KEYWORDS = new Set(['RUN', 'COPY', 'ADD']);
