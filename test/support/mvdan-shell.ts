/**
 * Reference for the shell parser's differential test: RUN text → commands through mvdan-sh (the Go
 * `mvdan.cc/sh` parser compiled to JavaScript), as server/src/shell/parse.ts did before our own parser
 * replaced it. mvdan-sh is a devDependency used only here.
 *
 * One deliberate correction against the former converter: `nested` and `afterOr` are read from the tree
 * (the call is inside a subshell, block, if, loop, case, function or substitution node; inside the
 * right-hand side of a BinaryCmd whose operator is `||`). The former converter looked for `||` in the text
 * between the two sides, and for calls starting inside those nodes' byte spans. Both go wrong around
 * here-documents, whose bodies stretch a statement's span past the commands that follow on its line:
 * `a <<EOF || b` (empty "between" text, so `b` was not afterOr), `a || <<EOF & b` and `f() <<EOF & b`
 * (`b`, a separate statement, fell inside the span); and a `||` inside a comment after `&&` matched.
 */
import * as mvdanSh from 'mvdan-sh';
import type { ShellCommand, ShellScript, ShellWord } from '../../server/src/shell/types';
import type { Range } from '../../server/src/model/types';
import {
  commandName, endOffset, fallbackScript, finishCommand, stripPrefixes, type OffsetToPosition, type ShellSource,
} from '../../server/src/shell/parse';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Node = any;
const syntax = mvdanSh.syntax;
const parser = syntax.NewParser(syntax.KeepComments(false), syntax.Variant(syntax.LangBash));

export function parseShellWithMvdan(source: ShellSource, toPosition: OffsetToPosition): ShellScript {
  const { text } = source;
  const byteToChar = byteToCharMap(text);
  const rangeOf = (startByte: number, endByte: number): Range => ({
    start: toPosition(source.documentOffsets[byteToChar(startByte)]),
    end: toPosition(endOffset(source, byteToChar(endByte))),
  });
  let file;
  try {
    file = parser.Parse(text, '');
  } catch (error) {
    return fallbackScript(source, toPosition, describeParseError(error));
  }
  const commands: ShellCommand[] = [];
  // Walk visits parents before children, so spans are known before the calls inside them.
  const afterOrCalls = new Set<number>();
  const nestedCalls = new Set<number>();
  /** Records the start of every call with words below `node` (not `node` itself). */
  const markCallsBelow = (node: Node, into: Set<number>) => {
    syntax.Walk(node, (inner: Node) => {
      if (inner && inner !== node && syntax.NodeType(inner) === 'CallExpr' && inner.Args.length > 0) into.add(inner.Pos().Offset());
      return true;
    });
  };
  const writesByCall = new Map<number, ShellWord[]>();
  syntax.Walk(file, (node: Node) => {
    if (!node) return true;
    const type = syntax.NodeType(node);
    if (type === 'Stmt') {
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
      const opAt = byteToChar(node.OpPos.Offset());
      if (text.startsWith('||', opAt)) markCallsBelow(node.Y, afterOrCalls);
    } else if (type === 'Subshell' || type === 'Block' || type === 'IfClause' || type === 'WhileClause' ||
      type === 'ForClause' || type === 'CaseClause' || type === 'FuncDecl' || type === 'CmdSubst' || type === 'ProcSubst') {
      markCallsBelow(node, nestedCalls);
    } else if (type === 'CallExpr') {
      const args = node.Args;
      if (args.length === 0) return true;
      const start = node.Pos().Offset();
      const words = args.map((word: Node) => toWord(word, text, byteToChar, rangeOf));
      const argv = stripPrefixes(words);
      if (argv.length === 0) return true;
      commands.push({
        name: commandName(argv[0].value),
        argv,
        range: rangeOf(start, node.End().Offset()),
        index: 0,
        nested: nestedCalls.has(start),
        afterOr: afterOrCalls.has(start),
        packageOp: null,
        writes: writesByCall.get(start) ?? [],
      });
    }
    return true;
  });
  commands.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  return { commands: commands.map(finishCommand), parseError: null };
}

function toWord(word: Node, text: string, byteToChar: (b: number) => number, rangeOf: (s: number, e: number) => Range): ShellWord {
  const start = word.Pos().Offset();
  const end = word.End().Offset();
  let dynamic = false;
  const value = wordValue(word.Parts, () => { dynamic = true; }, text, byteToChar);
  return { value, raw: text.slice(byteToChar(start), byteToChar(end)), range: rangeOf(start, end), dynamic };
}

function wordValue(parts: Node[], markDynamic: () => void, text: string, byteToChar: (b: number) => number): string {
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
      markDynamic();
      out += text.slice(byteToChar(part.Pos().Offset()), byteToChar(part.End().Offset()));
    }
  }
  return out;
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
