/** Engine values → LSP values. Nothing else: no rule logic lives here. */
import {
  CodeAction, CodeActionKind, Diagnostic, DiagnosticSeverity, type TextEdit as LspTextEdit, type WorkspaceEdit,
} from 'vscode-languageserver/node';
import type { Finding, Fix, Severity } from '../rules/types';
import type { ParseProblem } from '../model/types';

export const diagnosticSource = 'dockerfile-lean';

const severities: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toDiagnostic(finding: Finding): Diagnostic {
  return {
    range: finding.range,
    severity: severities[finding.severity],
    code: finding.ruleId,
    codeDescription: { href: finding.docsUrl },
    source: diagnosticSource,
    message: finding.message,
    data: { ruleId: finding.ruleId, messageId: finding.messageId, savingsBytes: finding.savings?.bytes ?? null },
  };
}

export function problemToDiagnostic(problem: ParseProblem): Diagnostic {
  return { range: problem.range, severity: severities[problem.severity], source: diagnosticSource, code: 'syntax', message: problem.message };
}

export function skippedDiagnostic(reason: string): Diagnostic {
  return { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, severity: DiagnosticSeverity.Information, source: diagnosticSource, code: 'skipped', message: reason };
}

export function toWorkspaceEdit(uri: string, version: number, edits: { range: LspTextEdit['range']; newText: string }[]): WorkspaceEdit {
  return { documentChanges: [{ textDocument: { uri, version }, edits }] };
}

export function fixToCodeAction(fix: Fix, finding: Finding, uri: string, version: number): CodeAction {
  const action = CodeAction.create(fix.title, toWorkspaceEdit(uri, version, fix.edits), fix.kind === 'refactor' ? CodeActionKind.RefactorRewrite : CodeActionKind.QuickFix);
  action.diagnostics = [toDiagnostic(finding)];
  if (fix.preferred) action.isPreferred = true;
  return action;
}

export function sameRange(a: Diagnostic['range'], b: Diagnostic['range']): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

export function rangesOverlap(a: Diagnostic['range'], b: Diagnostic['range']): boolean {
  const before = (p: { line: number; character: number }, q: { line: number; character: number }) => p.line < q.line || (p.line === q.line && p.character < q.character);
  return !before(a.end, b.start) && !before(b.end, a.start);
}
