import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activate, closeAll, extensionId, fixtureUri } from '../helper';

describe('Activation and languages', () => {
  after(closeAll);

  it('activates and registers its commands', async () => {
    await activate();
    assert.equal(vscode.extensions.getExtension(extensionId)?.isActive, true);
    const commands = await vscode.commands.getCommands(true);
    for (const command of ['dockerfileLean.restartServer', 'dockerfileLean.showBreakdown']) {
      assert.ok(commands.includes(command), `command ${command} is registered`);
    }
  });

  // Names the built-in "dockerfile" language must cover (we contribute no extra patterns: it covers them all).
  for (const name of ['Dockerfile', 'Containerfile', 'Dockerfile.dev', 'Containerfile.prod', 'web.Dockerfile', 'web.dockerfile', 'app.containerfile']) {
    it(`opens ${name} as a Dockerfile`, async () => {
      const document = await vscode.workspace.openTextDocument(fixtureUri(`names/${name}`));
      assert.equal(document.languageId, 'dockerfile');
    });
  }
});
