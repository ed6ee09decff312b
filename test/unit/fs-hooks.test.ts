import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { fileSystemHooks } from '../../server/src/lsp/fs-hooks';
import { defaultSettings } from '../../server/src/lsp/settings';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('the server hooks load packs and walk the build context after the first analysis, then keep one context object until files change', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lean-hooks-'));
  try {
    writeFileSync(path.join(dir, 'Dockerfile'), 'FROM debian:bookworm-slim\nCOPY app.py /app/\n');
    writeFileSync(path.join(dir, 'app.py'), 'print(1)\n');
    const uri = pathToFileURL(path.join(dir, 'Dockerfile')).href;
    const hooks = fileSystemHooks();
    let refreshes = 0;
    hooks.onDataLoaded?.(() => refreshes++);

    const first = hooks.prepare!(uri, defaultSettings, true).env;
    assert.equal(first.context, null, 'the walk waits for a later tick');
    assert.equal(first.data?.debian('bookworm'), null, 'the Debian pack waits for a later tick');
    assert.equal(first.data?.npmPackages?.() ?? null, null, 'so does the npm pack');
    await sleep(300);
    assert.ok(refreshes >= 1, 'documents are analysed again once the packs and the walk are done');

    const a = hooks.prepare!(uri, defaultSettings, true).env;
    const b = hooks.prepare!(uri, defaultSettings, true).env;
    assert.ok(a.context, 'walked');
    assert.equal(a.context, b.context, 'the same context object while nothing changed');
    assert.ok(a.data?.debian('bookworm'), 'loaded');
    assert.ok(a.context.measure('app.py'));

    hooks.filesChanged?.([pathToFileURL(path.join(dir, 'app.py')).href]);
    assert.equal(hooks.prepare!(uri, defaultSettings, true).env.context, null, 'walked again on a later tick');
    await sleep(300);
    const c = hooks.prepare!(uri, defaultSettings, true).env;
    assert.ok(c.context);
    assert.notEqual(c.context, a.context, 'a file change gives a new context');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
