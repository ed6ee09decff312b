/**
 * Dockerfile text → DockerfileModel. Never throws: broken input yields a model with `problems`.
 *
 * Two passes. The first is context-free and cached by instruction text (dockerfile-ast parse of one chunk,
 * flags, heredocs, the RUN shell script); the second is cheap and walks the instructions in order to
 * resolve what depends on context (ARG/ENV expansion, stages, `--from` edges, what ships).
 */
import { DockerfileParser, type Instruction as AstInstruction } from 'dockerfile-ast';
import type {
  Arg, CopySpec, DockerfileModel, Flag, Heredoc, Instruction, Mount, ParseProblem, Position, Range, Stage, StageEdge,
} from './types';
import { splitInstructions, splitLines, type Chunk } from './split';
import { expandVariables, parseAssignments, unquote } from './variables';
import { parseImageReference } from './image-ref';
import { parseShell, type ShellSource } from '../shell/parse';
import type { ShellScript } from '../shell/types';

/** Parsed instruction with line numbers relative to its chunk's first line. */
interface CachedInstruction {
  instruction: Omit<Instruction, 'index' | 'stageIndex'>;
  problems: ParseProblem[];
}

/**
 * Cache of chunk parses keyed by escape character and chunk text. Owned by the caller (one per open
 * document in the server) so nothing in the engine holds module-level state.
 *
 * Each entry also keeps its instructions already moved to the lines where the chunk sits (the same text,
 * e.g. `USER app`, can sit at many lines): most keystrokes move no chunk, and re-shifting every range of
 * every instruction was most of the cost of an edit in a large file.
 *
 * One map per escape character, keyed by the chunk text itself: a key joined from both was a new string
 * per chunk per keystroke, and hashing it copied the whole document's text every time.
 */
export class ParseCache {
  private readonly byEscape = new Map<string, Map<string, CacheEntry>>();
  /** Counts parses; an entry or placement not used by the latest two parses is dropped by `sweep`. */
  private parseNumber = 0;

  get(escapeChar: string, text: string): CacheEntry | undefined {
    const hit = this.byEscape.get(escapeChar)?.get(text);
    if (hit) hit.usedBy = this.parseNumber;
    return hit;
  }

  set(escapeChar: string, text: string, parsed: CachedInstruction[]): CacheEntry {
    const entry: CacheEntry = { parsed, placements: new Map(), usedBy: this.parseNumber };
    let entries = this.byEscape.get(escapeChar);
    if (!entries) {
      entries = new Map();
      this.byEscape.set(escapeChar, entries);
    }
    entries.set(text, entry);
    return entry;
  }

  /** The chunk's instructions and problems at `startLine`, shifted once and then reused. Never mutate them. */
  place(entry: CacheEntry, startLine: number): Placement {
    let placement = entry.placements.get(startLine);
    if (!placement) {
      placement = {
        instructions: entry.parsed.map((e) => shiftLines(e.instruction, startLine)),
        problems: entry.parsed.flatMap((e) => e.problems.map((p) => shiftLines(p, startLine))),
        usedBy: this.parseNumber,
      };
      entry.placements.set(startLine, placement);
    }
    placement.usedBy = this.parseNumber;
    return placement;
  }

  /**
   * Drops entries neither of the last two parses used, so memory follows the document, not its history.
   * Two, not one: undoing an edit that broke a heredoc or a FROM (and re-read everything after it) finds
   * the parses of before the edit still here.
   */
  sweep(): void {
    const oldest = this.parseNumber - 1;
    // forEach: a for-of over entries allocates a pair per entry, on every keystroke.
    for (const entries of this.byEscape.values()) {
      entries.forEach((entry, text) => {
        if (entry.usedBy < oldest) {
          entries.delete(text);
        } else if (entry.placements.size > 1) {
          entry.placements.forEach((placement, line) => { if (placement.usedBy < oldest) entry.placements.delete(line); });
        }
      });
    }
    this.parseNumber++;
  }

  get size(): number {
    let size = 0;
    for (const entries of this.byEscape.values()) size += entries.size;
    return size;
  }
}

interface CacheEntry {
  parsed: CachedInstruction[];
  /** Start line → the parse shifted there. */
  placements: Map<number, Placement>;
  usedBy: number;
}

interface Placement {
  instructions: CachedInstruction['instruction'][];
  problems: ParseProblem[];
  usedBy: number;
}

export interface ParseOptions {
  cache?: ParseCache;
  /** Build args given by the user (e.g. CLI `--build-arg`), overriding ARG defaults. */
  buildArgs?: ReadonlyMap<string, string>;
}

export function parseDockerfile(text: string, options: ParseOptions = {}): DockerfileModel {
  const lines = splitLines(text);
  const split = splitInstructions(lines);
  const lineStarts = computeLineStarts(text);
  const problems: ParseProblem[] = [];
  const instructions: Instruction[] = [];
  const cache = options.cache ?? new ParseCache();
  for (const chunk of split.chunks) {
    const chunkText = text.slice(lineStarts[chunk.startLine], lineEndOffset(text, lineStarts, chunk.endLine));
    const entry = cache.get(split.escapeChar, chunkText) ?? cache.set(split.escapeChar, chunkText, parseChunk(chunkText, chunk, split.escapeChar));
    const placed = cache.place(entry, chunk.startLine);
    for (const instruction of placed.instructions) {
      // The second pass sets `index`, `stageIndex` and `copy` on this fresh object, and replaces `args`
      // when expansion changes one, so the cached, placed instruction stays as parsed.
      instructions.push(freshInstruction(instruction, instructions.length));
    }
    for (const problem of placed.problems) problems.push(problem);
  }
  cache.sweep();
  const model = resolveContext(text, lines, split.escapeChar, instructions, problems, options.buildArgs);
  model.comments = split.comments.map((c) => ({
    text: c.text,
    range: { start: { line: c.line, character: c.start }, end: { line: c.line, character: lines[c.line].length } },
  }));
  return model;
}

/**
 * A new instruction object over a cached one. Built field by field, not by spreading: the cached objects
 * come out of `shiftLines` with varied hidden classes, and a spread copy kept them megamorphic for every
 * later read (it was the biggest single cost of an edit). Optional fields are set only when present, so
 * the result has exactly the keys the cached instruction has.
 */
function freshInstruction(cached: CachedInstruction['instruction'], index: number): Instruction {
  // Same key order as a parse without the cache, so serialised models do not change.
  const instruction = {
    keyword: cached.keyword,
    range: cached.range,
    keywordRange: cached.keywordRange,
    flags: cached.flags,
    args: cached.args,
    heredocs: cached.heredocs,
    jsonForm: cached.jsonForm,
    onbuild: cached.onbuild,
  } as Instruction;
  if ('mounts' in cached) instruction.mounts = cached.mounts;
  if ('shell' in cached) instruction.shell = cached.shell;
  if ('copy' in cached) instruction.copy = cached.copy;
  instruction.index = index;
  instruction.stageIndex = -1;
  return instruction;
}

function computeLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 13 /* \r */) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    } else if (ch === 10) {
      starts.push(i + 1);
    }
  }
  return starts;
}

function lineEndOffset(text: string, lineStarts: number[], line: number): number {
  if (line + 1 >= lineStarts.length) return text.length;
  let end = lineStarts[line + 1] - 1;
  if (text[end] === '\n' && text[end - 1] === '\r') end--;
  return end;
}

// ---------------------------------------------------------------------------------------------------------
// First pass: one chunk, no context.

function parseChunk(originalText: string, chunk: Chunk, escapeChar: string): CachedInstruction[] {
  // A lone CR ends a line (as in VS Code and LSP) but dockerfile-ast and the heredoc reading below look for
  // LF; as LF it keeps every offset and position, so the file reads exactly like its LF twin.
  const chunkText = originalText.includes('\r') ? originalText.replace(/\r(?!\n)/g, '\n') : originalText;
  // dockerfile-ast needs the escape directive to read continuations the way the file declares them.
  const prefix = escapeChar === '`' ? '# escape=`\n' : '';
  const prefixLines = prefix ? 1 : 0;
  let ast;
  try {
    ast = DockerfileParser.parse(prefix + chunkText);
  } catch (error) {
    const range = { start: { line: 0, character: 0 }, end: { line: chunk.endLine - chunk.startLine, character: 0 } };
    return [{ instruction: emptyInstruction(chunk.keyword, range), problems: [{ message: `Could not parse this instruction: ${String(error)}`, range, severity: 'warning' }] }];
  }
  const chunkLines = splitLines(chunkText);
  const chunkLineStarts = computeLineStarts(chunkText);
  const out: CachedInstruction[] = [];
  for (const astInstruction of ast.getInstructions()) {
    const problems: ParseProblem[] = [];
    const unshift = <T>(value: T): T => (prefixLines ? shiftLines(value, -prefixLines) : value);
    let instruction = unshift(convertInstruction(astInstruction, false, chunkLines));
    if (instruction.keyword === 'ONBUILD') {
      const trigger = (astInstruction as unknown as { getTriggerInstruction(): AstInstruction | null }).getTriggerInstruction();
      if (trigger) {
        const converted = unshift(convertInstruction(trigger, true, chunkLines));
        instruction = { ...converted, range: instruction.range };
      }
    }
    if (instruction.keyword === 'RUN' && !instruction.jsonForm) {
      const shellResult = buildRunShell(instruction, chunkText, chunkLineStarts, escapeChar);
      instruction.shell = shellResult;
      if (shellResult.parseError) {
        problems.push({
          message: `The shell in this RUN could not be parsed (${shellResult.parseError}); rules and sizes use a best-effort reading.`,
          range: instruction.keywordRange,
          severity: 'info',
        });
      }
    }
    for (const delimiter of chunk.unterminatedHeredocs) {
      problems.push({ message: `Heredoc '${delimiter}' is never closed: add a line with only '${delimiter}'.`, range: instruction.keywordRange, severity: 'error' });
    }
    out.push({ instruction, problems });
  }
  if (out.length === 0) {
    const range = { start: { line: 0, character: 0 }, end: { line: 0, character: chunkLines[0]?.length ?? 0 } };
    out.push({ instruction: emptyInstruction(chunk.keyword, range), problems: [] });
  }
  return out;
}

function emptyInstruction(keyword: string, range: Range): CachedInstruction['instruction'] {
  return { keyword, range, keywordRange: range, flags: [], args: [], heredocs: [], jsonForm: false, onbuild: false };
}

const jsonCapable = new Set(['RUN', 'CMD', 'ENTRYPOINT', 'SHELL', 'COPY', 'ADD', 'VOLUME', 'HEALTHCHECK']);

function convertInstruction(ast: AstInstruction, onbuild: boolean, chunkLines: string[]): CachedInstruction['instruction'] {
  const keyword = ast.getKeyword().toUpperCase();
  const anyAst = ast as unknown as {
    getFlags?: () => { getName(): string; getValue(): string | null; getRange(): Range; getOptions(): { getName(): string; getValue(): string | null }[] }[];
    getHeredocs?: () => { getName(): string; getContentRange(): Range | null; getDelimiterRange(): Range | null }[];
    getJSONStrings?: () => { getJSONValue(): string; getRange(): Range }[];
    getOpeningBracket?: () => unknown;
  };
  // dockerfile-ast works each of these out again on every call: ask once.
  const astFlags = anyAst.getFlags?.() ?? [];
  const flags: Flag[] = astFlags.map((f) => ({ name: f.getName(), value: f.getValue(), range: f.getRange() }));
  const heredocs: Heredoc[] = astHeredocs(anyAst).map((h) => {
    const contentRange = h.getContentRange();
    return {
      delimiter: h.getName(),
      content: contentRange ? textOfRange(chunkLines, contentRange) : '',
      contentRange,
      terminated: h.getDelimiterRange() !== null,
    };
  });
  const jsonStrings = anyAst.getJSONStrings?.() ?? [];
  const jsonForm = jsonCapable.has(keyword) && anyAst.getOpeningBracket?.() != null && jsonStrings.length > 0;
  const args: Arg[] = jsonForm
    ? jsonStrings.map((j) => ({ value: j.getJSONValue(), expanded: j.getJSONValue(), range: j.getRange() }))
    : ast.getArguments().map((a) => ({ value: a.getValue(), expanded: a.getValue(), range: a.getRange() }));
  const instruction: CachedInstruction['instruction'] = {
    keyword,
    range: ast.getRange(),
    keywordRange: ast.getInstructionRange(),
    flags,
    args,
    heredocs,
    jsonForm,
    onbuild,
  };
  if (keyword === 'RUN') {
    const mountFlags = astFlags.filter((f) => f.getName() === 'mount');
    instruction.mounts = mountFlags.map((f) => parseMount(f.getOptions().map((o) => [o.getName(), o.getValue()])));
  }
  return instruction;
}

/** dockerfile-ast's heredocs; it throws on some broken `<<` text, which then simply has none. */
function astHeredocs(ast: { getHeredocs?: () => { getName(): string; getContentRange(): Range | null; getDelimiterRange(): Range | null }[] }) {
  try {
    return ast.getHeredocs?.() ?? [];
  } catch {
    return [];
  }
}

function parseMount(options: [string, string | null][]): Mount {
  const get = (...names: string[]) => options.find(([n]) => names.includes(n.toLowerCase()))?.[1] ?? null;
  return {
    type: (get('type') ?? 'bind').toLowerCase(),
    target: get('target', 'dst', 'destination'),
    from: get('from'),
    source: get('source', 'src'),
  };
}

function textOfRange(lines: string[], range: Range): string {
  if (range.start.line === range.end.line) return (lines[range.start.line] ?? '').slice(range.start.character, range.end.character);
  const parts = [(lines[range.start.line] ?? '').slice(range.start.character)];
  for (let l = range.start.line + 1; l < range.end.line; l++) parts.push(lines[l] ?? '');
  parts.push((lines[range.end.line] ?? '').slice(0, range.end.character));
  return parts.join('\n');
}

/**
 * The shell text a RUN hands to `/bin/sh -c`, with each character's chunk offset, so command and word
 * ranges point at the document. Continuations are joined and comment lines inside them dropped, as
 * Docker does; heredoc bodies that are scripts (`RUN <<EOF`, `RUN bash <<EOF`) are parsed as shell.
 */
function buildRunShell(instruction: CachedInstruction['instruction'], chunkText: string, lineStarts: number[], escapeChar: string): ShellScript {
  const toOffset = (p: Position) => (lineStarts[p.line] ?? chunkText.length) + p.character;
  const toPosition = (offset: number): Position => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= offset) lo = mid; else hi = mid - 1;
    }
    return { line: lo, character: offset - lineStarts[lo] };
  };
  if (instruction.args.length === 0) return { commands: [], parseError: null };
  const start = toOffset(instruction.args[0].range.start);
  const end = toOffset(instruction.range.end);
  const scriptHeredocs = instruction.heredocs.filter((h) => h.contentRange);
  if (scriptHeredocs.length > 0) {
    const firstLineEnd = chunkText.indexOf('\n', start) < 0 ? end : Math.min(end, chunkText.indexOf('\n', start));
    const commandLine = chunkText.slice(start, firstLineEnd);
    const onlyMarkers = /^(\s*<<-?\s*["']?[A-Za-z_][A-Za-z0-9_.-]*["']?)+\s*$/.test(commandLine);
    const shellStdin = /^\s*(sudo\s+)?(ba|da|z|k)?sh(\s+-[a-z]+)*\s+<<-?/.test(commandLine);
    if (onlyMarkers || shellStdin) {
      const scripts = scriptHeredocs
        .filter((h) => !/^#!\s*\S*(python|node|perl|ruby|php)/.test(h.content))
        .map((h) => {
          const from = toOffset((h.contentRange as Range).start);
          return parseShell(sourceFrom(chunkText, from, toOffset((h.contentRange as Range).end), escapeChar, false), toPosition);
        });
      const commands = scripts.flatMap((s) => s.commands).map((c, index) => ({ ...c, index }));
      return { commands, parseError: scripts.find((s) => s.parseError)?.parseError ?? null };
    }
  }
  return parseShell(sourceFrom(chunkText, start, end, escapeChar, scriptHeredocs.length === 0), toPosition);
}

function sourceFrom(text: string, start: number, end: number, escapeChar: string, joinContinuations: boolean): ShellSource {
  let out = '';
  const offsets: number[] = [];
  let i = start;
  while (i < end) {
    if (joinContinuations && text[i] === escapeChar) {
      // escape + optional spaces + newline: a Dockerfile line continuation.
      let j = i + 1;
      while (j < end && (text[j] === ' ' || text[j] === '\t')) j++;
      if (j < end && (text[j] === '\n' || text[j] === '\r')) {
        j += text[j] === '\r' && text[j + 1] === '\n' ? 2 : 1;
        // Skip comment and blank lines that sit inside the continuation.
        for (;;) {
          let k = j;
          while (k < end && (text[k] === ' ' || text[k] === '\t')) k++;
          if (k < end && text[k] === '#') {
            while (k < end && text[k] !== '\n' && text[k] !== '\r') k++;
          } else if (!(k < end && (text[k] === '\n' || text[k] === '\r'))) {
            break;
          }
          if (k >= end) { j = k; break; }
          j = k + (text[k] === '\r' && text[k + 1] === '\n' ? 2 : 1);
        }
        // Keep a space so words on both sides stay apart, mapped to the continuation itself.
        out += ' ';
        offsets.push(i);
        i = j;
        continue;
      }
    }
    out += text[i] === '\r' ? '\n' : text[i];
    offsets.push(i);
    i += text[i] === '\r' && text[i + 1] === '\n' ? 2 : 1;
  }
  offsets.push(end);
  return { text: out, documentOffsets: offsets };
}

/** Adds `delta` to every `line` in the position objects of a value (ranges, nested words, heredocs). */
export function shiftLines<T>(value: T, delta: number): T {
  if (delta === 0 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => shiftLines(v, delta)) as T;
  const record = value as Record<string, unknown>;
  if (typeof record.line === 'number' && typeof record.character === 'number' && Object.keys(record).length === 2) {
    return { line: (record.line as number) + delta, character: record.character } as T;
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(record)) out[key] = shiftLines(record[key], delta);
  return out as T;
}

// ---------------------------------------------------------------------------------------------------------
// Second pass: context (variables, stages, edges).

function resolveContext(
  text: string, lines: string[], escapeChar: string, instructions: Instruction[], problems: ParseProblem[],
  buildArgs: ReadonlyMap<string, string> | undefined,
): DockerfileModel {
  const globalArgs = new Map<string, string | null>();
  const stages: Stage[] = [];
  const edges: StageEdge[] = [];
  // Variables visible at the end of each stage: a stage built FROM another inherits its ENV.
  const stageScopes = new Map<number, Map<string, string | null>>();
  let scope = new Map<string, string | null>();
  let current: Stage | null = null;
  // Latest stage of each name so far: a reference resolves to the nearest earlier stage of that name.
  const stageIndexByName = new Map<string, number>();

  const stageByReference = (reference: string, before: number): number | null => {
    const lower = reference.toLowerCase();
    if (/^\d+$/.test(lower)) {
      const index = Number(lower);
      return index < before ? index : null;
    }
    const index = stageIndexByName.get(lower);
    return index !== undefined && index < before ? index : null;
  };

  const expand = (value: string) => expandVariables(value, scope, escapeChar);
  /** A stage's range ends with its last instruction; set once per stage, not per instruction. */
  const closeStage = (stage: Stage | null) => {
    const last = stage?.instructions[stage.instructions.length - 1];
    if (stage && last) stage.range = { start: stage.range.start, end: last.range.end };
  };
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM' && !instruction.onbuild) {
      closeStage(current);
      const args = instruction.args;
      const imageArg = args[0];
      const asIndex = args.findIndex((a, i) => i > 0 && a.value.toUpperCase() === 'AS');
      const name = asIndex > 0 && args[asIndex + 1] ? args[asIndex + 1].value.toLowerCase() : null;
      const expansion = imageArg ? expandVariables(imageArg.value, globalArgs, escapeChar) : { value: '', unresolved: [] };
      const ref = parseImageReference(
        imageArg?.value ?? '', expansion.value, expansion.unresolved,
        imageArg?.range ?? instruction.keywordRange,
      );
      const stageIndex = stages.length;
      const baseStage = ref.tag === null && ref.digest === null && ref.registry === null ? stageByReference(ref.repository, stageIndex) : null;
      const platformFlag = instruction.flags.find((f) => f.name.toLowerCase() === 'platform');
      if (!imageArg) problems.push({ message: 'FROM needs an image: FROM <image>[:tag] [AS name]', range: instruction.range, severity: 'error' });
      current = {
        index: stageIndex,
        name,
        nameRange: name && args[asIndex + 1] ? args[asIndex + 1].range : null,
        from: ref,
        baseStage,
        scratch: ref.repository === 'scratch' && baseStage === null,
        platform: platformFlag?.value ? expandVariables(platformFlag.value, globalArgs, escapeChar).value : null,
        fromInstruction: instruction,
        instructions: [],
        range: instruction.range,
      };
      stages.push(current);
      if (name) stageIndexByName.set(name, stageIndex);
      if (baseStage !== null) edges.push({ from: baseStage, to: stageIndex, kind: 'from', instructionIndex: instruction.index });
      instruction.stageIndex = stageIndex;
      // A stage sees global ARGs only when it re-declares them; ENV of a base stage carries over.
      scope = baseStage !== null ? new Map(stageScopes.get(baseStage) ?? []) : new Map();
      stageScopes.set(stageIndex, scope);
      continue;
    }
    if (!current) {
      if (instruction.keyword === 'ARG') {
        for (const [key, value] of parseAssignments(instruction.args.map((a) => a.value), false)) {
          const given = buildArgs?.get(key);
          globalArgs.set(key, given ?? (value !== null ? expandVariables(value, globalArgs, escapeChar).value : null));
        }
      } else if (instruction.keyword !== '') {
        problems.push({ message: `${instruction.keyword} before the first FROM: only ARG may come before FROM.`, range: instruction.keywordRange, severity: 'error' });
      }
      continue;
    }
    instruction.stageIndex = current.index;
    current.instructions.push(instruction);
    if (instruction.onbuild) continue;
    // Args are shared with the parse cache: replace them, never write into them. Only text with a `$`
    // can expand (a cached argument's `expanded` is its text).
    const args = instruction.args;
    let replaced: Arg[] | null = null;
    for (let i = 0; i < args.length; i++) {
      if (!args[i].value.includes('$')) continue;
      const value = expand(args[i].value).value;
      if (value !== args[i].expanded) {
        replaced ??= args.slice();
        replaced[i] = { ...args[i], expanded: value };
      }
    }
    if (replaced) instruction.args = replaced;
    if (instruction.keyword === 'ARG') {
      for (const [key, value] of parseAssignments(instruction.args.map((a) => a.value), false)) {
        const given = buildArgs?.get(key);
        const inherited = globalArgs.has(key) ? globalArgs.get(key) ?? null : null;
        scope.set(key, given ?? (value !== null ? expand(value).value : inherited));
      }
    } else if (instruction.keyword === 'ENV') {
      const legacy = instruction.args.length > 0 && !instruction.args[0].value.includes('=');
      for (const [key, value] of parseAssignments(instruction.args.map((a) => a.value), legacy)) {
        scope.set(key, value === null ? null : unquote(expand(value).value));
      }
    } else if (instruction.keyword === 'COPY' || instruction.keyword === 'ADD') {
      instruction.copy = copySpec(instruction, current.index, stageByReference, expand);
      if (instruction.copy.fromStage !== null) edges.push({ from: instruction.copy.fromStage, to: current.index, kind: 'copy', instructionIndex: instruction.index });
    } else if (instruction.keyword === 'RUN') {
      for (const mount of instruction.mounts ?? []) {
        const from = mount.from ? stageByReference(expand(mount.from).value, current.index) : null;
        if (from !== null) edges.push({ from, to: current.index, kind: 'mount', instructionIndex: instruction.index });
      }
    }
  }

  closeStage(current);
  const finalStageIndex = stages.length > 0 ? stages.length - 1 : null;
  return {
    text,
    lines,
    escapeChar,
    instructions,
    stages,
    globalArgs,
    edges,
    finalStageIndex,
    shippedStageIndexes: shippedStages(stages, edges, finalStageIndex),
    comments: [],
    problems,
  };
}

function copySpec(
  instruction: Instruction, stageIndex: number,
  stageByReference: (reference: string, before: number) => number | null,
  expand: (value: string) => { value: string },
): CopySpec {
  const fromFlag = instruction.flags.find((f) => f.name.toLowerCase() === 'from');
  const from = fromFlag?.value != null ? expand(fromFlag.value).value : null;
  const args = instruction.args;
  return {
    from,
    fromStage: from !== null ? stageByReference(from, stageIndex) : null,
    sources: args.slice(0, Math.max(0, args.length - 1)),
    destination: args.length >= 2 ? args[args.length - 1] : null,
  };
}

/**
 * A stage ships when it is the final stage or a possible `--target` (nothing else uses it), or when a
 * shipping stage is built FROM it. Stages used only through COPY --from ship just the copied paths.
 */
function shippedStages(stages: Stage[], edges: StageEdge[], finalStageIndex: number | null): Set<number> {
  const shipped = new Set<number>();
  if (finalStageIndex === null) return shipped;
  const used = new Set(edges.map((e) => e.from));
  const roots = stages.filter((s) => s.index === finalStageIndex || !used.has(s.index)).map((s) => s.index);
  const visit = (index: number) => {
    if (shipped.has(index)) return;
    shipped.add(index);
    const base = stages[index].baseStage;
    if (base !== null) visit(base);
  };
  roots.forEach(visit);
  return shipped;
}
