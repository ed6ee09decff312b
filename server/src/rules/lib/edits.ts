/**
 * Small text edits that fixes are made of. They keep the author's style: a multi-line RUN gets a new
 * continuation line shaped like its others (`&&` leading or trailing, same indentation), a heredoc script
 * gets a new line before its delimiter, a one-line RUN gets ` && …` appended.
 */
import type { DockerfileModel, Instruction, Position } from '../../model/types';
import type { ShellCommand, ShellWord } from '../../shell/types';
import type { TextEdit } from '../types';
import { lineBreakOf } from '../../text/edits';

export function insertAt(position: Position, newText: string): TextEdit {
  return { range: { start: position, end: position }, newText };
}

/** Inserts ` text` right after a word, e.g. a flag after `install`. */
export function insertAfterWord(word: ShellWord, text: string): TextEdit {
  return insertAt(word.range.end, ' ' + text);
}

/** The argv word naming the package manager's verb (`install`, `add`), to put flags right after it. */
export function verbWord(command: ShellCommand, verbs: readonly string[]): ShellWord | null {
  return command.argv.slice(1).find((w) => verbs.includes(w.value)) ?? null;
}

/** Appends a shell command to the end of a RUN so it runs in the same layer. */
export function appendCommandToRun(model: DockerfileModel, run: Instruction, command: string): TextEdit | null {
  if (run.jsonForm || !run.shell) return null;
  const eol = lineBreakOf(model.text);
  const commands = run.shell.commands;
  const scriptHeredoc = run.heredocs.find((h) => h.contentRange && commands.some((c) => c.range.start.line >= h.contentRange!.start.line && c.range.end.line <= h.contentRange!.end.line));
  if (scriptHeredoc?.contentRange) {
    const end = scriptHeredoc.contentRange.end;
    const lastLine = model.lines[end.line] ?? '';
    const indent = /^[ \t]*/.exec(lastLine)?.[0] ?? '';
    return insertAt(end, `${eol}${indent}${command}`);
  }
  const end = endOfShell(model, run);
  const startLine = run.range.start.line;
  if (end.line === startLine) return insertAt(end, ` && ${command}`);
  const escape = model.escapeChar;
  const lastLine = model.lines[end.line] ?? '';
  const indent = /^[ \t]*/.exec(lastLine)?.[0] ?? '    ';
  const trailingOperators = model.lines.slice(startLine, end.line).some((l) => /&&\s*[\\`]\s*$/.test(l));
  if (trailingOperators) return insertAt(end, ` && ${escape}${eol}${indent}${command}`);
  return insertAt(end, ` ${escape}${eol}${indent}&& ${command}`);
}

/** Where the shell text of a RUN ends: before a trailing shell comment, which would swallow appended text. */
function endOfShell(model: DockerfileModel, run: Instruction): Position {
  const end = run.range.end;
  const commands = run.shell?.commands ?? [];
  const last = commands[commands.length - 1];
  const lineText = model.lines[end.line] ?? '';
  const tail = last && last.range.end.line === end.line ? lineText.slice(last.range.end.character, end.character) : lineText.slice(0, end.character);
  if (last && /(^|\s)#/.test(tail)) return last.range.end;
  // Trailing spaces stay after the inserted text.
  const trimmedEnd = lineText.slice(0, end.character).trimEnd().length;
  return { line: end.line, character: trimmedEnd };
}
