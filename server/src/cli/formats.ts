/** The CLI's output formats: text for people, JSON (a stable contract), SARIF 2.1.0 for code scanning. */
import type { Report } from '../engine';
import type { Severity } from '../rules/types';
import { allRules } from '../rules';
import { imageJson } from '../report/image-json';
import { formatBytes } from '../sizing/figure';

export interface FileResult {
  path: string;
  report: Report | null;
  /** Set when the file could not be read. */
  error: string | null;
}

export interface JsonDiagnostic {
  rule: string;
  severity: Severity;
  message: string;
  range: Report['findings'][number]['range'];
  fixes: { title: string; safe: boolean }[];
  stage: number | null;
  savingsBytes: number | null;
  docsUrl?: string;
}

export function diagnosticsOf(report: Report): JsonDiagnostic[] {
  if (report.skipped) {
    return [{ rule: 'skipped', severity: 'info', message: report.skipped, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, fixes: [], stage: null, savingsBytes: null }];
  }
  const problems: JsonDiagnostic[] = report.problems.map((p) => ({ rule: 'syntax', severity: p.severity, message: p.message, range: p.range, fixes: [], stage: null, savingsBytes: null }));
  const findings: JsonDiagnostic[] = report.findings.map((f) => ({
    rule: f.ruleId, severity: f.severity, message: f.message, range: f.range,
    fixes: f.fixes.filter((x) => !x.title.startsWith('Ignore ')).map((x) => ({ title: x.title, safe: x.safe })),
    stage: f.stageIndex, savingsBytes: f.savings?.bytes ?? null, docsUrl: f.docsUrl,
  }));
  return [...problems, ...findings].sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

export function formatJson(results: readonly FileResult[]): string {
  return JSON.stringify({
    version: 1,
    files: results.map((r) => r.report
      ? { path: r.path, diagnostics: diagnosticsOf(r.report), image: imageJson(r.report) }
      : { path: r.path, error: r.error, diagnostics: [], image: null }),
  }, null, 2);
}

export function formatText(results: readonly FileResult[], color: boolean): string {
  const paint = (code: number, text: string) => (color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const severityColor: Record<Severity, number> = { error: 31, warning: 33, info: 36, hint: 2 };
  const out: string[] = [];
  let errors = 0;
  let warnings = 0;
  let others = 0;
  for (const result of results) {
    out.push(paint(4, result.path));
    if (!result.report) {
      out.push(`  ${paint(31, 'error')}  ${result.error}`);
      errors++;
      out.push('');
      continue;
    }
    const diagnostics = diagnosticsOf(result.report);
    for (const d of diagnostics) {
      if (d.severity === 'error') errors++; else if (d.severity === 'warning') warnings++; else others++;
      const where = `${d.range.start.line + 1}:${d.range.start.character + 1}`.padEnd(7);
      out.push(`  ${where} ${paint(severityColor[d.severity], d.severity.padEnd(7))}  ${d.message}  ${paint(2, d.rule)}`);
    }
    if (diagnostics.length === 0) out.push('  no problems');
    const image = imageJson(result.report);
    if (image.finalStage !== null) {
      const final = image.stages[image.finalStage];
      const size = image.estimatedBytes !== null ? `~${formatBytes(image.estimatedBytes)} (${image.confidence} confidence)` : 'unknown (some layers have no estimate)';
      out.push(`  ${paint(1, 'Image estimate:')} ${size}, final stage ${final.name ? `'${final.name}'` : `#${final.index}`} from ${final.from}`);
    }
    out.push('');
  }
  const total = errors + warnings + others;
  out.push(total === 0 ? paint(32, '✔ no problems') : paint(errors ? 31 : 33, `✖ ${total} problem${total === 1 ? '' : 's'} (${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}, ${others} info)`));
  return out.join('\n');
}

const sarifLevel: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

export function formatSarif(results: readonly FileResult[], version: string, toUri: (path: string) => string): string {
  const rules = allRules.map((r) => ({
    id: r.meta.id,
    shortDescription: { text: r.meta.docs.description },
    helpUri: r.meta.docs.url,
    defaultConfiguration: { level: sarifLevel[r.meta.defaultSeverity] },
    properties: { tags: [r.meta.type] },
  }));
  const sarifResults = results.flatMap((result) => {
    if (!result.report) {
      return [{ ruleId: 'io-error', level: 'error', message: { text: result.error ?? 'unreadable' }, locations: [{ physicalLocation: { artifactLocation: { uri: toUri(result.path) } } }] }];
    }
    return diagnosticsOf(result.report).map((d) => ({
      ruleId: d.rule,
      level: sarifLevel[d.severity],
      message: { text: d.message },
      locations: [{
        physicalLocation: {
          artifactLocation: { uri: toUri(result.path) },
          region: { startLine: d.range.start.line + 1, startColumn: d.range.start.character + 1, endLine: d.range.end.line + 1, endColumn: d.range.end.character + 1 },
        },
      }],
      ...(d.savingsBytes !== null ? { properties: { savingsBytes: d.savingsBytes } } : {}),
    }));
  });
  return JSON.stringify({
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{ tool: { driver: { name: 'dockerfile-lean', version, informationUri: 'https://github.com/dockerfile-lean/dockerfile-lean', rules } }, results: sarifResults }],
  }, null, 2);
}
