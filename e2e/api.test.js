// Runs the in-editor mocha suites (client/out/test, built by scripts/build-e2e.mjs) inside code-server:
// the workbench URL's `payload` carries extensionDevelopmentPath (the repo: the extension is loaded from the
// folder) and extensionTestsPath; the exit code comes back through window.codeAutomationExit.
// Fails with mocha's own report when a suite fails. DFL_TEST_GREP=<text> runs only the matching tests.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { root, openSession, extensionHostConsoleText, remoteUri } = require('./harness');

const testsDir = path.join(root, 'client', 'out', 'test');
const fixtureDir = path.join(root, 'client', 'testFixture');
const startMarker = '=== dockerfile-lean in-editor tests: start ===';
const endMarker = '=== dockerfile-lean in-editor tests: end ===';
// Workbench noise offline: the extension gallery cannot be reached.
const harmless = [/open-vsx\.org|marketplace|gallery/i, /ENOTFOUND|ERR_CONNECTION|ERR_NAME_NOT_RESOLVED/];

function fixtureFiles() {
  const files = {};
  for (const rel of fs.readdirSync(fixtureDir, { recursive: true })) {
    const full = path.join(fixtureDir, rel);
    if (fs.statSync(full).isFile()) files[rel] = { copyFrom: full };
  }
  return files;
}

test('in-editor API suites (mocha) pass in code-server', { timeout: 240000 }, async () => {
  for (const needed of [path.join(testsDir, 'index.js'), path.join(root, 'client/out/extension.js'), path.join(root, 'server/out/server.js')]) {
    assert.ok(fs.existsSync(needed), `${path.relative(root, needed)} is missing: run node scripts/build.mjs && node scripts/build-e2e.mjs (or e2e/run.sh)`);
  }
  const session = await openSession({ name: 'api', files: fixtureFiles() });
  let failed = true;
  try {
    const { page } = session;
    const lines = [];
    let inside = false;
    let consoleDone = Promise.resolve();
    page.on('console', (message) => {
      // Keep the order of the messages: each one is formatted asynchronously.
      consoleDone = consoleDone.then(async () => {
        const { level, text } = await extensionHostConsoleText(message);
        if (text.includes(startMarker)) inside = true;
        if (!inside && harmless.some((r) => r.test(text))) return;
        if (inside || /ERR/.test(level)) lines.push(/ERR/.test(level) && !inside ? `[${level}] ${text}` : text);
        if (text.includes(endMarker)) inside = false;
      });
    });
    let timer;
    const exited = new Promise((resolve, reject) => {
      timer = setTimeout(() => reject(new Error('the in-editor tests did not finish within 200 s')), 200000);
      page.exposeFunction('codeAutomationExit', (code) => { clearTimeout(timer); resolve(code); }).catch(reject);
    });
    const payload = JSON.stringify([
      ['extensionDevelopmentPath', remoteUri(session.url, root)],
      ['extensionTestsPath', remoteUri(session.url, path.join(testsDir, 'index.js'))],
    ]);
    const started = Date.now();
    await page.goto(session.workbenchUrl({ payload }));
    let code;
    try {
      code = await exited;
    } finally {
      clearTimeout(timer);
    }
    await consoleDone;
    const report = lines.join('\n');
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (code !== 0) {
      await session.screenshot('failed').catch(() => undefined);
      assert.fail(`in-editor tests exited with ${code} after ${seconds} s\n${report || '(no mocha output captured)'}\n\n--- extension logs ---\n${session.extensionLogs()}`);
    }
    assert.match(report, /\d+ passing/, `mocha reported passing tests:\n${report}`);
    console.log(report);
    console.log(`in-editor suites: ${seconds} s`);
    failed = false;
  } finally {
    const note = await session.close({ failed });
    if (note) console.log(note);
  }
});
