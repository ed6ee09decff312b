/**
 * A small ReDoS probe: finds every regular expression literal in the sources (with the TypeScript parser,
 * so new ones are covered without editing a list), builds adversarial inputs for each from its own
 * pattern (a prefix that reaches each quantified part, then that part's characters pumped 100,000 times and
 * a character that makes the match fail), and runs them in a worker that is terminated when one pattern
 * runs past a generous bound. Linear patterns finish in milliseconds; polynomial ones take minutes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import ts from 'typescript';

export interface RegexLiteral { file: string; line: number; source: string; flags: string }

export function regexLiterals(dir: string): RegexLiteral[] {
  const out: RegexLiteral[] = [];
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts') || entry.name.endsWith('.d.ts')) continue;
    const file = path.join(entry.parentPath ?? (entry as unknown as { path: string }).path, entry.name);
    const sourceFile = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node) => {
      if (ts.isRegularExpressionLiteral(node)) {
        const text = node.text;
        const slash = text.lastIndexOf('/');
        out.push({ file, line: sourceFile.getLineAndCharacterOfPosition(node.getStart()).line + 1, source: text.slice(1, slash), flags: text.slice(slash + 1) });
      }
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
  }
  return out;
}

const pump = 100000;
const escapes: Record<string, string[]> = { s: [' ', '\t'], S: ['a'], w: ['a', '0'], W: [' ', '-'], d: ['0'], D: ['a'], n: ['\n'], r: ['\r'], t: ['\t'], f: ['\f'], v: ['\v'] };

/** Characters a character class accepts (a few representatives), from its body text. */
function classCharacters(body: string): string[] {
  const negated = body.startsWith('^');
  const chars = new Set<string>();
  for (let i = negated ? 1 : 0; i < body.length; i++) {
    let c = body[i];
    if (c === '\\') {
      const e = body[++i];
      if (escapes[e]) { escapes[e].forEach((x) => chars.add(x)); continue; }
      c = e === 'u' ? String.fromCharCode(parseInt(body.slice(i + 1, i + 5), 16) || 0x61) : e;
      if (e === 'u') i += 4;
    }
    chars.add(c);
    if (body[i + 1] === '-' && i + 2 < body.length && body[i + 2] !== ']') i += 2; // a range: its first character stands for it
  }
  if (!negated) return [...chars].slice(0, 8);
  return ['a', ' ', '/', '0', '-', '\t', '*'].filter((c) => !chars.has(c)).slice(0, 4);
}

/**
 * Walks the pattern once, keeping a sample string that matches it so far and, at every quantifier, the
 * sample so far (the prefix) and the characters of the quantified atom.
 */
function pumpPoints(source: string): { prefix: string; units: string[] }[] {
  const points: { prefix: string; units: string[] }[] = [];
  /** Index of the `)` closing the group opened at `open`. */
  const closeOf = (open: number): number => {
    let depth = 0;
    for (let j = open; j < source.length; j++) {
      if (source[j] === '\\') j++;
      else if (source[j] === '[') { j++; while (j < source.length && source[j] !== ']') j += source[j] === '\\' ? 2 : 1; }
      else if (source[j] === '(') depth++;
      else if (source[j] === ')' && --depth === 0) return j;
    }
    return source.length;
  };
  // Open groups: where they open in the pattern and where their sample text starts.
  const groups: { open: number; start: number }[] = [];
  let sample = '';
  let atom: { start: number; units: string[] } | null = null;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '*' || c === '+' || c === '?' || c === '{') {
      if (c === '{') { const close = source.indexOf('}', i); i = close < 0 ? i : close; }
      if (source[i + 1] === '?' || source[i + 1] === '+') i++;
      if (atom) points.push({ prefix: sample.slice(0, atom.start), units: atom.units });
      atom = null;
      continue;
    }
    const start = sample.length;
    let units: string[];
    if (c === '\\') {
      const e = source[++i];
      if (e === 'b' || e === 'B') { atom = null; continue; }
      if (e === 'u') { units = [String.fromCharCode(parseInt(source.slice(i + 1, i + 5), 16) || 0x61)]; i += 4; }
      else if (e === 'x') { units = [String.fromCharCode(parseInt(source.slice(i + 1, i + 3), 16) || 0x61)]; i += 2; }
      else units = escapes[e] ?? [e];
    } else if (c === '[') {
      let j = i + 1;
      while (j < source.length && source[j] !== ']') j += source[j] === '\\' ? 2 : 1;
      units = classCharacters(source.slice(i + 1, j));
      i = j;
    } else if (c === '(') {
      const open = i;
      if (source[i + 1] === '?') {
        const lookaround = source[i + 2] === '=' || source[i + 2] === '!' || (source[i + 2] === '<' && (source[i + 3] === '=' || source[i + 3] === '!'));
        if (lookaround) { i = closeOf(i); atom = null; continue; }
        i = source[i + 2] === '<' ? source.indexOf('>', i) : i + 2;
      }
      groups.push({ open, start: sample.length });
      atom = null;
      continue;
    } else if (c === '|') {
      // Keep the first alternative: jump to the end of the enclosing group (or stop at the top level).
      const group = groups[groups.length - 1];
      if (!group) break;
      i = closeOf(group.open) - 1;
      atom = null;
      continue;
    } else if (c === ')') {
      const group = groups.pop();
      atom = group ? { start: group.start, units: [sample.slice(group.start) || 'a'] } : null;
      continue;
    } else if (c === '^' || c === '$') {
      atom = null;
      continue;
    } else if (c === '.') {
      units = ['a', ' '];
    } else {
      units = [c];
    }
    sample += units[0] ?? '';
    atom = { start, units };
  }
  return points;
}

/** Inputs meant to make a backtracking pattern slow; a linear one reads each in one pass. */
export function adversarialInputs(source: string): string[] {
  const inputs = new Set<string>();
  for (const { prefix, units } of pumpPoints(source)) {
    for (const unit of units) {
      if (unit === '') continue;
      const body = unit.repeat(Math.ceil(pump / unit.length));
      for (const tail of ['!', '\u0000', '\n!']) inputs.add(prefix + body + tail);
    }
  }
  for (const unit of [' ', 'a', '/', '*', '$', '{', '<', '#', '-', ',', '\\', 'a ', '/*', '${', '<<a', ' -a']) inputs.add(unit.repeat(pump / unit.length) + '!');
  return [...inputs];
}

/** Where each probed pattern stands: finished, or still running when the bound passed. */
export interface ProbeResult { slow: RegexLiteral[]; probed: number }

/** Worker side: builds each pattern's inputs when it gets to it (all at once would be hundreds of MB). */
export function runProbeWorker(): void {
  const { parentPort, workerData } = require('node:worker_threads') as typeof import('node:worker_threads');
  (workerData.literals as RegexLiteral[]).forEach((literal, index) => {
    parentPort!.postMessage({ started: index });
    const pattern = new RegExp(literal.source, literal.flags);
    for (const input of adversarialInputs(literal.source)) {
      pattern.lastIndex = 0;
      if (pattern.global) for (const _ of input.matchAll(pattern)) { /* read them all */ }
      else pattern.exec(input);
      input.replace(pattern, '');
      input.split(pattern);
    }
  });
  parentPort!.postMessage({ done: true });
}

const workerSource = `require('tsx/cjs'); require(${JSON.stringify(__filename)}).runProbeWorker();`;

/** Runs every literal over its adversarial inputs; a pattern still running after `boundMs` is reported slow. */
export async function probeRegexes(literals: RegexLiteral[], boundMs: number, maxSlow = Infinity): Promise<ProbeResult> {
  const slow: RegexLiteral[] = [];
  let from = 0;
  while (from < literals.length && slow.length < maxSlow) {
    const next = await new Promise<number>((resolve, reject) => {
      const worker = new Worker(workerSource, { eval: true, workerData: { literals: literals.slice(from) } });
      let current = from;
      let timer = setTimeout(() => undefined, 0);
      const arm = () => {
        clearTimeout(timer);
        timer = setTimeout(() => { void worker.terminate(); slow.push(literals[current]); resolve(current + 1); }, boundMs);
      };
      worker.on('message', (m: { started?: number; done?: boolean }) => {
        if (m.done) { clearTimeout(timer); void worker.terminate(); resolve(literals.length); return; }
        current = from + (m.started as number);
        arm();
      });
      worker.on('error', (error) => { clearTimeout(timer); reject(error); });
    });
    from = next;
  }
  return { slow, probed: literals.length };
}
