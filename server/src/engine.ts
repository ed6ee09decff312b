/**
 * The engine's only public door: Dockerfile text in, findings and size estimates out.
 * No IO and no editor types here; the CLI and the language server adapt it. Never throws.
 */
import { parseDockerfile, ParseCache } from './model/parse';
import type { DockerfileModel, ParseProblem } from './model/types';
import type { Finding, Rule, RuleSetting } from './rules/types';
import { allRules } from './rules';
import { RuleMemo, runRules } from './rules/runner';
import { chainKeys, StageKeys } from './model/stage-keys';
import { estimateImage, SizingMemo } from './sizing/estimate';
import type { ImageEstimate } from './sizing/types';
import { emptyImageEstimate } from './sizing/lookup';
import type { EngineEnv } from './engine-env';

export { ParseCache };

/**
 * What one document's analyses reuse from the previous one: instruction parses (ParseCache), and the
 * stage estimates and per-stage rule reports of stages whose inputs did not change (each stage has a key,
 * model/stage-keys.ts). One per open document; a plain ParseCache (the CLI shares one across files)
 * reuses parses only.
 */
export class AnalysisCache extends ParseCache {
  readonly stageKeys = new StageKeys();
  readonly sizing = new SizingMemo();
  readonly rules = new RuleMemo();
}

export interface EngineConfig {
  /** Rule id → severity or 'off'. Unknown ids are reported in `Report.configProblems`. */
  rules?: Readonly<Record<string, RuleSetting>>;
  /** Build args (`--build-arg`), overriding ARG defaults. */
  buildArgs?: Readonly<Record<string, string>>;
  /** Files larger than this are skipped with a message (the user can raise it). */
  maxFileBytes?: number;
  /** Target platform, `os/arch[/variant]` (setting dockerfileLean.platform); FROM --platform wins per stage. */
  platform?: string;
}

export interface AnalyzeOptions {
  config?: EngineConfig;
  env?: EngineEnv;
  cache?: ParseCache | AnalysisCache;
  cancelled?: () => boolean;
  /** Only these rules (tests and the rule tester). */
  rules?: readonly Rule[];
}

export interface Report {
  model: DockerfileModel;
  findings: Finding[];
  image: ImageEstimate;
  /** Problems in the user's text that are not rule findings (syntax, unterminated heredoc…). */
  problems: ParseProblem[];
  /** Set when the file was not analysed, with the reason to show the user. */
  skipped: string | null;
  /** Internal errors (a rule that threw); logged, never shown as a diagnostic. */
  internalErrors: string[];
  cancelled: boolean;
}

export const defaultMaxFileBytes = 2 * 1024 * 1024;

const emptyEnv: EngineEnv = { data: null, context: null };

export function analyze(text: string, options: AnalyzeOptions = {}): Report {
  const config = options.config ?? {};
  const maxBytes = config.maxFileBytes ?? defaultMaxFileBytes;
  const skipped = skipReason(text, maxBytes);
  if (skipped) {
    const model = parseDockerfile('');
    return { model, findings: [], image: emptyImageEstimate(), problems: [], skipped, internalErrors: [], cancelled: false };
  }
  const internalErrors: string[] = [];
  let model: DockerfileModel;
  try {
    model = parseDockerfile(text, { cache: options.cache, buildArgs: config.buildArgs ? new Map(Object.entries(config.buildArgs)) : undefined });
  } catch (error) {
    // The parser is built not to throw; if it does anyway, the user still gets a clear message.
    internalErrors.push(`parse failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    model = parseDockerfile('');
    return { model, findings: [], image: emptyImageEstimate(), problems: [{ message: 'Dockerfile Lean could not read this file (internal error, see the log).', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, severity: 'error' }], skipped: null, internalErrors, cancelled: false };
  }
  const env = options.env ?? emptyEnv;
  const memo = options.cache instanceof AnalysisCache ? options.cache : null;
  const stageKeys = memo ? memo.stageKeys.update(model) : null;
  let image: ImageEstimate;
  try {
    image = estimateImage(model, config.platform ? { ...env, platform: config.platform } : env, memo ? { sizing: memo.sizing, keys: stageKeys as object[] } : undefined);
  } catch (error) {
    internalErrors.push(`size estimate failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    image = emptyImageEstimate(model.finalStageIndex);
  }
  const result = runRules(options.rules ?? allRules, { model, sizing: image, context: env.context, chainKeys: stageKeys ? chainKeys(model, stageKeys) : undefined }, {
    rules: config.rules, cancelled: options.cancelled, memo: memo && stageKeys ? { reports: memo.rules, keys: stageKeys } : undefined,
  });
  return {
    model, findings: result.findings, image, problems: model.problems, skipped: null,
    internalErrors: [...internalErrors, ...result.internalErrors], cancelled: result.cancelled,
  };
}

function skipReason(text: string, maxBytes: number): string | null {
  if (text.length > maxBytes) {
    return `Dockerfile Lean skipped this file: it is ${(text.length / 1024 / 1024).toFixed(1)} MB, over the ${(maxBytes / 1024).toFixed(0)} KB limit (setting dockerfileLean.maxFileSizeKB, CLI --max-file-size).`;
  }
  // Binary data is not a Dockerfile: NUL bytes never appear in text, and many control characters mean junk.
  const sample = text.slice(0, 8192);
  // eslint-disable-next-line no-control-regex
  const controls = sample.match(/[\x00-\x08\x0e-\x1f]/g)?.length ?? 0;
  if (sample.includes('\u0000') || controls > sample.length * 0.1) {
    return 'Dockerfile Lean skipped this file: it looks binary (NUL or control bytes), not like a Dockerfile.';
  }
  return null;
}
