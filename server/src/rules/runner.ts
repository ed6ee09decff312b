/**
 * Runs the rules over one analysis: severities from settings, suppression comments, a try/catch per rule
 * (a broken rule is an internal problem, never a crash) and cancellation between rules.
 *
 * Suppression comments (handled here, never in rules):
 *   # dockerfile-lean ignore=rule-a,rule-b      on the line(s) above an instruction
 *   # dockerfile-lean ignore-file=rule-a        anywhere: the whole file (no list = every rule)
 *   # hadolint ignore=DL3009,DL3015             hadolint's form, for rules that declare those codes
 *   # hadolint global ignore=DL3009             hadolint's file-wide form
 */
import type { DockerfileModel, Instruction, Range } from '../model/types';
import type { Finding, Fix, Rule, RuleContext, RuleReport, RuleSetting, Severity } from './types';
import { insertAt } from './lib/edits';
import { lineBreakOf } from '../text/edits';
import { formatFigure } from '../sizing/figure';
import { sameValues, TwoSlots } from '../model/stage-keys';

export interface RunnerOptions {
  rules?: Readonly<Record<string, RuleSetting>>;
  cancelled?: () => boolean;
  /** Per-stage reports of earlier runs to reuse (the language server's AnalysisCache), with the stages' keys. */
  memo?: { reports: RuleMemo; keys: readonly object[] };
}

/**
 * The reports of rules that check stage by stage (Rule.checkStage), kept per stage under a key that
 * stands for everything such reports may depend on: the stage's own key (model/stage-keys.ts), whether it
 * ships or is the final stage, its layer estimates, the build context, and — recursively — the same for
 * the stages it is built FROM, copies from (with their whole estimates) or mounts. One per document; a
 * keystroke re-checks the stages it touched.
 */
export class RuleMemo {
  private readonly stages = new TwoSlots<{ inputs: unknown[]; key: object }>();
  private readonly byRule = new Map<string, TwoSlots<{ key: object; reports: RuleReport[] }>>();
  /** Stage checks run (not reused) by the latest run, over all rules; for tests. */
  checkedStages = 0;

  /** @internal The dependency-closed key of every stage for this run. */
  keysFor(context: RuleContext, stageKeys: readonly object[]): object[] {
    const { model } = context;
    const mounted = new Map<number, number[]>();
    for (const edge of model.edges) {
      if (edge.kind === 'mount') mounted.set(edge.to, [...(mounted.get(edge.to) ?? []), edge.from]);
    }
    const keys: object[] = [];
    for (const stage of model.stages) {
      const s = stage.index;
      // The stage's layers, not its whole estimate: an edit in a stage it is built on moves its total but
      // keeps its layers (sizing/estimate.ts), and per-stage rules read layers. Totals of COPY --from
      // sources are read (copy-whole-stage), so those estimates count.
      const inputs: unknown[] = [
        stageKeys[s], model.shippedStageIndexes.has(s), model.finalStageIndex === s, context.sizing.stages[s]?.layers ?? null, context.context,
        stage.baseStage !== null ? keys[stage.baseStage] ?? null : null,
      ];
      for (const instruction of stage.instructions) {
        const from = instruction.copy?.fromStage;
        if (from !== undefined && from !== null) inputs.push(keys[from] ?? null, context.sizing.stages[from] ?? null);
      }
      for (const from of mounted.get(s) ?? []) inputs.push(keys[from] ?? null);
      const known = this.stages.find(s, (entry) => sameValues(entry.inputs, inputs));
      if (known) {
        keys.push(known.key);
      } else {
        const key = { stage: s };
        this.stages.add(s, { inputs, key });
        keys.push(key);
      }
    }
    return keys;
  }

  /** @internal A rule's reports for one stage: kept ones while the key is the same, else checked now. */
  reportsFor(rule: Rule, stageIndex: number, key: object, check: () => RuleReport[]): RuleReport[] {
    let byStage = this.byRule.get(rule.meta.id);
    if (!byStage) {
      byStage = new TwoSlots();
      this.byRule.set(rule.meta.id, byStage);
    }
    const kept = byStage.find(stageIndex, (entry) => entry.key === key);
    if (kept) return kept.reports;
    const reports = check();
    byStage.add(stageIndex, { key, reports });
    this.checkedStages++;
    return reports;
  }
}

export interface RunnerResult {
  findings: Finding[];
  /** Internal problems (a rule threw); reported to the log, not as diagnostics on user text. */
  internalErrors: string[];
  cancelled: boolean;
}

export function runRules(rules: readonly Rule[], context: RuleContext, options: RunnerOptions = {}): RunnerResult {
  const lookup = modelLookup(context.model);
  const suppressions = readSuppressions(context.model, rules, lookup);
  const findings: Finding[] = [];
  const internalErrors: string[] = [];
  const memo = options.memo;
  let stageKeys: object[] | null = null;
  if (memo) memo.reports.checkedStages = 0;
  for (const rule of rules) {
    if (options.cancelled?.()) return { findings, internalErrors, cancelled: true };
    const setting = options.rules?.[rule.meta.id] ?? rule.meta.defaultSeverity;
    if (setting === 'off') continue;
    let reports: RuleReport[];
    try {
      const checkStage = rule.checkStage;
      if (memo && checkStage) {
        stageKeys ??= memo.reports.keysFor(context, memo.keys);
        const keys = stageKeys;
        // The lines before the first FROM are few and have no stage key: checked every time.
        reports = checkStage(context, -1);
        for (const stage of context.model.stages) {
          for (const report of memo.reports.reportsFor(rule, stage.index, keys[stage.index], () => checkStage(context, stage.index))) reports.push(report);
        }
      } else {
        reports = rule.check(context);
      }
    } catch (error) {
      internalErrors.push(`rule ${rule.meta.id} failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
      continue;
    }
    for (const report of reports) {
      if (suppressions.isSuppressed(rule.meta.id, report.range)) continue;
      findings.push(toFinding(rule, setting, report, context.model, lookup));
    }
  }
  findings.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.ruleId.localeCompare(b.ruleId));
  return { findings, internalErrors, cancelled: false };
}

/**
 * Facts about the whole file that every finding asks for, computed once per run on first use (so a file
 * without findings pays nothing). Asking them per finding, by scanning the instructions or lines, made the
 * runner quadratic: seconds per keystroke on a 10,000-line file.
 */
interface ModelLookup {
  /** The first instruction (in model order) whose lines include `line`, or undefined. */
  instructionAt(line: number): Instruction | undefined;
  /** Where a file-wide comment goes: after parser directives (a comment above them would turn them off). */
  fileWideCommentLine(): number;
  lineBreak(): string;
}

function modelLookup(model: DockerfileModel): ModelLookup {
  let byLine: Int32Array | null = null;
  let topLine: number | null = null;
  let eol: string | null = null;
  const buildByLine = (): Int32Array => {
    const table = new Int32Array(model.lines.length).fill(-1);
    model.instructions.forEach((instruction, position) => {
      const last = Math.min(instruction.range.end.line, table.length - 1);
      for (let line = Math.max(0, instruction.range.start.line); line <= last; line++) if (table[line] < 0) table[line] = position;
    });
    return table;
  };
  return {
    instructionAt(line) {
      byLine ??= buildByLine();
      const position = line >= 0 && line < byLine.length ? byLine[line] : -1;
      return position >= 0 ? model.instructions[position] : undefined;
    },
    fileWideCommentLine() {
      if (topLine === null) {
        topLine = 0;
        while (topLine < model.lines.length && /^\s*#\s*(syntax|escape|check)\s*=/i.test(model.lines[topLine].replace(/^\uFEFF/, ''))) topLine++;
      }
      return topLine;
    },
    lineBreak() {
      eol ??= lineBreakOf(model.text);
      return eol;
    },
  };
}

function toFinding(rule: Rule, severity: Severity, report: RuleReport, model: DockerfileModel, lookup: ModelLookup): Finding {
  const stageIndex = report.stageIndex ?? null;
  const data: Record<string, string | number> = { ...(report.data ?? {}) };
  if (report.savings) data.savings = formatFigure(report.savings);
  const template = rule.meta.messages[report.messageId] ?? report.messageId;
  let message = fillTemplate(template, data);
  if (stageIndex !== null && model.stages.length > 1) {
    const stage = model.stages[stageIndex];
    message += ` [stage ${stage?.name ? `'${stage.name}'` : `#${stageIndex}`}]`;
  }
  return {
    ruleId: rule.meta.id,
    messageId: report.messageId,
    severity,
    message,
    range: report.range,
    stageIndex,
    fixes: [...(report.fixes ?? []), ...suppressionFixes(rule.meta.id, report.range, model, lookup)],
    savings: report.savings ?? null,
    data,
    docsUrl: rule.meta.docs.url,
  };
}

/** Replaces {{name}} with data values; a missing value leaves an empty string, never "undefined". */
export function fillTemplate(template: string, data: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, key: string) => (data[key] !== undefined ? String(data[key]) : ''));
}

// ---------------------------------------------------------------------------------------------------------
// Suppression comments

// Matched against comment text with trailing whitespace removed: a trailing `\s*$` after a list that can
// also hold spaces backtracks polynomially (a comment of 20,000 spaces took minutes).
const leanPattern = /^#\s*dockerfile-lean\s+(ignore|ignore-file)(?:\s*=\s*([\w\-,][\w\-, ]*)?)?$/i;
const hadolintPattern = /^#\s*hadolint\s+(global\s+)?ignore\s*=\s*([\w,][\w, ]*)$/i;

interface Suppressions { isSuppressed(ruleId: string, range: Range): boolean }

function readSuppressions(model: DockerfileModel, rules: readonly Rule[], lookup: ModelLookup): Suppressions {
  const byHadolint = new Map<string, string[]>();
  for (const rule of rules) for (const code of rule.meta.hadolint ?? []) byHadolint.set(code.toUpperCase(), [...(byHadolint.get(code.toUpperCase()) ?? []), rule.meta.id]);
  const fileWide = new Set<string>();
  let everything = false;
  // Line of the instruction a comment applies to → rule ids.
  const byLine = new Map<number, Set<string>>();
  const instructionStarts = model.instructions.map((i) => i.range.start.line).sort((a, b) => a - b);
  const nextInstructionLine = (line: number): number | undefined => {
    // Binary search for the first start after `line` (a linear scan per comment is quadratic).
    let lo = 0;
    let hi = instructionStarts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (instructionStarts[mid] > line) hi = mid; else lo = mid + 1;
    }
    return instructionStarts[lo];
  };
  for (const comment of model.comments) {
    const text = comment.text.trimEnd();
    const lean = leanPattern.exec(text);
    const hadolint = lean ? null : hadolintPattern.exec(text);
    if (!lean && !hadolint) continue;
    let ids: string[];
    if (lean) {
      ids = (lean[2] ?? '').split(/[\s,]+/).filter(Boolean);
    } else {
      ids = (hadolint![2] ?? '').split(/[\s,]+/).filter(Boolean).flatMap((code) => byHadolint.get(code.toUpperCase()) ?? []);
    }
    const isFileWide = lean ? lean[1].toLowerCase() === 'ignore-file' : Boolean(hadolint![1]);
    if (isFileWide) {
      if (lean && ids.length === 0) everything = true;
      ids.forEach((id) => fileWide.add(id));
      continue;
    }
    const target = nextInstructionLine(comment.range.start.line);
    if (target === undefined) continue;
    const set = byLine.get(target) ?? new Set<string>();
    ids.forEach((id) => set.add(id));
    byLine.set(target, set);
  }
  return {
    isSuppressed(ruleId, range) {
      if (everything || fileWide.has(ruleId)) return true;
      const instruction = lookup.instructionAt(range.start.line);
      const line = instruction ? instruction.range.start.line : range.start.line;
      return byLine.get(line)?.has(ruleId) ?? false;
    },
  };
}

/** Two fixes on every finding: silence it on this instruction, or in the whole file. */
function suppressionFixes(ruleId: string, range: Range, model: DockerfileModel, lookup: ModelLookup): Fix[] {
  const eol = lookup.lineBreak();
  const instruction = lookup.instructionAt(range.start.line);
  const line = instruction ? instruction.range.start.line : range.start.line;
  const lineText = model.lines[line] ?? '';
  const indent = /^[ \t]*/.exec(lineText)?.[0] ?? '';
  const previous = line > 0 ? model.lines[line - 1] ?? '' : '';
  const existing = leanPattern.exec(previous.trim());
  const lineFix: Fix = existing && existing[1].toLowerCase() === 'ignore'
    ? {
      title: `Ignore ${ruleId} for this instruction`,
      kind: 'quickfix', safe: false,
      edits: [{ range: { start: { line: line - 1, character: 0 }, end: { line: line - 1, character: previous.length } }, newText: `${/^[ \t]*/.exec(previous)?.[0] ?? ''}# dockerfile-lean ignore=${[...(existing[2] ?? '').split(/[\s,]+/).filter(Boolean), ruleId].join(',')}` }],
    }
    : { title: `Ignore ${ruleId} for this instruction`, kind: 'quickfix', safe: false, edits: [insertAt({ line, character: 0 }, `${indent}# dockerfile-lean ignore=${ruleId}${eol}`)] };
  const topLine = lookup.fileWideCommentLine();
  const fileFix: Fix = {
    title: `Ignore ${ruleId} in this file`,
    kind: 'quickfix', safe: false,
    edits: [insertAt({ line: topLine, character: 0 }, `# dockerfile-lean ignore-file=${ruleId}${eol}`)],
  };
  return [lineFix, fileFix];
}

export function isSuppressionFix(fix: Fix): boolean {
  return fix.title.startsWith('Ignore ');
}
