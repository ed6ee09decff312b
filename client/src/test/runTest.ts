/**
 * Runs the in-editor suites in a downloaded VS Code (Electron) with @vscode/test-electron. This needs
 * internet access (it downloads VS Code). Offline, e2e/api.test.js runs the same suites in code-server.
 *   node scripts/build-e2e.mjs && node client/out/test/runTest.js
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  // This file is bundled to client/out/test/runTest.js.
  const root = path.resolve(__dirname, '../../..');
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'dfl-fixture-'));
  fs.cpSync(path.join(root, 'client', 'testFixture'), workspace, { recursive: true });
  try {
    await runTests({
      version: process.env.VSCODE_TEST_VERSION ?? 'stable',
      extensionDevelopmentPath: root,
      extensionTestsPath: path.join(__dirname, 'index'),
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
    });
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error('In-editor tests failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
