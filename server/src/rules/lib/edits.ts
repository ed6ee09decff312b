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

/** Deletes an instruction with its whole lines, so no blank line is left behind. */
export function deleteInstruction(model: DockerfileModel, instruction: Instruction): TextEdit {
  const { start, end } = instruction.range;
  if (end.line + 1 < model.lines.length) return { range: { start: { line: start.line, character: 0 }, end: { line: end.line + 1, character: 0 } }, newText: '' };
  // The last line of the file: take the line break before it instead.
  const previous = start.line - 1;
  const from = previous >= 0 ? { line: previous, character: (model.lines[previous] ?? '').length } : { line: start.line, character: 0 };
  return { range: { start: from, end: { line: end.line, character: (model.lines[end.line] ?? '').length } }, newText: '' };
}

/** Inserts whole lines right before an instruction's line. */
export function insertLinesBefore(model: DockerfileModel, instruction: Instruction, lines: readonly string[]): TextEdit {
  const eol = lineBreakOf(model.text);
  return insertAt({ line: instruction.range.start.line, character: 0 }, lines.map((l) => l + eol).join(''));
}

/** The text of a range of the document, line breaks as written. */
export function textOf(model: DockerfileModel, range: { start: Position; end: Position }): string {
  const eol = lineBreakOf(model.text);
  if (range.start.line === range.end.line) return (model.lines[range.start.line] ?? '').slice(range.start.character, range.end.character);
  const first = (model.lines[range.start.line] ?? '').slice(range.start.character);
  const middle = model.lines.slice(range.start.line + 1, range.end.line);
  const last = (model.lines[range.end.line] ?? '').slice(0, range.end.character);
  return [first, ...middle, last].join(eol);
}
