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
  // \r\n, lone \r and \n all end a line, as in VS Code and LSP positions.
  return text.split(/\r\n|\r|\n/);
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

  const chunks: Chunk[] = [];
  const comments: CommentLine[] = [];
  for (line = 0; line < lines.length; line++) {
    const text = line === 0 ? lines[0].replace(/^\uFEFF/, '') : lines[line];
    const trimmed = text.trimStart();
    if (trimmed === '') continue;
    if (trimmed.startsWith('#')) {
      comments.push({ line, text: trimmed, start: text.length - trimmed.length });
      continue;
    }
    const keyword = /^[A-Za-z]+/.exec(trimmed)?.[0].toUpperCase() ?? '';
    const startLine = line;
    let logical = text;
    // Follow line continuations: a line whose last non-space character is the escape character.
    while (endsWithEscape(lines[line], escapeChar) && line + 1 < lines.length) {
      line++;
      // Comment and empty lines inside a continuation are dropped by Docker and do not end it.
      while (line + 1 < lines.length && isSkippableInContinuation(lines[line])) line++;
      logical += '\n' + lines[line];
    }
    const unterminated: string[] = [];
    const effectiveKeyword = keyword === 'ONBUILD' ? (/^\s*ONBUILD\s+([A-Za-z]+)/i.exec(logical)?.[1] ?? '').toUpperCase() : keyword;
    if (heredocKeywords.has(effectiveKeyword) && logical.includes('<<')) {
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
    chunks.push({ startLine, endLine: line, keyword, unterminatedHeredocs: unterminated });
  }
  return { escapeChar, directives, chunks, comments };
}

function endsWithEscape(text: string, escapeChar: string): boolean {
  const trimmed = text.trimEnd();
  if (!trimmed.endsWith(escapeChar)) return false;
  // A comment line ending in the escape character does not continue anything.
  return !trimmed.trimStart().startsWith('#') || trimmed.trimStart() === escapeChar;
}

function isSkippableInContinuation(text: string): boolean {
  const trimmed = text.trim();
  return trimmed === '' || trimmed.startsWith('#');
}
