import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activate, closeAll, hasRule, openFixture, waitFor, waitForDiagnostics } from '../helper';

describe('Commands', () => {
  before(activate);
  afterEach(closeAll);

  it('Show Image Breakdown opens a Markdown breakdown of the active Dockerfile', async () => {
    const { document } = await openFixture('apt.Dockerfile');
    await waitForDiagnostics(document.uri, 'analysis', hasRule('apt-lists-not-cleaned'));
    await vscode.commands.executeCommand('dockerfileLean.showBreakdown');
    const breakdown = await waitFor('the breakdown document', () =>
      vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'dockerfile-lean-breakdown'));
    assert.equal(breakdown.languageId, 'markdown');
    const text = breakdown.getText();
    assert.match(text, /^# Image breakdown: apt\.Dockerfile/);
    assert.match(text, /debian:12-slim/);
    assert.match(text, /\| \[2\]\(file:[^)]*apt\.Dockerfile#L2\) \| RUN \|/, `the RUN layer (line 2) is listed with a link to its line:\n${text}`);
    const rows = text.split('\n').filter((l) => /^\| \[\d+\]/.test(l)).map((l) => l.split('|')[2].trim());
    assert.deepEqual(rows.slice(0, 2), ['FROM', 'RUN'], `the biggest layer comes first after the base:\n${text}`);
  });

  it('Restart Language Server brings diagnostics back', async () => {
    const api = await activate();
    await vscode.commands.executeCommand('dockerfileLean.restartServer');
    await api.ready();
    const { document } = await openFixture('apt.Dockerfile');
    await waitForDiagnostics(document.uri, 'diagnostics after a restart', hasRule('apt-lists-not-cleaned'));
    const summary = await api.imageSummary(document.uri);
    assert.ok(summary && summary.stages.length === 1, 'the restarted server answers dockerfileLean/imageSummary');
  });
});
