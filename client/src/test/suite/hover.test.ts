import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activate, closeAll, hoverText, openFixture, waitFor } from '../helper';

describe('Hover', () => {
  before(activate);
  after(closeAll);

  it('FROM shows the image reference and a size', async () => {
    const { document } = await openFixture('apt.Dockerfile');
    assert.ok(document.lineAt(0).text.startsWith('FROM debian:12-slim'));
    const text = await waitFor('a hover on FROM', async () => {
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, new vscode.Position(0, 8));
      const t = hoverText(hovers ?? []);
      return t.includes('debian') ? t : undefined;
    });
    assert.match(text, /debian:12-slim/);
    assert.match(text, /\d+(?:\.\d+)?\s?(?:kB|MB|GB)\b/, `the hover shows a size:\n${text}`);
  });
});
