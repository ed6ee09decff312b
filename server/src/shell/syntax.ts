/**
 * A small, synchronous Bash parser that finds the simple commands of a RUN script: for each command its
 * words (value with quotes removed, raw text, offsets, whether it expands at build time), whether it sits
 * inside a compound command or substitution, whether it only runs after `||`, and the files its output
 * redirections write.
 *
 * Why our own: the engine parses every RUN on the keystroke path. The Go `mvdan.cc/sh` parser compiled to
 * JavaScript (mvdan-sh), which we used before, costs ~78 ms and ~17 MB to load and ~0.25 ms per RUN; this
 * parser is a few kB, loads with the server and parses a typical RUN in a few microseconds. It follows the
 * grammar mvdan-sh accepts for Bash (quotes, expansions, substitutions, arithmetic, here-documents,
 * compound commands, `[[ ]]`) and reports a syntax error where mvdan-sh does; a differential test
 * (test/unit/shell-differential.test.ts) runs both parsers over the corpus and generated scripts.
 *
 * It builds no tree: commands are recorded as the parse meets them. One pass over the text, no regular
 * expressions, no backtracking; nesting deeper than `maxDepth` is a syntax error, never a stack overflow.
 * Offsets are UTF-16 indexes into the text.
 */

export interface SyntaxWord {
  start: number;
  end: number;
  /** Quotes removed (outer single and double quotes); escapes and expansions kept as written. */
  value: string;
  /** Contains a parameter expansion, substitution, arithmetic, extended glob or a glob character. */
  dynamic: boolean;
}

export interface SyntaxCommand {
  /** From the first assignment prefix (`A=1 cmd`) or the first word to the end of the last word. */
  start: number;
  end: number;
  /** Words after any assignment prefixes; at least one. */
  args: SyntaxWord[];
  /** Inside a subshell, group, if/loop/case body, function or command/process substitution. */
  nested: boolean;
  /** Inside the right-hand side of `||`. */
  afterOr: boolean;
  /** Targets of `>`, `>>`, `>|`, `&>`, `&>>` on this command. */
  writes: SyntaxWord[];
}

export interface SyntaxResult {
  commands: SyntaxCommand[];
  /** Short description of the first syntax error, or null. */
  error: string | null;
}

/** Deepest nesting of compound commands, substitutions and parentheses we parse. */
const maxDepth = 300;

class ShellSyntaxError extends Error {}

interface PendingHeredoc {
  delimiter: string;
  stripTabs: boolean;
  expands: boolean;
  nested: number;
  or: number;
}

/** Words that start a compound command. */
const compoundKeywords = new Set(['if', 'while', 'until', 'for', 'select', 'case', 'function', '{', '[[']);
const declKeywords = new Set(['declare', 'local', 'export', 'readonly', 'typeset', 'nameref']);
/** Words that close a list; met in command position where they do not belong, they are an error. */
const closingWords: Record<string, string> = {
  then: '"then" can only be used in an if',
  elif: '"elif" can only be used in an if',
  else: '"else" can only be used in an if',
  fi: '"fi" can only be used to end an if',
  do: '"do" can only be used in a loop',
  done: '"done" can only be used to end a loop',
  esac: '"esac" can only be used to end a case',
  '}': '"}" can only be used to close a block',
  ']]': '"]]" can only be used to close a test',
};
const unaryTestOps = new Set(['-a', '-b', '-c', '-d', '-e', '-f', '-g', '-h', '-k', '-p', '-r', '-s', '-t', '-u', '-w', '-x',
  '-G', '-L', '-N', '-O', '-S', '-z', '-n', '-o', '-v', '-R']);
const binaryTestOps = new Set(['==', '=', '!=', '=~', '<', '>', '-eq', '-ne', '-lt', '-le', '-gt', '-ge', '-nt', '-ot', '-ef']);
const paramAtOps = new Set(['Q', 'E', 'P', 'A', 'a', 'U', 'u', 'L', 'K', 'k']);

// Arithmetic operators, longest first so a scan takes the longest match.
const arithmBinary: [string, number][] = [
  ['<<=', 2], ['>>=', 2], ['**', 14], ['<<', 11], ['>>', 11], ['<=', 10], ['>=', 10], ['==', 9], ['!=', 9], ['&&', 5],
  ['||', 4], ['+=', 2], ['-=', 2], ['*=', 2], ['/=', 2], ['%=', 2], ['&=', 2], ['|=', 2], ['^=', 2], ['+', 12], ['-', 12],
  ['*', 13], ['/', 13], ['%', 13], ['<', 10], ['>', 10], ['&', 8], ['|', 6], ['^', 7], ['=', 2], ['?', 3], [',', 1],
];

function isBlank(ch: string): boolean {
  return ch === ' ' || ch === '\t' || ch === '\r';
}
function isNameStart(ch: string): boolean {
  return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch === '_';
}
function isNameChar(ch: string): boolean {
  return isNameStart(ch) || (ch >= '0' && ch <= '9');
}
function isDigit(ch: string): boolean {
  return ch >= '0' && ch <= '9';
}
/** Characters that end an unquoted word. */
function isMeta(ch: string): boolean {
  return ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n' || ch === ';' || ch === '&' || ch === '|' ||
    ch === '(' || ch === ')' || ch === '<' || ch === '>';
}

export function parseShellSyntax(text: string): SyntaxResult {
  const parser = new Parser(text);
  try {
    parser.parseProgram();
    return { commands: parser.commands, error: null };
  } catch (error) {
    if (error instanceof ShellSyntaxError) return { commands: parser.commands, error: error.message };
    // A RangeError (stack) or a bug must not take the engine down: report it as unparseable text.
    return { commands: parser.commands, error: error instanceof Error ? error.message : String(error) };
  }
}

class Parser {
  readonly commands: SyntaxCommand[] = [];
  private pos = 0;
  /** End of the text being parsed: the whole text, or the inside of a backquote substitution. */
  private limit: number;
  private nested = 0;
  private or = 0;
  private depth = 0;
  private heredocs: PendingHeredoc[] = [];
  /** How many backquote substitutions enclose the cursor: inside one, \` opens and closes a nested one. */
  private backquotes = 0;
  /** Inside `let`: blanks separate arithmetic expressions instead of being skipped. */
  private letMode = false;

  constructor(private readonly text: string) {
    this.limit = text.length;
  }

  parseProgram(): void {
    this.parseList(false);
    this.failOnStray();
    if (this.heredocs.length > 0) this.fail(`unclosed here-document '${this.heredocs[0].delimiter}'`);
  }

  // --- helpers -------------------------------------------------------------------------------------------

  private fail(message: string): never {
    throw new ShellSyntaxError(message);
  }
  private ch(offset = 0): string {
    const at = this.pos + offset;
    return at < this.limit ? this.text[at] : '';
  }
  private eof(): boolean {
    return this.pos >= this.limit;
  }
  private startsWith(s: string): boolean {
    return this.pos + s.length <= this.limit && this.text.startsWith(s, this.pos);
  }
  private enter(): void {
    if (++this.depth > maxDepth) this.fail('nesting is too deep');
  }
  private leave(): void {
    this.depth--;
  }

  /** Skips blanks, escaped newlines and a comment; stops at a newline. */
  private skipSpace(): void {
    while (!this.eof()) {
      const c = this.ch();
      if (isBlank(c)) this.pos++;
      else if (c === '\\' && this.ch(1) === '\n') this.pos += 2;
      else if (c === '#') {
        while (!this.eof() && this.ch() !== '\n') this.pos++;
      } else break;
    }
  }

  /** Consumes one newline and then the bodies of here-documents started on the line it ends. */
  private newline(): void {
    this.pos++;
    if (this.heredocs.length > 0) this.readHeredocBodies();
  }

  private skipNewlines(): void {
    for (;;) {
      this.skipSpace();
      if (this.ch() !== '\n') return;
      this.newline();
    }
  }

  /**
   * The plain word at the cursor (no quotes, expansions or escapes) when it ends at a word boundary:
   * what the grammar compares against keywords. Null otherwise.
   */
  private peekPlainWord(): string | null {
    let i = this.pos;
    while (i < this.limit) {
      const c = this.text[i];
      if (isMeta(c)) break;
      if (c === '"' || c === "'" || c === '\\' || c === '$' || c === '`') return null;
      if ((c === '@' || c === '*' || c === '+' || c === '?' || c === '!') && i + 2 < this.limit && this.text[i + 1] === '(' &&
        this.text[i + 2] !== ')') return null;
      i++;
    }
    return i > this.pos ? this.text.slice(this.pos, i) : null;
  }

  /** At a token that cannot start a command: end of input, a separator or a closing parenthesis. */
  private atCommandEnd(): boolean {
    const c = this.ch();
    return c === '' || c === '\n' || c === ';' || c === ')' || (c === '&' && this.ch(1) !== '>') || (c === '|');
  }

  private failOnStray(): void {
    this.skipSpace();
    if (this.eof()) return;
    const c = this.ch();
    if (c === ')') this.fail('")" can only be used to close a subshell');
    if (c === ';') this.fail(this.startsWith(';;') || this.startsWith(';&') ? ';; can only be used in a case clause' : '; can only immediately follow a statement');
    const word = this.peekPlainWord();
    if (word !== null && closingWords[word]) this.fail(closingWords[word]);
    this.fail(`unexpected ${JSON.stringify(c)}`);
  }

  // --- statements ----------------------------------------------------------------------------------------

  /**
   * Statements separated by `;`, `&` or newlines, up to the end of input, a `)`, a case terminator or a
   * closing keyword, which the caller checks. Returns how many statements it read.
   */
  private parseList(inCase: boolean): number {
    let count = 0;
    for (;;) {
      this.skipSpace();
      if (this.eof()) return count;
      const c = this.ch();
      if (c === '\n') { this.newline(); continue; }
      if (c === ')') return count;
      if (c === ';') {
        if (inCase && (this.startsWith(';;') || this.startsWith(';&'))) return count;
        if (this.startsWith(';;') || this.startsWith(';&')) this.fail(';; can only be used in a case clause');
        this.fail('; can only immediately follow a statement');
      }
      if (c === '&' && this.ch(1) !== '>') this.fail('& can only immediately follow a statement');
      if (c === '|') this.fail('| can only immediately follow a statement');
      const word = this.peekPlainWord();
      if (word !== null && closingWords[word] !== undefined) return count;
      this.parseAndOr();
      count++;
      this.skipSpace();
      const next = this.ch();
      if (next === ';') {
        if (this.startsWith(';;') || this.startsWith(';&')) {
          if (inCase) return count;
          this.fail(';; can only be used in a case clause');
        }
        this.pos++;
      } else if (next === '&') {
        this.pos++;
      } else if (next === '\n' || next === '' || next === ')') {
        // the loop handles it
      } else {
        const closing = this.peekPlainWord();
        if (closing !== null && closingWords[closing] !== undefined) return count;
        this.fail('statements must be separated by &, ; or a newline');
      }
    }
  }

  /**
   * The statement list after `if`, `then`, `elif`, `else`, `while`, `until` or `do`. As in mvdan-sh it may be
   * empty when the keyword is followed by `;` (which ends it) or a newline; otherwise it needs a statement.
   */
  private parseKeywordList(keyword: string): void {
    this.skipSpace();
    if (this.ch() === ';' && !this.startsWith(';;') && !this.startsWith(';&')) {
      this.pos++;
      return;
    }
    const newline = this.ch() === '\n';
    if (this.parseList(false) === 0 && !newline) this.fail(`"${keyword}" must be followed by a statement list`);
  }

  /** Pipelines joined by `&&` and `||`, left to right: only the pipeline right after `||` is afterOr. */
  private parseAndOr(): void {
    this.parseStatementPipeline();
    for (;;) {
      this.skipSpace();
      let isOr: boolean;
      if (this.startsWith('&&')) isOr = false;
      else if (this.startsWith('||')) isOr = true;
      else return;
      const op = isOr ? '||' : '&&';
      this.pos += 2;
      this.skipNewlines();
      if (this.atCommandEnd() || this.atClosingWord()) this.fail(`${op} must be followed by a statement`);
      if (isOr) this.or++;
      this.parseStatementPipeline();
      if (isOr) this.or--;
    }
  }

  private atClosingWord(): boolean {
    const word = this.peekPlainWord();
    return word !== null && closingWords[word] !== undefined;
  }

  /** A pipeline that may start with `!`. */
  private parseStatementPipeline(): void {
    if (this.peekPlainWord() === '!') {
      this.pos++;
      this.skipSpace();
      if (this.peekPlainWord() === '!') this.fail('cannot negate a command multiple times');
      if (this.atCommandEnd()) this.fail('"!" cannot form a statement alone');
    }
    this.parsePipeline();
  }

  private parsePipeline(): void {
    this.parseCommand();
    for (;;) {
      this.skipSpace();
      if (this.ch() !== '|' || this.ch(1) === '|') return;
      const op = this.ch(1) === '&' ? '|&' : '|';
      this.pos += op.length;
      this.skipNewlines();
      if (this.atCommandEnd() || this.atClosingWord() || this.ch() === '&') this.fail(`${op} must be followed by a statement`);
      if (this.peekPlainWord() === '!') this.fail('"!" can only be used in full statements');
      this.parseCommand();
    }
  }

  private parseCommand(): void {
    this.enter();
    const c = this.ch();
    if (c === '(') {
      if (this.ch(1) === '(') this.parseArithmCommand();
      else this.parseSubshell();
      this.parseTrailingRedirects();
      this.leave();
      return;
    }
    const word = this.peekPlainWord();
    let compound = true;
    switch (word) {
      case 'if': this.parseIf(); break;
      case 'while': case 'until': this.parseWhile(word); break;
      case 'for': case 'select': this.parseFor(word); break;
      case 'case': this.parseCase(); break;
      case 'function': this.parseFunction(); break;
      case '{': this.parseBlock(); break;
      case '[[': this.parseTestClause(); break;
      case 'time': this.parseTime(); compound = false; break;
      case 'coproc': this.parseCoproc(); compound = false; break;
      case 'let': this.parseLet(); compound = false; break;
      default:
        if (word !== null && closingWords[word] !== undefined) this.fail(closingWords[word]);
        if (word !== null && declKeywords.has(word)) this.parseDeclaration(word);
        else this.parseSimpleCommand();
        compound = false;
    }
    if (compound) this.parseTrailingRedirects();
    this.leave();
  }

  /** Redirections after a compound command (they apply to the compound, not to a command inside). */
  private parseTrailingRedirects(): void {
    for (;;) {
      this.skipSpace();
      if (!this.atRedirect()) return;
      this.parseRedirect();
    }
  }

  private withNested<T>(body: () => T): T {
    this.nested++;
    try {
      return body();
    } finally {
      this.nested--;
    }
  }

  private expectWord(word: string, message: string): void {
    this.skipSpace();
    if (this.peekPlainWord() !== word) this.fail(message);
    this.pos += word.length;
  }

  private parseSubshell(): void {
    this.withNested(() => {
      this.pos++;
      this.parseList(false);
      if (this.ch() !== ')') this.fail('reached EOF without matching ( with )');
      this.pos++;
    });
  }

  private parseBlock(): void {
    this.withNested(() => {
      this.pos++;
      this.parseList(false);
      this.skipSpace();
      if (this.peekPlainWord() !== '}') this.fail('reached EOF without matching { with }');
      this.pos++;
    });
  }

  private parseIf(): void {
    this.withNested(() => {
      let keyword = 'if';
      this.pos += 2;
      for (;;) {
        this.parseKeywordList(keyword);
        this.expectWord('then', `"${keyword}" must be followed by "then"`);
        this.parseKeywordList('then');
        this.skipSpace();
        const next = this.peekPlainWord();
        if (next === 'elif') { keyword = 'elif'; this.pos += 4; continue; }
        if (next === 'else') {
          this.pos += 4;
          this.parseKeywordList('else');
        }
        this.expectWord('fi', 'if statement must end with "fi"');
        return;
      }
    });
  }

  private parseWhile(keyword: string): void {
    this.withNested(() => {
      this.pos += keyword.length;
      this.parseKeywordList(keyword);
      this.parseDoDone(keyword);
    });
  }

  private parseDoDone(keyword: string): void {
    this.expectWord('do', `"${keyword}" must be followed by "do"`);
    this.parseKeywordList('do');
    this.expectWord('done', `${keyword} statement must end with "done"`);
  }

  private parseFor(keyword: string): void {
    this.withNested(() => {
      this.pos += keyword.length;
      this.skipSpace();
      if (keyword === 'for' && this.startsWith('((')) {
        this.pos += 2;
        this.parseArithm(';', true);
        this.expectChar(';', 'c-style for loop needs three expressions');
        this.parseArithm(';', true);
        this.expectChar(';', 'c-style for loop needs three expressions');
        this.parseArithm('))', true);
        this.expectChars('))', 'reached EOF without matching (( with ))');
        this.skipSpace();
        if (this.ch() === ';') this.pos++;
        this.skipNewlines();
        this.parseDoDone(keyword);
        return;
      }
      const name = this.peekPlainWord();
      if (name === null) this.fail(`"${keyword}" must be followed by a literal`);
      this.pos += name.length;
      this.skipNewlines();
      if (this.peekPlainWord() === 'in') {
        this.pos += 2;
        for (;;) {
          this.skipSpace();
          if (this.atCommandEnd()) break;
          if (!this.readWord()) this.fail('for loop words must be words');
        }
        this.skipSpace();
        if (this.ch() === ';' && !this.startsWith(';;') && !this.startsWith(';&')) this.pos++;
        else if (this.ch() !== '\n') this.fail(`"${keyword} foo in" must be followed by ; or a newline`);
      } else if (this.ch() === ';' && !this.startsWith(';;') && !this.startsWith(';&')) {
        this.pos++;
      }
      this.skipNewlines();
      this.parseDoDone(keyword);
    });
  }

  private expectChar(c: string, message: string): void {
    this.skipArithmSpace();
    if (this.ch() !== c) this.fail(message);
    this.pos++;
  }
  private expectChars(s: string, message: string): void {
    this.skipArithmSpace();
    if (!this.startsWith(s)) this.fail(message);
    this.pos += s.length;
  }

  private parseCase(): void {
    this.withNested(() => {
      this.pos += 4;
      this.skipSpace();
      if (!this.readWord()) this.fail('"case" must be followed by a word');
      this.skipNewlines();
      this.expectWord('in', '"case x" must be followed by "in"');
      for (;;) {
        this.skipNewlines();
        if (this.peekPlainWord() === 'esac') { this.pos += 4; return; }
        if (this.eof()) this.fail('case statement must end with "esac"');
        if (this.ch() === '(') { this.pos++; this.skipSpace(); }
        for (;;) {
          this.skipSpace();
          if (!this.readWord()) this.fail('case patterns must consist of words');
          this.skipSpace();
          if (this.ch() === '|') { this.pos++; continue; }
          break;
        }
        if (this.ch() !== ')') this.fail('case patterns must be separated with |');
        this.pos++;
        this.parseList(true);
        this.skipSpace();
        if (this.startsWith(';;&')) this.pos += 3;
        else if (this.startsWith(';;') || this.startsWith(';&')) this.pos += 2;
        else if (this.peekPlainWord() !== 'esac') this.fail('case statement must end with "esac"');
      }
    });
  }

  private parseFunction(): void {
    this.pos += 8;
    this.skipSpace();
    const name = this.peekPlainWord();
    if (name === null) this.fail('"function" must be followed by a name');
    this.pos += name.length;
    this.skipSpace();
    if (this.ch() === '(') {
      this.pos++;
      this.skipSpace();
      if (this.ch() !== ')') this.fail(`"${name}(" must be followed by )`);
      this.pos++;
    }
    this.parseFunctionBody();
  }

  private parseFunctionBody(): void {
    this.withNested(() => {
      this.skipNewlines();
      if (this.atCommandEnd() || this.atClosingWord()) this.fail('function body must be a command');
      // As in mvdan-sh, the body is a whole statement: `f() { a; } | b && c` puts the pipe and && inside.
      this.parseAndOr();
    });
  }

  private parseTime(): void {
    this.pos += 4;
    this.skipSpace();
    if (this.peekPlainWord() === '-p') { this.pos += 2; this.skipSpace(); }
    if (this.peekPlainWord() === '!') this.fail('"!" can only be used in full statements');
    if (this.atCommandEnd() || this.startsWith('&&') || this.atClosingWord()) return;
    this.parsePipeline();
  }

  /**
   * `coproc [NAME] command`, read as mvdan-sh reads it: without a compound command right after `coproc`,
   * the first word is taken as the name, and given back to the command when a simple command follows.
   */
  private parseCoproc(): void {
    this.pos += 6;
    this.skipSpace();
    if (this.atCommandEnd() || this.startsWith('&&')) this.fail('coproc clause requires a command');
    const first = this.peekPlainWord();
    if (this.ch() === '(' || (first !== null && compoundKeywords.has(first))) {
      this.parsePipeline();
      return;
    }
    const nested = this.nested > 0;
    const afterOr = this.or > 0;
    const name = this.readWord();
    if (!name) this.fail('coproc clause requires a command');
    this.skipSpace();
    const next = this.peekPlainWord();
    if (this.atCommandEnd() || this.startsWith('&&')) {
      this.commands.push({ start: name.start, end: name.end, args: [name], nested, afterOr, writes: [] });
    } else if (this.ch() === '(' || (next !== null && (compoundKeywords.has(next) || closingWords[next] !== undefined))) {
      this.parsePipeline();
    } else {
      const command = this.parseSimpleCommand(name);
      this.skipSpace();
      if (command && this.ch() === '|' && this.ch(1) !== '|') {
        // a pipeline follows the name: the name stays the coprocess's name
        command.args.shift();
        command.start = command.args[0].start;
      }
    }
  }

  /** `let expr...`: arithmetic expressions separated by blanks (so `let x|y` is one bitwise or). */
  private parseLet(): void {
    this.pos += 3;
    let count = 0;
    this.letMode = true;
    try {
      for (;;) {
        while (isBlank(this.ch()) || (this.ch() === '\\' && this.ch(1) === '\n')) this.pos += this.ch() === '\\' ? 2 : 1;
        const c = this.ch();
        if (c === '|' && this.ch(1) === '&') this.fail('| must be followed by a statement'); // as mvdan-sh
        if (c === '' || c === '\n' || c === ';' || c === ')' || c === '&' || c === '|') break;
        if (this.atRedirect()) {
          this.letMode = false;
          this.parseRedirect();
          this.letMode = true;
          continue;
        }
        this.parseArithmExpr(0);
        count++;
        const after = this.ch();
        if (!(after === '' || isBlank(after) || after === '\n' || after === ';' || after === ')')) this.fail(`not a valid arithmetic operator: ${after}`);
      }
    } finally {
      this.letMode = false;
    }
    if (count === 0) this.fail('"let" must be followed by an expression');
  }

  private parseDeclaration(keyword: string): void {
    this.pos += keyword.length;
    let redirected = false;
    let literalEquals = false;
    for (;;) {
      this.skipSpace();
      if (this.atCommandEnd()) return;
      if (this.atRedirect()) { this.parseRedirect(); redirected = true; continue; }
      // as mvdan-sh: a redirection ends the declaration's words
      if (redirected) this.fail('statements must be separated by &, ; or a newline');
      if (this.ch() === '(') this.fail('a command can only contain words and redirects; encountered (');
      const c = this.ch();
      // mvdan-sh rejects a quoted or expanded word right after an assignment whose value ends in plain text
      if (literalEquals && (c === '"' || c === "'" || c === '$' || c === '`')) this.fail('invalid var name');
      if (this.atAssignment()) {
        const start = this.pos;
        this.parseAssignment(false);
        literalEquals = !this.endsWithExpansion(start, this.pos);
        continue;
      }
      if (this.plainRunHasEquals()) this.fail('invalid var name');
      if (!this.readWord()) this.fail(`unexpected ${JSON.stringify(this.ch())}`);
      literalEquals = false;
    }
  }

  private parseArithmCommand(): void {
    this.pos += 2;
    this.skipArithmSpace();
    if (this.startsWith('))')) this.fail('(( must be followed by an expression');
    this.parseArithm('))', false);
    this.expectChars('))', 'reached EOF without matching (( with ))');
  }

  // --- [[ test expressions ]] ----------------------------------------------------------------------------

  private parseTestClause(): void {
    this.pos += 2;
    this.skipTestSpace();
    if (this.startsWith(']]') && (this.limit === this.pos + 2 || isMeta(this.text[this.pos + 2]))) {
      this.fail('test clause requires at least one expression');
    }
    this.parseTestOr();
    this.skipTestSpace();
    if (!this.atTestEnd()) this.fail('reached EOF without matching [[ with ]]');
    this.pos += 2;
  }

  private atTestEnd(): boolean {
    return this.startsWith(']]') && (this.pos + 2 >= this.limit || isMeta(this.text[this.pos + 2]));
  }

  private skipTestSpace(): void {
    for (;;) {
      this.skipSpace();
      if (this.ch() !== '\n') return;
      this.newline();
    }
  }

  private parseTestOr(): void {
    this.parseTestAnd();
    for (;;) {
      this.skipTestSpace();
      if (!this.startsWith('||')) return;
      this.pos += 2;
      this.skipTestSpace();
      this.parseTestAnd();
    }
  }

  private parseTestAnd(): void {
    this.parseTestNot();
    for (;;) {
      this.skipTestSpace();
      if (!this.startsWith('&&')) return;
      this.pos += 2;
      this.skipTestSpace();
      this.parseTestNot();
    }
  }

  private parseTestNot(): void {
    this.enter();
    this.skipTestSpace();
    if (this.peekPlainWord() === '!') {
      this.pos++;
      this.parseTestNot();
    } else {
      this.parseTestPrimary();
    }
    this.leave();
  }

  private parseTestPrimary(): void {
    if (this.ch() === '(') {
      this.pos++;
      this.parseTestOr();
      this.skipTestSpace();
      if (this.ch() !== ')') this.fail('reached EOF without matching ( with )');
      this.pos++;
      return;
    }
    if (this.atTestEnd() || this.eof() || this.startsWith('&&') || this.startsWith('||') || this.ch() === ')') {
      this.fail('test expression must be followed by a word');
    }
    const operator = this.peekPlainWord();
    if (operator !== null && unaryTestOps.has(operator)) {
      this.pos += operator.length;
      this.skipTestSpace();
      if (!this.readTestWord()) this.fail(`${operator} must be followed by a word`);
      return;
    }
    if (!this.readTestWord()) this.fail(`not a valid test word: ${this.ch()}`);
    this.skipTestSpace();
    if (this.atTestEnd() || this.eof() || this.startsWith('&&') || this.startsWith('||') || this.ch() === ')') return;
    let binary: string | null = null;
    if (this.ch() === '<' || this.ch() === '>') binary = this.ch();
    else {
      const word = this.peekPlainWord();
      if (word !== null && binaryTestOps.has(word)) binary = word;
    }
    if (binary === null) this.fail(`not a valid test operator: ${this.peekPlainWord() ?? this.ch()}`);
    this.pos += binary.length;
    this.skipTestSpace();
    if (binary === '=~') {
      if (!this.readRegexWord()) this.fail('=~ must be followed by a word');
    } else if (!this.readTestWord()) {
      this.fail(`${binary} must be followed by a word`);
    }
  }

  private readTestWord(): boolean {
    return this.readWord() !== null;
  }

  /**
   * The right side of `=~`, read as mvdan-sh reads it: inside parentheses blanks and `;&<>` belong to the
   * regular expression; a blank right after a quoted or expanded part ends it.
   */
  private readRegexWord(): boolean {
    const start = this.pos;
    const acc = { value: '', dynamic: false };
    let parens = 0;
    while (!this.eof()) {
      const c = this.ch();
      if (c === '"' || c === "'" || c === '$' || c === '`') {
        this.readWordPart(acc);
        if (isBlank(this.ch()) || this.ch() === '\n') break;
        continue;
      }
      if (c === '\\') { this.pos = Math.min(this.pos + 2, this.limit); continue; }
      if (c === '(') { parens++; this.pos++; continue; }
      if (c === ')') {
        if (--parens < 0) break;
        this.pos++;
        continue;
      }
      if ((isBlank(c) || c === '\n' || c === ';' || c === '&' || c === '>' || c === '<') && parens <= 0) break;
      this.pos++;
    }
    return this.pos > start;
  }

  // --- simple commands -----------------------------------------------------------------------------------

  private atRedirect(): boolean {
    let i = this.pos;
    while (i < this.limit && isDigit(this.text[i])) i++;
    const c = i < this.limit ? this.text[i] : '';
    if (c === '<' || c === '>') return !(this.text[i + 1] === '(' && i + 1 < this.limit);
    return i === this.pos && c === '&' && this.text[i + 1] === '>' && i + 1 < this.limit;
  }

  /** Parses a redirection at the cursor; returns the target when it writes a file. */
  private parseRedirect(): SyntaxWord | null {
    while (isDigit(this.ch())) this.pos++;
    const ops = ['&>>', '&>', '<<<', '<<-', '<<', '<&', '<>', '<', '>>', '>&', '>|', '>'];
    const op = ops.find((o) => this.startsWith(o)) as string;
    this.pos += op.length;
    this.skipSpace();
    if (op === '<<' || op === '<<-') {
      this.readHeredocDelimiter(op);
      return null;
    }
    const procSubst = (this.ch() === '<' || this.ch() === '>') && this.ch(1) === '(';
    if (isDigit(this.ch()) && this.atRedirect() && !procSubst) this.fail(`${op} must be followed by a word`); // `>1>t`: mvdan-sh reads 1> as a redirection
    if (this.atCommandEnd() || ((this.ch() === '<' || this.ch() === '>') && !procSubst) || this.ch() === '(') {
      this.fail(`${op} must be followed by a word`);
    }
    const word = this.readWord();
    if (!word) this.fail(`${op} must be followed by a word`);
    return op === '>' || op === '>>' || op === '>|' || op === '&>' || op === '&>>' ? word : null;
  }

  /** Whether text[start, end) ends with a quote, an expansion or a substitution (`x=$y`, `x="a"`). */
  private endsWithExpansion(start: number, end: number): boolean {
    const last = end > start ? this.text[end - 1] : '';
    if (last === ')' || last === '}' || last === ']' || last === '`' || last === '"' || last === "'") return true;
    let i = end;
    while (i > start && isNameChar(this.text[i - 1])) i--;
    return i < end && i > start && this.text[i - 1] === '$';
  }

  /** Whether the unquoted start of the word at the cursor has `=` after something (an assignment, valid or not). */
  private plainRunHasEquals(): boolean {
    for (let i = this.pos; i < this.limit; i++) {
      const c = this.text[i];
      if (c === '=') return i > this.pos;
      if (c === '\\') { i++; continue; }
      if (isMeta(c) || c === '"' || c === "'" || c === '$' || c === '`') return false;
    }
    return false;
  }

  /** `name=`, `name+=`, or `name[`: like mvdan-sh, a name and `[` before the command word is an indexed assignment. */
  private atAssignment(): boolean {
    let i = this.pos;
    if (i >= this.limit || !isNameStart(this.text[i])) return false;
    while (i < this.limit && isNameChar(this.text[i])) i++;
    if (i < this.limit && this.text[i] === '[') return true;
    if (this.text[i] === '+') i++;
    return i < this.limit && this.text[i] === '=';
  }

  /** `name=value`, `name+=value`, `name[i]=value` or `name=(elements)`. Returns whether it is an array or indexed. */
  private parseAssignment(requireEquals = true): boolean {
    let indexed = false;
    while (isNameChar(this.ch())) this.pos++;
    if (this.ch() === '[') {
      indexed = true;
      this.pos++;
      this.skipArithmSpace();
      if (this.ch() === ']') this.fail('[ must be followed by an expression');
      this.parseArithm(']', false);
      if (this.ch() !== ']') this.fail('reached EOF without matching [ with ]');
      this.pos++;
    }
    if (this.ch() === '+') this.pos++;
    if (this.ch() !== '=') {
      // `declare a[2]` declares without a value
      if (!requireEquals && indexed && (isMeta(this.ch()) || this.eof())) return indexed;
      this.fail('"a[b]" must be followed by =');
    }
    this.pos++;
    if (this.ch() === '(') {
      this.pos++;
      this.enter();
      for (;;) {
        this.skipNewlines();
        if (this.ch() === ')') break;
        if (this.eof()) this.fail('reached EOF without matching ( with )');
        if (this.ch() === '(') this.fail('arrays cannot be nested');
        if (this.ch() === '=') this.fail('array element values must be words');
        if (this.ch() === '[') {
          // [index]=value
          this.pos++;
          this.skipArithmSpace();
          if (this.ch() === ']') this.fail('[ must be followed by an expression');
          this.parseArithm(']', false);
          if (this.ch() !== ']') this.fail('reached EOF without matching [ with ]');
          this.pos++;
          if (this.ch() !== '=') this.fail('"[x]" must be followed by =');
          this.pos++;
          if (!isMeta(this.ch()) && !this.eof()) this.readWord();
          continue;
        }
        if (!this.readWord()) this.fail('array element values must be words');
      }
      this.pos++;
      this.leave();
      return true;
    }
    const c = this.ch();
    if (!this.atCommandEnd() && !isBlank(c) && ((c !== '<' && c !== '>') || this.ch(1) === '(')) this.readWord();
    return indexed;
  }

  /** A simple command; `coprocName` is a word read before it that joins its argv if it has words. */
  private parseSimpleCommand(coprocName?: SyntaxWord): SyntaxCommand | null {
    let start = -1;
    const args: SyntaxWord[] = [];
    const writes: SyntaxWord[] = [];
    let arrayAssign = false;
    const nested = this.nested > 0;
    const afterOr = this.or > 0;
    let sawRedirectOrAssign = false;
    for (;;) {
      this.skipSpace();
      if (this.atCommandEnd()) break;
      const c = this.ch();
      if ((c === '<' || c === '>') && this.ch(1) === '(') {
        // process substitution: a word
      } else if (this.atRedirect()) {
        const target = this.parseRedirect();
        if (target) writes.push(target);
        sawRedirectOrAssign = true;
        continue;
      }
      if (c === '(') {
        if (args.length === 1 && !sawRedirectOrAssign && start === args[0].start && this.text.slice(args[0].start, args[0].end) === args[0].value &&
          !args[0].dynamic) {
          this.parseFunctionDeclRest(args[0]);
          return null;
        }
        this.fail('a command can only contain words and redirects; encountered (');
      }
      if (args.length === 0 && this.atAssignment()) {
        if (start < 0) start = this.pos;
        if (this.parseAssignment()) arrayAssign = true;
        sawRedirectOrAssign = true;
        continue;
      }
      const wordStart = this.pos;
      const word = this.readWord();
      if (!word) this.fail(`unexpected ${JSON.stringify(c)}`);
      if (start < 0) start = wordStart;
      args.push(word);
    }
    if (coprocName) {
      // mvdan-sh gives the name to the call even when it has only assignments (its range then starts at them)
      if (args.length === 0 && start < 0) return null;
      args.unshift(coprocName);
      if (start < 0 || start === args[1]?.start) start = coprocName.start;
    }
    if (args.length === 0) return null;
    if (arrayAssign) this.fail('inline variables cannot be arrays');
    const command = { start, end: args[args.length - 1].end, args, nested, afterOr, writes };
    this.commands.push(command);
    return command;
  }

  /** `name() body` after the name was read as a word. */
  private parseFunctionDeclRest(name: SyntaxWord): void {
    this.pos++;
    this.skipSpace();
    if (this.ch() !== ')') this.fail(`"${name.value}(" must be followed by )`);
    this.pos++;
    this.parseFunctionBody();
  }

  // --- words ---------------------------------------------------------------------------------------------

  /** Reads an unquoted-context word at the cursor; null when no word starts here. */
  private readWord(): SyntaxWord | null {
    const start = this.pos;
    const acc = { value: '', dynamic: false };
    this.enter();
    while (!this.eof()) {
      const c = this.ch();
      if ((c === '<' || c === '>') && this.ch(1) === '(') {
        const partStart = this.pos;
        this.readProcessSubstitution();
        acc.value += this.text.slice(partStart, this.pos);
        acc.dynamic = true;
        continue;
      }
      if (isMeta(c)) break;
      this.readWordPart(acc);
    }
    this.leave();
    if (this.pos === start) return null;
    return { start, end: this.pos, value: acc.value, dynamic: acc.dynamic };
  }

  /** One part of an unquoted word: literal character(s), a quoted string or an expansion. */
  private readWordPart(acc: { value: string; dynamic: boolean }): void {
    const c = this.ch();
    if (c === '\\') {
      if (this.ch(1) === '\n') { this.pos += 2; return; }
      if (this.ch(1) === '`' && this.backquotes > 0) { this.readBackquote(acc, true); return; }
      acc.value += this.text.slice(this.pos, Math.min(this.pos + 2, this.limit));
      if (this.ch(1) === '*' || this.ch(1) === '?' || this.ch(1) === '[') acc.dynamic = true;
      this.pos = Math.min(this.pos + 2, this.limit);
      return;
    }
    if (c === "'") {
      const close = this.text.indexOf("'", this.pos + 1);
      if (close < 0 || close >= this.limit) this.fail("reached EOF without closing quote '");
      acc.value += this.text.slice(this.pos + 1, close);
      this.pos = close + 1;
      return;
    }
    if (c === '"') {
      this.readDoubleQuoted(acc);
      return;
    }
    if (c === '$') {
      this.readDollar(acc, false);
      return;
    }
    if (c === '`') {
      this.readBackquote(acc, false);
      return;
    }
    // An extended glob needs a pattern: `@()` is `@` and then `()` (a function declaration), as in mvdan-sh.
    if ((c === '@' || c === '*' || c === '+' || c === '?' || c === '!') && this.ch(1) === '(' && this.ch(2) !== ')') {
      this.readExtGlob(acc);
      return;
    }
    if (c === '*' || c === '?' || c === '[') acc.dynamic = true;
    acc.value += c;
    this.pos++;
  }

  private readExtGlob(acc: { value: string; dynamic: boolean }): void {
    const start = this.pos;
    this.pos += 2;
    let parens = 1;
    while (parens > 0) {
      if (this.eof()) this.fail('reached EOF without matching ( with )');
      const c = this.ch();
      if (c === '\\') { this.pos += 2; continue; }
      if (c === '(') parens++;
      else if (c === ')') parens--;
      this.pos++;
    }
    this.pos = Math.min(this.pos, this.limit);
    acc.value += this.text.slice(start, this.pos);
    acc.dynamic = true;
  }

  /** `"..."`: the value keeps everything between the quotes except escaped newlines. */
  private readDoubleQuoted(acc: { value: string; dynamic: boolean }): void {
    this.pos++;
    for (;;) {
      if (this.eof()) this.fail('reached EOF without closing quote "');
      const c = this.ch();
      if (c === '"') { this.pos++; return; }
      if (c === '\\') {
        if (this.ch(1) === '\n') { this.pos += 2; continue; }
        if (this.ch(1) === '`' && this.backquotes > 0) { this.readBackquote(acc, true); continue; }
        acc.value += this.text.slice(this.pos, Math.min(this.pos + 2, this.limit));
        if (this.ch(1) === '*' || this.ch(1) === '?' || this.ch(1) === '[') acc.dynamic = true;
        this.pos = Math.min(this.pos + 2, this.limit);
        continue;
      }
      if (c === '$') { this.readDollar(acc, true); continue; }
      if (c === '`') { this.readBackquote(acc, false); continue; }
      if (c === '*' || c === '?' || c === '[') acc.dynamic = true;
      acc.value += c;
      this.pos++;
    }
  }

  private readDollar(acc: { value: string; dynamic: boolean }, inDoubleQuotes: boolean): void {
    const start = this.pos;
    const next = this.ch(1);
    if (next === "'" && !inDoubleQuotes) {
      // $'...': backslash escapes the closing quote; the value keeps the escapes as written.
      let i = this.pos + 2;
      while (i < this.limit && this.text[i] !== "'") i += this.text[i] === '\\' ? 2 : 1;
      if (i >= this.limit) this.fail("reached EOF without closing quote '");
      acc.value += this.text.slice(this.pos + 2, i);
      this.pos = i + 1;
      return;
    }
    if (next === '"' && !inDoubleQuotes) {
      this.pos++;
      this.readDoubleQuoted(acc);
      return;
    }
    if (next === '(') {
      if (this.ch(2) === '(') {
        this.pos += 3;
        this.enter();
        this.skipArithmSpace();
        if (this.startsWith('))')) this.fail('$(( must be followed by an expression');
        this.parseArithm('))', false);
        this.expectChars('))', 'reached EOF without matching $(( with ))');
        this.leave();
      } else {
        this.pos += 2;
        this.enter();
        this.withNested(() => this.parseList(false));
        if (this.ch() !== ')') {
          if (this.eof()) this.fail('reached EOF without matching ( with )');
          this.failOnStray();
        }
        this.pos++;
        this.leave();
      }
    } else if (next === '[') {
      this.pos += 2;
      this.enter();
      this.parseArithm(']', false);
      if (this.ch() !== ']') this.fail('reached EOF without matching $[ with ]');
      this.pos++;
      this.leave();
    } else if (next === '{') {
      this.pos += 2;
      this.enter();
      this.readParamExpansion();
      this.leave();
    } else if (isNameStart(next)) {
      this.pos += 2;
      while (isNameChar(this.ch())) this.pos++;
    } else if (isDigit(next) || next === '@' || next === '*' || next === '#' || next === '?' || next === '-' || next === '$' || next === '!') {
      this.pos += 2;
    } else {
      // A lone `$` is a literal.
      acc.value += '$';
      this.pos++;
      return;
    }
    acc.value += this.text.slice(start, this.pos);
    acc.dynamic = true;
  }

  /** `` `...` ``, or inside one `` \`...\` `` (escaped: a nested substitution). */
  private readBackquote(acc: { value: string; dynamic: boolean }, escaped: boolean): void {
    const start = this.pos;
    const open = escaped ? 2 : 1;
    let i = this.pos + open;
    for (;;) {
      if (i >= this.limit) this.fail('reached EOF without closing quote `');
      const c = this.text[i];
      if (escaped && c === '\\' && this.text[i + 1] === '`') break;
      if (!escaped && c === '`') break;
      i += c === '\\' ? 2 : 1;
    }
    const savedLimit = this.limit;
    this.limit = i;
    this.pos = start + open;
    this.enter();
    this.backquotes++;
    this.withNested(() => {
      this.parseList(false);
      this.failOnStray();
    });
    this.backquotes--;
    this.leave();
    this.limit = savedLimit;
    this.pos = i + open;
    acc.value += this.text.slice(start, this.pos);
    acc.dynamic = true;
  }

  private readProcessSubstitution(): void {
    this.pos += 2;
    this.enter();
    this.withNested(() => this.parseList(false));
    if (this.ch() !== ')') this.fail('reached EOF without matching ( with )');
    this.pos++;
    this.leave();
  }

  /** After `${`: name, optional index, optional operator and its words, then `}`. */
  private readParamExpansion(): void {
    const c = this.ch();
    const indirect = c === '!' && this.ch(1) !== '}';
    if ((c === '#' || c === '!') && this.ch(1) !== '}') this.pos++;
    const n = this.ch();
    if (n === '}') this.fail('parameter expansion requires a literal');
    if (isNameStart(n)) {
      while (isNameChar(this.ch())) this.pos++;
    } else if (isDigit(n)) {
      while (isDigit(this.ch())) this.pos++;
      if (isNameChar(this.ch())) this.fail('invalid parameter name');
    } else if (n === '@' || n === '*' || n === '#' || n === '?' || n === '-' || n === '$' || n === '!') {
      this.pos++;
    } else {
      if (this.eof()) this.fail('reached EOF without matching ${ with }');
      this.fail('invalid parameter name');
    }
    if (this.ch() === '[') {
      this.pos++;
      if ((this.ch() === '@' || this.ch() === '*') && this.ch(1) === ']') this.pos++;
      else this.parseArithm(']', false);
      if (this.ch() !== ']') this.fail('reached EOF without matching [ with ]');
      this.pos++;
    }
    let op = this.ch();
    // `${!prefix*}`, `${!prefix@}`: names starting with prefix
    if (indirect && (op === '*' || op === '@') && this.ch(1) === '}') { this.pos++; op = '}'; }
    if (op === '}') { this.pos++; return; }
    if (op === ':') {
      const after = this.ch(1);
      if (after === '-' || after === '=' || after === '?' || after === '+') {
        this.pos += 2;
        this.readParamWord(false);
      } else {
        this.pos++;
        this.skipArithmSpace();
        if (this.ch() === '}') this.fail(': must be followed by an expression');
        // `${a::2}`: an empty offset is allowed when a length follows
        if (this.ch() !== ':') this.parseArithm(':}', false);
        if (this.ch() === ':') {
          this.pos++;
          this.skipArithmSpace();
          if (this.ch() === '}') this.fail(': must be followed by an expression');
          this.parseArithm('}', false);
        }
      }
    } else if (op === '-' || op === '=' || op === '?' || op === '+') {
      this.pos++;
      this.readParamWord(false);
    } else if (op === '#' || op === '%' || op === '^' || op === ',') {
      this.pos += this.ch(1) === op ? 2 : 1;
      this.readParamWord(false);
    } else if (op === '/') {
      this.pos++;
      if (this.ch() === '/' || this.ch() === '#' || this.ch() === '%') this.pos++;
      this.readParamWord(true);
      if (this.ch() === '/') {
        this.pos++;
        this.readParamWord(false);
      }
    } else if (op === '@') {
      this.pos++;
      if (!paramAtOps.has(this.ch())) this.fail('invalid @ expansion operator');
      this.pos++;
    } else {
      if (this.eof()) this.fail('reached EOF without matching ${ with }');
      this.fail(`not a valid parameter expansion operator: ${op}`);
    }
    if (this.ch() !== '}') this.fail('reached EOF without matching ${ with }');
    this.pos++;
  }

  /** The word after a parameter expansion operator, up to `}` (or `/` for a pattern). */
  private readParamWord(stopAtSlash: boolean): void {
    const acc = { value: '', dynamic: false };
    while (!this.eof()) {
      const c = this.ch();
      if (c === '}' || (stopAtSlash && c === '/')) return;
      if (c === '\\' || c === "'" || c === '"' || c === '$' || c === '`') this.readWordPart(acc);
      else this.pos++;
    }
  }

  // --- here-documents ------------------------------------------------------------------------------------

  private readHeredocDelimiter(op: string): void {
    if (this.atCommandEnd() || this.ch() === '<' || this.ch() === '>') this.fail(`${op} must be followed by a word`);
    const start = this.pos;
    let delimiter = '';
    let quoted = false;
    while (!this.eof() && !isMeta(this.ch())) {
      const c = this.ch();
      if (c === '\\') {
        if (this.ch(1) === '\n') { this.pos += 2; continue; }
        quoted = true;
        delimiter += this.ch(1);
        this.pos += 2;
      } else if (c === "'" || c === '"') {
        quoted = true;
        const close = this.text.indexOf(c, this.pos + 1);
        if (close < 0 || close >= this.limit) this.fail(`reached EOF without closing quote ${c}`);
        delimiter += this.text.slice(this.pos + 1, close);
        this.pos = close + 1;
      } else if (c === '$' || c === '`') {
        const acc = { value: '', dynamic: false };
        this.readWordPart(acc);
        delimiter += acc.value;
      } else {
        delimiter += c;
        this.pos++;
      }
    }
    if (this.pos === start) this.fail(`${op} must be followed by a word`);
    this.heredocs.push({ delimiter, stripTabs: op === '<<-', expands: !quoted, nested: this.nested, or: this.or });
  }

  /** Reads the bodies of the pending here-documents, line by line, from the cursor (a line start). */
  private readHeredocBodies(): void {
    const pending = this.heredocs;
    this.heredocs = [];
    for (const heredoc of pending) {
      const bodyStart = this.pos;
      let bodyEnd = -1;
      while (this.pos < this.limit) {
        const lineStart = this.pos;
        let lineEnd = this.text.indexOf('\n', lineStart);
        if (lineEnd < 0 || lineEnd > this.limit) lineEnd = this.limit;
        let contentStart = lineStart;
        if (heredoc.stripTabs) while (contentStart < lineEnd && this.text[contentStart] === '\t') contentStart++;
        this.pos = lineEnd < this.limit ? lineEnd + 1 : lineEnd;
        if (lineEnd - contentStart === heredoc.delimiter.length && this.text.startsWith(heredoc.delimiter, contentStart)) {
          bodyEnd = lineStart;
          break;
        }
      }
      if (bodyEnd < 0) this.fail(`unclosed here-document '${heredoc.delimiter}'`);
      if (heredoc.expands) this.parseHeredocBody(bodyStart, bodyEnd, heredoc);
    }
  }

  /** Expansions in an unquoted here-document body; commands in its substitutions are found. */
  private parseHeredocBody(start: number, end: number, heredoc: PendingHeredoc): void {
    const resume = this.pos;
    const savedLimit = this.limit;
    const savedNested = this.nested;
    const savedOr = this.or;
    this.pos = start;
    this.limit = end;
    this.nested = heredoc.nested;
    this.or = heredoc.or;
    const acc = { value: '', dynamic: false };
    while (!this.eof()) {
      const c = this.ch();
      if (c === '\\') this.pos += 2;
      else if (c === '$') this.readDollar(acc, true);
      else if (c === '`') this.readBackquote(acc, false);
      else this.pos++;
    }
    this.limit = savedLimit;
    this.nested = savedNested;
    this.or = savedOr;
    this.pos = resume;
  }

  // --- arithmetic ----------------------------------------------------------------------------------------

  private skipArithmSpace(): void {
    if (this.letMode) return;
    for (;;) {
      const c = this.ch();
      if (isBlank(c) || c === '\n') this.pos++;
      else if (c === '\\' && this.ch(1) === '\n') this.pos += 2;
      else return;
    }
  }

  /**
   * Validates an arithmetic expression up to one of the stop strings (not consumed). `optional`
   * allows an empty expression (the parts of a C-style for loop).
   */
  private parseArithm(stop: string, optional: boolean): void {
    this.skipArithmSpace();
    if (optional && this.atArithmStop(stop)) return;
    this.parseArithmExpr(0);
    this.skipArithmSpace();
    if (!this.atArithmStop(stop) && !this.eof()) {
      const c = this.ch();
      this.fail(`not a valid arithmetic operator: ${c}`);
    }
  }

  private atArithmStop(stop: string): boolean {
    if (stop === '))') return this.startsWith('))');
    if (stop === ':}') return this.ch() === ':' || this.ch() === '}';
    return this.ch() === stop;
  }

  /** Precedence climbing; returns whether the expression is a bare name (what `=` and `++` need). */
  private parseArithmExpr(minPrec: number): boolean {
    this.enter();
    let isName = this.parseArithmUnary();
    for (;;) {
      this.skipArithmSpace();
      const found = arithmBinary.find(([op]) => this.startsWith(op));
      if (!found) break;
      const [op, prec] = found;
      if (prec < minPrec) break;
      if (prec === 2 && !isName) this.fail(`${op} must follow a name`);
      this.pos += op.length;
      this.skipArithmSpace();
      if (this.eof() || this.atArithmEnd()) this.fail(`${op} must be followed by an expression`);
      if (op === '?') {
        this.parseArithmExpr(1);
        this.skipArithmSpace();
        if (this.ch() !== ':') this.fail('ternary operator missing : after ?');
        this.pos++;
        this.skipArithmSpace();
        if (this.eof() || this.atArithmEnd()) this.fail(': must be followed by an expression');
        this.parseArithmExpr(3);
      } else {
        // right-associative: assignment and **; left otherwise
        this.parseArithmExpr(prec === 2 || prec === 14 ? prec : prec + 1);
      }
      isName = false;
    }
    this.leave();
    return isName;
  }

  private atArithmEnd(): boolean {
    const c = this.ch();
    if (this.letMode && (isBlank(c) || c === '\n')) return true;
    return c === ')' || c === ']' || c === '}' || c === ';' || c === ':';
  }

  private parseArithmUnary(): boolean {
    this.skipArithmSpace();
    if (this.startsWith('++') || this.startsWith('--')) {
      const op = this.text.slice(this.pos, this.pos + 2);
      this.pos += 2;
      this.skipArithmSpace();
      if (this.eof() || this.atArithmEnd()) this.fail(`${op} must be followed by an expression`);
      this.enter();
      this.parseArithmUnary();
      this.leave();
      return false;
    }
    const c = this.ch();
    if (c === '!' || c === '~' || c === '+' || c === '-') {
      this.pos++;
      this.skipArithmSpace();
      if (this.eof() || this.atArithmEnd()) this.fail(`${c} must be followed by an expression`);
      this.enter();
      this.parseArithmUnary();
      this.leave();
      return false;
    }
    let isName = false;
    if (c === '(') {
      // inside parentheses blanks are skipped again, even in `let`
      const letMode = this.letMode;
      this.letMode = false;
      this.pos++;
      this.skipArithmSpace();
      if (this.eof() || this.atArithmEnd()) this.fail('( must be followed by an expression');
      this.parseArithmExpr(0);
      this.skipArithmSpace();
      if (this.ch() !== ')') this.fail('reached EOF without matching ( with )');
      this.pos++;
      this.letMode = letMode;
    } else {
      isName = this.readArithmOperand();
    }
    this.skipArithmSpace();
    if (this.startsWith('++') || this.startsWith('--')) {
      if (!isName) this.fail(`${this.text.slice(this.pos, this.pos + 2)} must follow a name`);
      this.pos += 2;
      return false;
    }
    return isName;
  }

  /** A number, name (maybe indexed) or expansion; returns whether it is a plain name. */
  private readArithmOperand(): boolean {
    const start = this.pos;
    let plain = true;
    const acc = { value: '', dynamic: false };
    while (!this.eof()) {
      const c = this.ch();
      if (isNameChar(c) || c === '.' || c >= '\u0080' || ((c === '#' || c === '@') && this.pos > start)) { this.pos++; continue; }
      if (c === '$' || c === '"' || c === "'" || c === '`' || c === '\\') {
        plain = false;
        const letMode = this.letMode;
        this.letMode = false;
        this.readWordPart(acc);
        this.letMode = letMode;
        continue;
      }
      break;
    }
    if (this.pos === start) {
      if (this.eof()) this.fail('reached EOF in an arithmetic expression');
      this.fail(`not a valid arithmetic operator: ${this.ch()}`);
    }
    const isName = plain && isNameStart(this.text[start]) && [...this.text.slice(start, this.pos)].every(isNameChar);
    if (isName && this.ch() === '[') {
      this.pos++;
      this.parseArithm(']', false);
      if (this.ch() !== ']') this.fail('reached EOF without matching [ with ]');
      this.pos++;
    }
    return isName;
  }
}
