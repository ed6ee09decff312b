/**
 * Splits Dockerfile text into instruction chunks with a single line scan.
 *
 * Why not hand the whole file to dockerfile-ast: a full parse costs ~12 ms per 1,000 lines, and on every
 * keystroke almost every instruction is unchanged. Chunks let the model cache each instruction's parse by
 * its text, so an edit re-parses only what it touched. The scan follows Docker's own rules: parser
 * directives at the top, `escape` line continuations (comment and blank lines inside a continuation are
 * skipped), and heredoc bodies (`<<EOF`, `<<-EOF`, quoted delimiters) on RUN/COPY/ADD.
 */

export interface Chunk {
  /** First and last line (0-based, inclusive) of the instruction, including continuation and heredoc lines. */
  startLine: number;
  endLine: number;
  /** Keyword as written (upper-cased), e.g. RUN. Empty for text that does not start with a keyword. */
  keyword: string;
  /** Heredoc delimiters that never found their closing line. */
  unterminatedHeredocs: string[];
}

export interface CommentLine { line: number; text: string; start: number }

export interface SplitResult {
  escapeChar: string;
  /** Parser directives (`# escape=`, `# syntax=`, `# check=`) found at the top. */
  directives: Map<string, { value: string; line: number }>;
  chunks: Chunk[];
  /** Comment lines outside instructions (the runner reads ignore directives from them). */
  comments: CommentLine[];
}

const directivePattern = /^#\s*([a-zA-Z][a-zA-Z0-9_-]*)\s*=\s*(\S*)\s*$/;
const heredocPattern = /<<(-?)\s*(["']?)([A-Za-z_][A-Za-z0-9_.-]*)\2/g;
const heredocKeywords = new Set(['RUN', 'COPY', 'ADD']);

export function splitLines(text: string): string[] {
  // \r\n, lone \r and \n all end a line, as in VS Code and LSP positions. Most files have no \r, and a
  // plain split is several times faster than the pattern.
  return text.includes('\r') ? text.split(/\r\n|\r|\n/) : text.split('\n');
}

export function splitInstructions(lines: readonly string[]): SplitResult {
  const directives = new Map<string, { value: string; line: number }>();
  let line = 0;
  // Directives are only read before the first non-directive line; the first line may carry a BOM.
  for (; line < lines.length; line++) {
    const text = line === 0 ? lines[0].replace(/^\uFEFF/, '') : lines[line];
    const match = directivePattern.exec(text.trim());
    if (!match) break;
    const name = match[1].toLowerCase();
    if (directives.has(name)) break;
    directives.set(name, { value: match[2], line });
  }
  const escapeDirective = directives.get('escape')?.value;
  const escapeChar = escapeDirective === '`' ? '`' : '\\';
  const escapeCode = escapeChar.charCodeAt(0);

  // One pass over every line on every keystroke: the scan below avoids copying lines (trims, joined
  // continuation text) unless a line needs it.
  const chunks: Chunk[] = [];
  const comments: CommentLine[] = [];
  for (line = 0; line < lines.length; line++) {
    const text = line === 0 ? lines[0].replace(/^\uFEFF/, '') : lines[line];
    const start = firstNonSpace(text);
    if (start === text.length) continue;
    if (text.charCodeAt(start) === 35 /* # */) {
      comments.push({ line, text: start === 0 ? text : text.slice(start), start });
      continue;
    }
    const keyword = keywordAt(text, start);
    const startLine = line;
    // The lines of the logical instruction, kept only where a heredoc can start (RUN, COPY, ADD, ONBUILD).
    const joined: string[] | null = keyword === 'ONBUILD' || heredocKeywords.has(keyword) ? [text] : null;
    let mentionsHeredoc = joined !== null && text.includes('<<');
    // Follow line continuations: a line whose last non-space character is the escape character.
    while (endsWithEscape(lines[line], escapeCode) && line + 1 < lines.length) {
      line++;
      // Comment and empty lines inside a continuation are dropped by Docker and do not end it.
      while (line + 1 < lines.length && isSkippableInContinuation(lines[line])) line++;
      if (joined) {
        joined.push(lines[line]);
        mentionsHeredoc ||= lines[line].includes('<<');
      }
    }
    const unterminated: string[] = [];
    if (joined && mentionsHeredoc) {
      const logical = joined.join('\n');
      const effectiveKeyword = keyword === 'ONBUILD' ? (/^\s*ONBUILD\s+([A-Za-z]+)/i.exec(logical)?.[1] ?? '').toUpperCase() : keyword;
      if (heredocKeywords.has(effectiveKeyword)) {
        for (const match of logical.matchAll(heredocPattern)) {
          const stripTabs = match[1] === '-';
          const delimiter = match[3];
          let found = false;
          while (line + 1 < lines.length) {
            line++;
            const body = stripTabs ? lines[line].replace(/^\t+/, '') : lines[line];
            if (body === delimiter) { found = true; break; }
          }
          if (!found) unterminated.push(delimiter);
        }
      }
    }
    chunks.push({ startLine, endLine: line, keyword, unterminatedHeredocs: unterminated });
  }
  return { escapeChar, directives, chunks, comments };
}

/** What String.prototype.trim removes: ASCII and Unicode white space and line terminators. */
function isTrimmedSpace(code: number): boolean {
  if (code <= 32) return code === 32 || (code >= 9 && code <= 13);
  if (code < 160) return false;
  return code === 160 || code === 5760 || (code >= 8192 && code <= 8202) || code === 8232 || code === 8233
    || code === 8239 || code === 8287 || code === 12288 || code === 65279;
}

/** Index of the first character trimStart() would keep (the length when the line is blank). */
function firstNonSpace(text: string): number {
  let i = 0;
  while (i < text.length && isTrimmedSpace(text.charCodeAt(i))) i++;
  return i;
}

/** Index just past the last character trimEnd() would keep (0 when the line is blank). */
function endOfContent(text: string): number {
  let end = text.length;
  while (end > 0 && isTrimmedSpace(text.charCodeAt(end - 1))) end--;
  return end;
}

/** The leading run of ASCII letters at `start`, upper-cased (empty when there is none). */
function keywordAt(text: string, start: number): string {
  let end = start;
  for (; end < text.length; end++) {
    const code = text.charCodeAt(end) | 32;
    if (code < 97 || code > 122) break;
  }
  return end === start ? '' : text.slice(start, end).toUpperCase();
}

function endsWithEscape(text: string, escapeCode: number): boolean {
  const end = endOfContent(text);
  if (end === 0 || text.charCodeAt(end - 1) !== escapeCode) return false;
  // A comment line ending in the escape character does not continue anything.
  const start = firstNonSpace(text);
  return text.charCodeAt(start) !== 35 /* # */ || end - start === 1;
}

function isSkippableInContinuation(text: string): boolean {
  const start = firstNonSpace(text);
  return start === text.length || text.charCodeAt(start) === 35 /* # */;
}
