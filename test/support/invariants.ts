/** Checks every report must pass, shared by the fuzz and hostile-input suites. */
import type { Report } from '../../server/src/engine';
import type { Position, Range } from '../../server/src/model/types';

/** Ranges (of findings, problems and fix edits) that do not lie inside the document, described. */
export function rangesOutside(report: Report): string[] {
  const lines = report.model.lines;
  const inside = (p: Position) => Number.isInteger(p.line) && Number.isInteger(p.character) && p.line >= 0 && p.line < lines.length && p.character >= 0 && p.character <= lines[p.line].length;
  const ordered = (r: Range) => r.start.line < r.end.line || (r.start.line === r.end.line && r.start.character <= r.end.character);
  const bad: string[] = [];
  const check = (what: string, r: Range) => {
    if (!inside(r.start) || !inside(r.end) || !ordered(r)) bad.push(`${what} ${JSON.stringify(r)}`);
  };
  for (const finding of report.findings) {
    check(`finding ${finding.ruleId}`, finding.range);
    for (const fix of finding.fixes) for (const edit of fix.edits) check(`fix '${fix.title}' of ${finding.ruleId}`, edit.range);
  }
  for (const problem of report.problems) check(`problem '${problem.message}'`, problem.range);
  return bad;
}
