import type { Position, Range } from '../model/types';

export interface TextEditLike { range: Range; newText: string }

/** Offsets of each line start; \r\n, \r and \n all end a line (as LSP positions count them). */
export function lineStartOffsets(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    } else if (ch === 10) {
      starts.push(i + 1);
    }
  }
  return starts;
}

export function offsetAt(text: string, starts: number[], position: Position): number {
  if (position.line >= starts.length) return text.length;
  const lineStart = starts[position.line];
  const nextStart = position.line + 1 < starts.length ? starts[position.line + 1] : text.length;
  return Math.min(lineStart + position.character, nextStart);
}

/**
 * Applies edits to text. Overlapping edits would make the result depend on order, so an edit that
 * overlaps one already taken is dropped (its fix can be applied on a second pass).
 */
export function applyEdits(text: string, edits: readonly TextEditLike[]): { text: string; applied: number; dropped: number } {
  const starts = lineStartOffsets(text);
  const withOffsets = edits
    .map((edit) => ({ start: offsetAt(text, starts, edit.range.start), end: offsetAt(text, starts, edit.range.end), newText: edit.newText }))
    .sort((a, b) => a.start - b.start || a.end - b.end);
  const taken: typeof withOffsets = [];
  let dropped = 0;
  for (const edit of withOffsets) {
    const previous = taken[taken.length - 1];
    if (previous && (edit.start < previous.end || (edit.start === previous.start && previous.start !== previous.end))) { dropped++; continue; }
    taken.push(edit);
  }
  let out = text;
  for (let i = taken.length - 1; i >= 0; i--) out = out.slice(0, taken[i].start) + taken[i].newText + out.slice(taken[i].end);
  return { text: out, applied: taken.length, dropped };
}

/** The line break the document uses, so inserted lines match it. */
export function lineBreakOf(text: string): string {
  const match = /\r\n|\r|\n/.exec(text);
  return match ? match[0] : '\n';
}

/** Keeps edits that do not overlap an earlier one (LSP forbids overlapping edits in one change). */
export function nonOverlapping<T extends TextEditLike>(edits: readonly T[]): T[] {
  const sorted = [...edits].sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  const kept: T[] = [];
  const after = (p: Position, q: Position) => p.line > q.line || (p.line === q.line && p.character >= q.character);
  for (const edit of sorted) {
    const last = kept[kept.length - 1];
    if (last && !after(edit.range.start, last.range.end)) continue;
    if (last && last.range.start.line === edit.range.start.line && last.range.start.character === edit.range.start.character) continue;
    kept.push(edit);
  }
  return kept;
}
