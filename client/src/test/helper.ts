/** Shared steps of the in-editor suites: activate the extension, open fixtures, wait for the server. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { DockerfileLeanApi } from '../extension';

export const extensionId = 'dockerfile-lean.dockerfile-lean';
export const source = 'dockerfile-lean';

export async function activate(): Promise<DockerfileLeanApi> {
  const extension = vscode.extensions.getExtension<DockerfileLeanApi>(extensionId);
  assert.ok(extension, `extension ${extensionId} is loaded`);
  const api = await extension.activate();
  await api.ready();
  return api;
}

/** The test workspace is a copy of client/testFixture. */
export function fixtureUri(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder (a copy of client/testFixture) is open');
  return vscode.Uri.joinPath(folder.uri, name);
}

export async function openFixture(name: string): Promise<{ document: vscode.TextDocument; editor: vscode.TextEditor }> {
  const document = await vscode.workspace.openTextDocument(fixtureUri(name));
  const editor = await vscode.window.showTextDocument(document);
  return { document, editor };
}

/** Polls `probe` until it returns a value other than undefined/false; fails with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 15000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function ruleOf(diagnostic: vscode.Diagnostic): string | undefined {
  const code = diagnostic.code;
  if (code === undefined) return undefined;
  return typeof code === 'object' ? String(code.value) : String(code);
}

export function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === source);
}

/** Waits until our diagnostics for `uri` satisfy `ok`, and returns them. */
export function waitForDiagnostics(uri: vscode.Uri, what: string, ok: (diagnostics: vscode.Diagnostic[]) => boolean, timeoutMs = 15000): Promise<vscode.Diagnostic[]> {
  return waitFor(`diagnostics: ${what}`, () => {
    const diagnostics = ours(uri);
    return ok(diagnostics) ? diagnostics : undefined;
  }, timeoutMs);
}

export const hasRule = (rule: string) => (diagnostics: vscode.Diagnostic[]) => diagnostics.some((d) => ruleOf(d) === rule);

/** Reverts and closes every editor, so each test starts from the fixtures as they are on disk. */
export async function closeAll(): Promise<void> {
  for (const document of vscode.workspace.textDocuments) {
    if (document.isDirty) {
      await vscode.window.showTextDocument(document);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

export function hoverText(hovers: vscode.Hover[]): string {
  return hovers.flatMap((h) => h.contents).map((c) => (typeof c === 'string' ? c : c.value)).join('\n');
}
