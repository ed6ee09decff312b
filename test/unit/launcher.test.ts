import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensureBuilt } from '../support/built';
import { LspClient } from '../support/lsp-client';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const cacheFiles = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.v8cache'));

async function startAndAnalyse(server: string, cacheDir: string): Promise<LspClient> {
  const client = await LspClient.start(process.execPath, [server, '--stdio', `--code-cache-dir=${cacheDir}`]);
  await client.open('untitled:Dockerfile', 'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl\n');
  const published = await client.diagnostics('untitled:Dockerfile');
  assert.ok(published.diagnostics.some((d) => d.code === 'apt-lists-not-cleaned'), 'the server analyses as usual');
  return client;
}

async function waitFor(condition: () => boolean, ms = 10000): Promise<void> {
  for (let waited = 0; !condition() && waited < ms; waited += 50) await sleep(50);
}

test('with --code-cache-dir the server writes a V8 code cache once, starts from it, and replaces one it cannot use', async () => {
  const { server } = ensureBuilt();
  const dir = path.join(mkdtempSync(path.join(tmpdir(), 'lean-code-cache-')), 'cache');
  process.env.DOCKERFILE_LEAN_CODE_CACHE_DELAY_MS = '200';
  try {
    let client = await startAndAnalyse(server, dir);
    await waitFor(() => { try { return cacheFiles(dir).length > 0; } catch { return false; } });
    await client.stop();
    const [file] = cacheFiles(dir);
    assert.ok(file, 'the first start wrote a cache (the folder is created)');
    const written = statSync(path.join(dir, file));
    assert.ok(written.size > 10000);
    assert.equal(written.mode & 0o077, 0, 'only this user may read it');

    // A start that could use the cache leaves it alone.
    client = await startAndAnalyse(server, dir);
    await sleep(600);
    await client.stop();
    assert.deepEqual(cacheFiles(dir), [file]);
    assert.equal(statSync(path.join(dir, file)).mtimeMs, written.mtimeMs, 'not written again');

    // A damaged cache is not used, the server works anyway, and a good one replaces it.
    writeFileSync(path.join(dir, file), Buffer.alloc(64, 7));
    client = await startAndAnalyse(server, dir);
    await waitFor(() => statSync(path.join(dir, file)).size > 64);
    await client.stop();
    assert.ok(statSync(path.join(dir, file)).size > 10000, 'rewritten');
  } finally {
    delete process.env.DOCKERFILE_LEAN_CODE_CACHE_DELAY_MS;
    rmSync(path.dirname(dir), { recursive: true, force: true });
  }
});

test('without --code-cache-dir the server starts as before and writes nothing', async () => {
  const { server } = ensureBuilt();
  const client = await LspClient.start(process.execPath, [server, '--stdio']);
  await client.open('untitled:Dockerfile', 'FROM debian\n');
  await client.diagnostics('untitled:Dockerfile');
  await client.stop();
});
