import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activate, closeAll, hasRule, openFixture, ruleOf, waitForDiagnostics } from '../helper';

describe('Settings', () => {
  before(activate);
  afterEach(async () => {
    const config = vscode.workspace.getConfiguration('dockerfileLean');
    await config.update('rules', undefined, vscode.ConfigurationTarget.Global);
    await config.update('enable', undefined, vscode.ConfigurationTarget.Global);
    await closeAll();
  });

  it('dockerfileLean.rules: "off" removes that rule\'s diagnostic, and it comes back when reset', async () => {
    const { document } = await openFixture('apt.Dockerfile');
    await waitForDiagnostics(document.uri, 'apt-lists-not-cleaned', hasRule('apt-lists-not-cleaned'));
    await vscode.workspace.getConfiguration('dockerfileLean').update('rules', { 'apt-lists-not-cleaned': 'off' }, vscode.ConfigurationTarget.Global);
    const off = await waitForDiagnostics(document.uri, 'apt-lists-not-cleaned off', (d) => !hasRule('apt-lists-not-cleaned')(d));
    assert.ok(off.some((d) => ruleOf(d) === 'apt-no-install-recommends'), 'other rules still run');
    await vscode.workspace.getConfiguration('dockerfileLean').update('rules', undefined, vscode.ConfigurationTarget.Global);
    await waitForDiagnostics(document.uri, 'apt-lists-not-cleaned back', hasRule('apt-lists-not-cleaned'));
  });

  it('dockerfileLean.rules can change a severity', async () => {
    const { document } = await openFixture('apt.Dockerfile');
    await vscode.workspace.getConfiguration('dockerfileLean').update('rules', { 'apt-lists-not-cleaned': 'error' }, vscode.ConfigurationTarget.Global);
    await waitForDiagnostics(document.uri, 'apt-lists-not-cleaned as an error',
      (d) => d.some((x) => ruleOf(x) === 'apt-lists-not-cleaned' && x.severity === vscode.DiagnosticSeverity.Error));
  });

  it('dockerfileLean.enable: false clears all diagnostics', async () => {
    const { document } = await openFixture('apt.Dockerfile');
    await waitForDiagnostics(document.uri, 'findings', (d) => d.length > 0);
    await vscode.workspace.getConfiguration('dockerfileLean').update('enable', false, vscode.ConfigurationTarget.Global);
    await waitForDiagnostics(document.uri, 'no findings when disabled', (d) => d.length === 0);
  });
});
