/**
 * RUN text → commands with argv, through our own Bash parser (syntax.ts).
 *
 * Why our own parser: it runs synchronously on the keystroke path, loads with the server at no cost and
 * parses a typical RUN in microseconds; mvdan-sh (the Go `mvdan.cc/sh` parser compiled to JavaScript),
 * used before, cost ~78 ms and ~17 MB to load. See docs/architecture.md.
 *
 * Positions: the parser reports UTF-16 offsets into the text we hand it. `ShellSource` keeps, for each
 * unit of that text, its offset in the document, so every word maps back to an exact range even across
 * line continuations and skipped comment lines.
 */
import type { ShellCommand, ShellScript, ShellWord } from './types';
import type { Range } from '../model/types';
import { classifyPackageOperation } from './package-managers';
import { parseShellSyntax } from './syntax';

/** Shell text plus where each of its characters sits in the document. */
export interface ShellSource {
  text: string;
  /** documentOffsets[i] is the document offset of text[i]; one extra entry for the end. */
  documentOffsets: number[];
}

/** Converts a document offset to a position (the owner knows the line starts). */
export type OffsetToPosition = (offset: number) => { line: number; character: number };

const prefixCommands = new Set(['sudo', 'time', 'exec', 'nice', 'nohup', 'command', 'builtin', 'eval', 'doas']);

export function parseShell(source: ShellSource, toPosition: OffsetToPosition): ShellScript {
  const { text } = source;
  const syntax = parseShellSyntax(text);
  if (syntax.error !== null) return fallbackScript(source, toPosition, syntax.error);
  const rangeOf = (start: number, end: number): Range => ({
    start: toPosition(source.documentOffsets[start]),
    end: toPosition(endOffset(source, end)),
  });
  const toWord = (word: { start: number; end: number; value: string; dynamic: boolean }): ShellWord => ({
    value: word.value, raw: text.slice(word.start, word.end), range: rangeOf(word.start, word.end), dynamic: word.dynamic,
  });
  // The parser records a command when it is complete, so a command substitution's commands come before
  // the command that contains them: order by start.
  const ordered = syntax.commands.slice().sort((a, b) => a.start - b.start);
  const commands: ShellCommand[] = [];
  for (const command of ordered) {
    const argv = stripPrefixes(command.args.map(toWord));
    if (argv.length === 0) continue;
    commands.push({
      name: commandName(argv[0].value),
      argv,
      range: rangeOf(command.start, command.end),
      index: 0,
      nested: command.nested,
      afterOr: command.afterOr,
      packageOp: null,
      writes: command.writes.map(toWord),
    });
  }
  return { commands: commands.map(finishCommand), parseError: null };
}

/** Sets the command's index and package operation (exported for the parser's differential test). */
export function finishCommand(command: ShellCommand, index: number): ShellCommand {
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
export function stripPrefixes(words: ShellWord[]): ShellWord[] {
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

/** Document offset just after the character before `charIndex` (where a word ending there ends). */
export function endOffset(source: ShellSource, charIndex: number): number {
  if (charIndex <= 0) return source.documentOffsets[0] ?? 0;
  return source.documentOffsets[charIndex - 1] + 1;
}

/**
 * When the shell text does not parse (an unterminated quote while typing), still find commands: split on
 * whitespace outside quotes and on `&&`, `||`, `;`, `|`. Good enough for rules to keep their squiggles
 * stable while the user is mid-edit.
 */
export function fallbackScript(source: ShellSource, toPosition: OffsetToPosition, parseError: string): ShellScript {
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
