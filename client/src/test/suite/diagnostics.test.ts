import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activate, closeAll, hasRule, openFixture, ours, ruleOf, source, waitForDiagnostics } from '../helper';

const aptRun = 'RUN apt-get update && apt-get install -y curl';

describe('Diagnostics and quick fixes', () => {
  before(activate);
  afterEach(closeAll);

  it('reports apt lists left in the layer, on the RUN instruction', async () => {
    const { document } = await openFixture('apt.Dockerfile');
    const diagnostics = await waitForDiagnostics(document.uri, 'apt-lists-not-cleaned', hasRule('apt-lists-not-cleaned'));
    const lists = diagnostics.find((d) => ruleOf(d) === 'apt-lists-not-cleaned')!;
    assert.equal(lists.source, source);
    assert.equal(lists.severity, vscode.DiagnosticSeverity.Warning);
    const runLine = document.lineAt(1);
    assert.equal(runLine.text, aptRun);
    assert.ok(lists.range.contains(runLine.range.start) && lists.range.start.line === 1, `range ${JSON.stringify(lists.range)} starts at the RUN`);
    assert.ok(lists.range.end.isAfterOrEqual(new vscode.Position(1, aptRun.length - 1)), 'range covers the RUN instruction');
    assert.ok(diagnostics.some((d) => ruleOf(d) === 'apt-no-install-recommends'), 'apt-no-install-recommends is reported too');
  });

  it('"Remove apt lists" quick fix appends the cleanup and the diagnostic goes away', async () => {
    const { document } = await openFixture('apt.Dockerfile');
    const diagnostics = await waitForDiagnostics(document.uri, 'apt-lists-not-cleaned', hasRule('apt-lists-not-cleaned'));
    const lists = diagnostics.find((d) => ruleOf(d) === 'apt-lists-not-cleaned')!;
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri, lists.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => a.title.startsWith('Remove apt lists'));
    assert.ok(fix, `a "Remove apt lists" quick fix among: ${actions.map((a) => a.title).join(' | ')}`);
    assert.ok(fix.edit, 'the fix carries its edit');
    assert.equal(await vscode.workspace.applyEdit(fix.edit), true, 'the edit applies');
    assert.equal(document.lineAt(1).text, `${aptRun} && rm -rf /var/lib/apt/lists/*`);
    const after = await waitForDiagnostics(document.uri, 'apt-lists-not-cleaned gone', (d) => !hasRule('apt-lists-not-cleaned')(d));
    assert.ok(after.some((d) => ruleOf(d) === 'apt-no-install-recommends'), 'the other finding stays');
  });

  it('a single-stage build offers the split into build and runtime stages, and applying it clears the finding', async () => {
    const { document } = await openFixture('go-single-stage.Dockerfile');
    const diagnostics = await waitForDiagnostics(document.uri, 'multi-stage-opportunity', hasRule('multi-stage-opportunity'));
    const finding = diagnostics.find((d) => ruleOf(d) === 'multi-stage-opportunity')!;
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri, finding.range);
    const split = actions.find((a) => /^Split into build and runtime stages/.test(a.title));
    assert.ok(split, `a split refactoring among: ${actions.map((a) => a.title).join(' | ')}`);
    assert.equal(split.kind?.value, vscode.CodeActionKind.RefactorRewrite.value);
    assert.equal(await vscode.workspace.applyEdit(split.edit!), true, 'the edit applies');
    assert.ok(document.getText().split('\n').filter((l) => /^FROM /.test(l)).length >= 2, `two stages after the split:\n${document.getText()}`);
    await waitForDiagnostics(document.uri, 'multi-stage-opportunity gone', (d) => !hasRule('multi-stage-opportunity')(d));
  });

  it('analyses untitled Dockerfiles', async () => {
    const document = await vscode.workspace.openTextDocument({ language: 'dockerfile', content: `FROM debian:12-slim\n${aptRun}\n` });
    await vscode.window.showTextDocument(document);
    await waitForDiagnostics(document.uri, 'apt-lists-not-cleaned on an untitled document', hasRule('apt-lists-not-cleaned'));
  });

  it('a clean Dockerfile has no findings', async () => {
    const api = await activate();
    const { document } = await openFixture('clean.Dockerfile');
    // "No diagnostics" cannot be waited for: make sure the server has the file, then give it a moment to publish.
    assert.ok(await api.imageSummary(document.uri), 'the server knows the file');
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(ours(document.uri).map((d) => `${ruleOf(d)}: ${d.message}`), []);
  });
});
