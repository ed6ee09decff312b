import type { DockerfileModel, Range } from '../model/types';
import type { Figure } from '../sizing/figure';
import type { ImageEstimate } from '../sizing/types';
import type { BuildContext } from '../engine-env';

export type Severity = 'error' | 'warning' | 'info' | 'hint';
export type RuleSetting = Severity | 'off';

export type RuleType = 'size' | 'correctness' | 'security' | 'practice';

export interface RuleMeta {
  /** Stable id; also the rule's file name and doc page name. */
  id: string;
  type: RuleType;
  defaultSeverity: Severity;
  docs: { description: string; url: string };
  /** True when at least one fix is safe to apply without review (CLI --fix, "fix all"). */
  fixable: boolean;
  /** Message templates by messageId, with {{placeholders}}. */
  messages: Record<string, string>;
  /** hadolint codes that mean the same thing, so `# hadolint ignore=DL3009` suppresses this rule too. */
  hadolint?: string[];
}

export interface TextEdit { range: Range; newText: string }

export interface Fix {
  title: string;
  edits: TextEdit[];
  /** quickfix: a local repair; refactor: a larger rewrite to review (e.g. split into stages). */
  kind: 'quickfix' | 'refactor';
  /** Safe fixes are applied by `--fix` and "fix all"; others only when the user picks them. */
  safe: boolean;
  preferred?: boolean;
}

/** What a rule's check returns; the runner turns it into a Finding. */
export interface RuleReport {
  messageId: string;
  data?: Record<string, string | number>;
  range: Range;
  /** Stage the finding concerns (shown in messages and JSON). */
  stageIndex?: number | null;
  fixes?: Fix[];
  /** Bytes the user gets back by following the advice. */
  savings?: Figure | null;
}

export interface Finding {
  ruleId: string;
  messageId: string;
  severity: Severity;
  message: string;
  range: Range;
  stageIndex: number | null;
  fixes: Fix[];
  savings: Figure | null;
  data: Record<string, string | number>;
  docsUrl: string;
}

export interface RuleContext {
  model: DockerfileModel;
  /** Size estimates for every stage and layer, computed once per analysis. */
  sizing: ImageEstimate;
  /** The build context on disk, when the caller could read it (CLI, trusted workspace). */
  context: BuildContext | null;
  /**
   * Language server only: per stage, an object that stays the same from one keystroke to the next while
   * the stage and the stages it is built on are unchanged (model/stage-keys.ts `chainKeys`), to key memos
   * of facts about a stage chain.
   */
  chainKeys?: readonly object[];
}

export interface ValidCase { code: string; name?: string; files?: Record<string, number | string> }

export interface ExpectedError {
  messageId: string;
  /** 0-based line of the range start. */
  line?: number;
  data?: Record<string, string | number>;
}

export interface InvalidCase {
  code: string;
  name?: string;
  /** Text after applying every safe fix of this rule; null when the rule offers no safe fix here. */
  output: string | null;
  errors: ExpectedError[];
  /** Files in a fake build context: path → size in bytes or content. */
  files?: Record<string, number | string>;
}

export interface RuleCases { valid: (string | ValidCase)[]; invalid: InvalidCase[] }

export interface Rule {
  meta: RuleMeta;
  check(context: RuleContext): RuleReport[];
  /**
   * For rules that report stage by stage: the reports about one stage's instructions (-1: those before the
   * first FROM); `check` returns these for every stage in file order (`reportsByStage`). The language
   * server then keeps a stage's reports while neither the stage (its key, model/stage-keys.ts) nor what it
   * depends on changed: whether it ships or is the final stage, its layer estimates (not its total), the
   * stages it is built FROM, copies from (their whole estimates) or mounts (their keys and layers,
   * recursively) and the build context. A rule whose reports read anything else must not have it.
   */
  checkStage?(context: RuleContext, stageIndex: number): RuleReport[];
  cases: RuleCases;
}
