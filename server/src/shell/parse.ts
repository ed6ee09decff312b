/**
 * RUN text → commands with argv, through mvdan-sh (the Go `mvdan.cc/sh` parser compiled to JS).
 *
 * Why mvdan-sh: it is a complete POSIX/Bash parser that runs synchronously (the engine must answer on the
 * keystroke path without awaiting a WASM load), ~0.25 ms for a typical RUN, one 1.5 MB file and no native
 * code. See docs/architecture.md for the comparison with sh-syntax and tree-sitter-bash.
 *
 * Positions: mvdan-sh reports UTF-8 byte offsets into the text we hand it. `ShellSource` keeps, for each
 * UTF-16 unit of that text, its offset in the document, so every word maps back to an exact range even
 * across line continuations and skipped comment lines.
 */
import type * as MvdanSh from 'mvdan-sh';
import type { ShellCommand, ShellScript, ShellWord } from './types';
import type { Range } from '../model/types';
import { classifyPackageOperation } from './package-managers';

/** Shell text plus where each of its characters sits in the document. */
export interface ShellSource {
  text: string;
  /** documentOffsets[i] is the document offset of text[i]; one extra entry for the end. */
  documentOffsets: number[];
}

/** Converts a document offset to a position (the owner knows the line starts). */
export type OffsetToPosition = (offset: number) => { line: number; character: number };

const prefixCommands = new Set(['sudo', 'time', 'exec', 'nice', 'nohup', 'command', 'builtin', 'eval', 'doas']);

/**
 * mvdan-sh is loaded on first use, not at start-up: it is 1.5 MB of JavaScript that takes ~70 ms and
 * ~15 MB to load, and a server answering `initialize` (or a file without RUN) does not need it.
 * `require` caches the module, so later calls cost a lookup.
 */
function shellSyntax(): typeof MvdanSh.syntax {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('mvdan-sh') as typeof MvdanSh).syntax;
}

let sharedParser: ReturnType<typeof MvdanSh.syntax.NewParser> | null = null;
function parser() {
  const syntax = shellSyntax();
  sharedParser ??= syntax.NewParser(syntax.KeepComments(false), syntax.Variant(syntax.LangBash));
  return sharedParser;
}

export function parseShell(source: ShellSource, toPosition: OffsetToPosition): ShellScript {
  const { text } = source;
  const byteToChar = byteToCharMap(text);
  const rangeOf = (startByte: number, endByte: number): Range => ({
    start: toPosition(source.documentOffsets[byteToChar(startByte)]),
    end: toPosition(endOffset(source, byteToChar(endByte))),
  });
  let file;
  try {
    file = parser().Parse(text, '');
  } catch (error) {
    return fallbackScript(source, toPosition, describeParseError(error));
  }
  const commands: ShellCommand[] = [];
  // Collect (CallExpr, nested, afterOr) in source order. Walk visits parents before children.
  // Byte spans of the right-hand side of `||`: commands there run only when the left side failed.
  const orRightSpans: [number, number][] = [];
  const nestedSpans: [number, number][] = [];
  const writesByCall = new Map<number, ShellWord[]>();
  const syntax = shellSyntax();
  syntax.Walk(file, (node: any) => {
    if (!node) return true;
    const type = syntax.NodeType(node);
    if (type === 'Stmt') {
      // Output redirections belong to the statement, not the call: remember them for the call inside.
      const redirs = node.Redirs;
      const cmd = node.Cmd;
      if (redirs.length > 0 && cmd && syntax.NodeType(cmd) === 'CallExpr') {
        const targets: ShellWord[] = [];
        for (let i = 0; i < redirs.length; i++) {
          const redir = redirs[i];
          const op = text.slice(byteToChar(redir.OpPos.Offset()), byteToChar(redir.Word.Pos().Offset())).trim();
          if ((op.startsWith('>') || op.startsWith('&>')) && !op.endsWith('&')) targets.push(toWord(redir.Word, text, byteToChar, rangeOf));
        }
        if (targets.length > 0) writesByCall.set(cmd.Pos().Offset(), targets);
      }
    } else if (type === 'BinaryCmd') {
      const between = text.slice(byteToChar(node.X.End().Offset()), byteToChar(node.Y.Pos().Offset()));
      if (between.includes('||')) orRightSpans.push([node.Y.Pos().Offset(), node.Y.End().Offset()]);
    } else if (type === 'Subshell' || type === 'Block' || type === 'IfClause' || type === 'WhileClause' ||
      type === 'ForClause' || type === 'CaseClause' || type === 'FuncDecl' || type === 'CmdSubst' || type === 'ProcSubst') {
      nestedSpans.push([node.Pos().Offset(), node.End().Offset()]);
    } else if (type === 'CallExpr') {
      // Each read of a Go slice property converts the whole slice to JS: read Args once.
      const args = node.Args;
      if (args.length === 0) return true;
      const start = node.Pos().Offset();
      const words = args.map((word: any) => toWord(word, text, byteToChar, rangeOf));
      const argv = stripPrefixes(words);
      if (argv.length === 0) return true;
      commands.push({
        name: commandName(argv[0].value),
        argv,
        range: rangeOf(start, node.End().Offset()),
        index: 0,
        nested: nestedSpans.some(([s, e]) => start > s && start < e),
        afterOr: orRightSpans.some(([s, e]) => start >= s && start < e),
        packageOp: null,
        writes: writesByCall.get(start) ?? [],
      });
    }
    return true;
  });
  commands.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  return { commands: commands.map(finishCommand), parseError: null };
}

function finishCommand(command: ShellCommand, index: number): ShellCommand {
  const finished = { ...command, index };
  finished.packageOp = classifyPackageOperation(finished);
  return finished;
}

/** `/usr/bin/apt-get` and `apt-get` are the same command. */
export function commandName(value: string): string {
  const slash = value.lastIndexOf('/');
  return slash >= 0 && !value.startsWith('./') ? value.slice(slash + 1) : value;
}

/** Drops `sudo`, `env A=B`, `time` and similar wrappers so argv[0] is the real program. */
function stripPrefixes(words: ShellWord[]): ShellWord[] {
  let i = 0;
  while (i < words.length) {
    const name = commandName(words[i].value);
    if (prefixCommands.has(name)) {
      i++;
      while (i < words.length && words[i].value.startsWith('-')) i++; // sudo -E, nice -n (value skipped below)
      if (name === 'nice' && i < words.length && /^-?\d+$/.test(words[i].value)) i++;
    } else if (name === 'env') {
      i++;
      while (i < words.length && (words[i].value.startsWith('-') || /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i].value))) i++;
    } else {
      break;
    }
  }
  return words.slice(i);
}

function toWord(word: any, text: string, byteToChar: (b: number) => number, rangeOf: (s: number, e: number) => Range): ShellWord {
  const start = word.Pos().Offset();
  const end = word.End().Offset();
  let dynamic = false;
  const value = wordValue(word.Parts, () => { dynamic = true; }, text, byteToChar);
  return { value, raw: text.slice(byteToChar(start), byteToChar(end)), range: rangeOf(start, end), dynamic };
}

function wordValue(parts: any[], markDynamic: () => void, text: string, byteToChar: (b: number) => number): string {
  const syntax = shellSyntax();
  let out = '';
  for (const part of parts) {
    const type = syntax.NodeType(part);
    if (type === 'Lit') {
      out += part.Value;
      if (/[*?[]/.test(part.Value)) markDynamic();
    } else if (type === 'SglQuoted') {
      out += part.Value;
    } else if (type === 'DblQuoted') {
      out += wordValue(part.Parts, markDynamic, text, byteToChar);
    } else {
      // Parameter expansion, command substitution, arithmetic, globs: keep as written.
      markDynamic();
      out += text.slice(byteToChar(part.Pos().Offset()), byteToChar(part.End().Offset()));
    }
  }
  return out;
}

function endOffset(source: ShellSource, charIndex: number): number {
  if (charIndex <= 0) return source.documentOffsets[0] ?? 0;
  // End positions sit just after the last character of the word.
  return source.documentOffsets[charIndex - 1] + 1;
}

/** mvdan-sh offsets are UTF-8 bytes; JS strings index UTF-16 units. */
function byteToCharMap(text: string): (byteOffset: number) => number {
  // eslint-disable-next-line no-control-regex
  if (!/[^\x00-\x7f]/.test(text)) return (b) => Math.min(b, text.length);
  const map: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const code = text.codePointAt(i) as number;
    const bytes = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    for (let k = 0; k < bytes; k++) map.push(i);
    if (code >= 0x10000) i++;
  }
  map.push(text.length);
  return (b) => (b < map.length ? map[b] : text.length);
}

function describeParseError(error: unknown): string {
  const anyError = error as { Error?: () => string };
  const message = typeof anyError?.Error === 'function' ? anyError.Error() : String(error);
  return message.replace(/^\d+:\d+:\s*/, '');
}

/**
 * When the shell text does not parse (an unterminated quote while typing), still find commands: split on
 * whitespace outside quotes and on `&&`, `||`, `;`, `|`. Good enough for rules to keep their squiggles
 * stable while the user is mid-edit.
 */
function fallbackScript(source: ShellSource, toPosition: OffsetToPosition, parseError: string): ShellScript {
  const { text } = source;
  const commands: ShellCommand[] = [];
  let words: ShellWord[] = [];
  let afterOr = false;
  const flush = (nextAfterOr: boolean) => {
    const argv = stripPrefixes(words);
    if (argv.length > 0) {
      commands.push({
        name: commandName(argv[0].value), argv, index: commands.length, nested: false, afterOr, packageOp: null, writes: [],
        range: { start: argv[0].range.start, end: argv[argv.length - 1].range.end },
      });
    }
    words = [];
    afterOr = nextAfterOr;
  };
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (/\s/.test(ch)) { i++; continue; }
    if (text.startsWith('&&', i) || text.startsWith('||', i)) { flush(text[i] === '|'); i += 2; continue; }
    if (ch === ';' || ch === '|' || ch === '&') { flush(false); i++; continue; }
    const start = i;
    let value = '';
    let quote: string | null = null;
    while (i < text.length) {
      const c = text[i];
      if (quote) {
        if (c === quote) quote = null; else value += c;
      } else if (c === '"' || c === "'") {
        quote = c;
      } else if (/\s|;|&|\|/.test(c)) {
        break;
      } else {
        value += c;
      }
      i++;
    }
    words.push({
      value, raw: text.slice(start, i), dynamic: value.includes('$'),
      range: { start: toPosition(source.documentOffsets[start]), end: toPosition(endOffset(source, i)) },
    });
  }
  flush(false);
  return { commands: commands.map(finishCommand), parseError };
}
