// UI tests: the packaged VSIX installed into code-server, driven by Playwright in Chromium. What a user
// sees: the squiggle, the Problems count and panel, the hover card on FROM, Ctrl+. applying a fix, the
// status bar estimate. Screenshots of each step go to e2e/artifacts/ui-*.png.
//   DFL_VSIX=<path to .vsix> (default: e2e/artifacts/dockerfile-lean.vsix, written by e2e/run.sh)
'use strict';
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { artifactsDir, openSession } = require('./harness');

const vsix = process.env.DFL_VSIX || path.join(artifactsDir, 'dockerfile-lean.vsix');
const aptRun = 'RUN apt-get update && apt-get install -y curl';
const dockerfile = `FROM debian:12-slim\n${aptRun}\nUSER 65534\nCMD ["curl", "--version"]\n`;
const heredoc = 'FROM alpine:3.20\nRUN <<EOF\nif [ -d /tmp ]; then echo done; fi\nEOF\nUSER 65534\n';

describe('Dockerfile Lean in the VS Code UI (packaged VSIX)', { timeout: 180000 }, () => {
  let session;
  let page;
  let failed = false;
  const editor = () => page.locator('.editor-instance .monaco-editor').first();
  const line = (text) => editor().locator('.view-lines .view-line', { hasText: text }).first();
  const problems = () => page.locator('#status\\.problems');
  const warningsCount = async () => {
    const label = (await problems().getAttribute('aria-label')) ?? '';
    const m = /Warnings: (\d+)/.exec(label);
    return m ? Number(m[1]) : 0;
  };
  const step = async (name, fn) => {
    try {
      await fn();
    } catch (error) {
      failed = true;
      await session.screenshot(`${name}-FAILED`).catch(() => undefined);
      throw new Error(`${error.message}\n\n--- extension logs ---\n${session.extensionLogs()}`, { cause: error });
    }
    await session.screenshot(name);
  };

  before(async () => {
    assert.ok(fs.existsSync(vsix), `VSIX not found at ${vsix}: run e2e/run.sh (or build and package, and set DFL_VSIX)`);
    session = await openSession({ name: 'ui', vsix, files: { Dockerfile: dockerfile, 'heredoc.Dockerfile': heredoc } });
    page = session.page;
    await page.goto(session.workbenchUrl());
    await page.locator('.explorer-folders-view .monaco-list-row[aria-label="Dockerfile"]').waitFor();
  });

  after(async () => {
    if (!session) return;
    const errors = session.consoleErrors.filter((e) => /dockerfile-lean|dockerfileLean/i.test(e));
    const note = await session.close({ failed });
    if (note) console.log(note);
    assert.deepEqual(errors, [], 'no workbench console errors mention the extension');
  });

  it('opens the Dockerfile as Docker and shows a warning squiggle on the RUN', async () => {
    await step('1-squiggle', async () => {
      await page.locator('.explorer-folders-view .monaco-list-row[aria-label="Dockerfile"]').click();
      await page.locator('.tabs-container .tab.active', { hasText: 'Dockerfile' }).waitFor();
      await page.locator('#status\\.editor\\.mode', { hasText: 'Docker' }).waitFor();
      await line(aptRun).waitFor();
      await editor().locator('.squiggly-warning').first().waitFor();
    });
  });

  it('counts the warnings in the status bar and lists the finding in the Problems panel', async () => {
    await step('2-problems', async () => {
      await page.locator('#status\\.problems[aria-label*="Warnings: "]').waitFor();
      assert.ok(await warningsCount() >= 2, `at least 2 warnings (apt lists, recommends): ${await problems().getAttribute('aria-label')}`);
      await page.keyboard.press('Control+Shift+M');
      const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'apt-lists-not-cleaned' }).first();
      await row.waitFor();
      assert.match(await row.innerText(), /dockerfile-lean/);
    });
    await page.keyboard.press('Control+Shift+M');
    await page.locator('.markers-panel').waitFor({ state: 'hidden' }).catch(() => undefined);
  });

  it('shows the estimated image size in the status bar', async () => {
    await step('3-statusbar', async () => {
      const item = page.locator('.statusbar-item', { has: page.locator('.codicon-package') }).first();
      await item.waitFor();
      assert.match(await item.innerText(), /~\d|size unknown/);
    });
  });

  it('shows a hover card on FROM with the image and its size', async () => {
    await step('4-hover', async () => {
      const token = line('FROM debian').locator('span span').first();
      const box = await token.boundingBox();
      assert.ok(box, 'the FROM token is on screen');
      await page.mouse.move(box.x + 10, box.y + box.height / 2);
      const hover = page.locator('.monaco-hover:visible', { hasText: 'debian:12-slim' }).first();
      await hover.waitFor();
      const text = await hover.innerText();
      assert.match(text, /\d+(?:\.\d+)?\s?(?:kB|MB|GB)\b/, `the hover shows a size:\n${text}`);
    });
    await page.mouse.move(5, 5);
    await page.locator('.monaco-hover:visible').waitFor({ state: 'hidden' }).catch(() => undefined);
  });

  it('Ctrl+. offers "Remove apt lists" and applying it fixes the RUN', async () => {
    const before = await warningsCount();
    await step('5-quickfix-menu', async () => {
      await line(aptRun).click();
      await page.keyboard.press('Control+.');
      await page.locator('.action-widget .monaco-list-row.action', { hasText: 'Remove apt lists' }).first().waitFor();
    });
    await step('6-fixed', async () => {
      const item = page.locator('.action-widget .monaco-list-row.action', { hasText: 'Remove apt lists' }).first();
      const box = await item.boundingBox();
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await item.click();
      await line('rm -rf /var/lib/apt/lists/*').waitFor();
      await page.waitForFunction(([n]) => {
        const label = document.querySelector('#status\\.problems')?.getAttribute('aria-label') ?? '';
        const m = /Warnings: (\d+)/.exec(label);
        return (m ? Number(m[1]) : 0) === n - 1;
      }, [before]);
      // The explorer badge follows the status bar a moment later; wait for it so the screenshot is settled.
      await page.locator('.explorer-folders-view .monaco-list-row[aria-label="Dockerfile"] [class*="monaco-decoration-itemBadge"]', { hasText: String(before - 1) })
        .waitFor({ timeout: 5000 }).catch(() => undefined);
      const text = await line('rm -rf').innerText();
      assert.ok(text.replace(/\u00a0/g, ' ').includes(`${aptRun} && rm -rf /var/lib/apt/lists/*`), `fixed line: ${text}`);
    });
  });

  it('highlights a RUN heredoc body as shell (injection grammar)', async () => {
    await step('7-heredoc', async () => {
      await page.locator('.explorer-folders-view .monaco-list-row[aria-label="heredoc.Dockerfile"]').click();
      await page.locator('.tabs-container .tab.active', { hasText: 'heredoc.Dockerfile' }).waitFor();
      const token = (lineText, text) => line(lineText).locator('span > span', { hasText: new RegExp(`^[\\s\\u00a0]*${text.replace(/[.]/g, '\\.')}[\\s\\u00a0]*$`) }).first();
      await line('then echo done').waitFor();
      // Without the injection, `if` in the body is plain text, coloured like the image name after FROM.
      const plain = await token('FROM alpine', 'alpine:3.20').getAttribute('class');
      const keyword = await token('then echo done', 'if').getAttribute('class');
      assert.notEqual(keyword, plain, `'if' in the heredoc is coloured as a shell keyword (${keyword} vs plain ${plain})`);
    });
  });
});
