import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ensureBuilt } from '../support/built';
import { LspClient } from '../support/lsp-client';

let client: LspClient;
const uri = 'file:///work/Dockerfile';
const text = 'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl\nUSER nobody\n';

before(async () => {
  const { server } = ensureBuilt();
  client = await LspClient.start(process.execPath, [server, '--stdio']);
});
after(async () => { await client.stop(); });

test('open → diagnostics with rule code, docs link and source', async () => {
  await client.open(uri, text);
  const published = await client.diagnostics(uri);
  assert.equal(published.version, 1);
  assert.deepEqual(published.diagnostics.map((d) => d.code), ['apt-lists-not-cleaned']);
  const d = published.diagnostics[0];
  assert.equal(d.source, 'dockerfile-lean');
  assert.equal(d.severity, 2);
  assert.match(d.codeDescription.href, /apt-lists-not-cleaned\.md$/);
  assert.deepEqual(d.range, { start: { line: 1, character: 0 }, end: { line: 1, character: 69 } });
});

test('code action → the edit that removes the diagnostic; suppressions and fix-all are offered', async () => {
  const published = await client.diagnostics(uri);
  const actions = await client.request('textDocument/codeAction', {
    textDocument: { uri }, range: published.diagnostics[0].range, context: { diagnostics: published.diagnostics },
  });
  const titles = actions.map((a: any) => a.title);
  assert.ok(titles.includes('Remove apt lists in the same RUN (rm -rf /var/lib/apt/lists/*)'), titles.join(' | '));
  assert.ok(titles.includes('Ignore apt-lists-not-cleaned for this instruction'));
  assert.ok(titles.includes('Ignore apt-lists-not-cleaned in this file'));
  const fix = actions.find((a: any) => a.title.startsWith('Remove apt lists'));
  assert.equal(fix.kind, 'quickfix');
  assert.equal(fix.isPreferred, true);
  const [change] = fix.edit.documentChanges;
  assert.deepEqual(change.textDocument, { uri, version: 1 });
  assert.deepEqual(change.edits, [{ range: { start: { line: 1, character: 69 }, end: { line: 1, character: 69 } }, newText: ' && rm -rf /var/lib/apt/lists/*' }]);
  const fixAll = await client.request('textDocument/codeAction', { textDocument: { uri }, range: published.diagnostics[0].range, context: { diagnostics: [], only: ['source.fixAll'] } });
  assert.deepEqual(fixAll.map((a: any) => a.kind), ['source.fixAll.dockerfile-lean']);
  // Apply the edit as the editor would (incremental change) and the diagnostic goes away.
  await client.change(uri, 2, [{ range: change.edits[0].range, text: change.edits[0].newText }]);
  const after = await client.diagnostics(uri, (p) => p.version === 2);
  assert.deepEqual(after.diagnostics, []);
});

test('hover on FROM names the image and the stage', async () => {
  const hover = await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 7 } });
  assert.equal(hover.contents.kind, 'markdown');
  assert.match(hover.contents.value, /debian:bookworm-slim/);
  assert.match(hover.contents.value, /final image/);
  const none = await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 40, character: 0 } });
  assert.equal(none, null);
});

test('a burst of edits publishes only the newest version', async () => {
  const other = 'file:///work/burst/Dockerfile';
  await client.open(other, 'FROM debian\n');
  await client.diagnostics(other);
  for (let v = 2; v <= 20; v++) await client.change(other, v, [{ text: `FROM debian\nRUN apt-get update # v${v}\nUSER nobody\n` }]);
  const last = await client.diagnostics(other, (p) => p.version === 20);
  assert.equal(last.diagnostics.length, 1);
});

test('settings turn a rule off', async () => {
  const configured = await LspClient.start(process.execPath, [ensureBuilt().server, '--stdio']);
  configured.configuration = { rules: { 'apt-lists-not-cleaned': 'off' } };
  try {
    await configured.open(uri, text);
    const published = await configured.diagnostics(uri);
    assert.deepEqual(published.diagnostics, []);
  } finally {
    await configured.stop();
  }
});

test('dockerfile-lean lsp --stdio serves the same server', async () => {
  const viaCli = await LspClient.start(process.execPath, [ensureBuilt().cli, 'lsp', '--stdio']);
  try {
    await viaCli.open(uri, text);
    const published = await viaCli.diagnostics(uri);
    assert.deepEqual(published.diagnostics.map((d) => d.code), ['apt-lists-not-cleaned']);
  } finally {
    await viaCli.stop();
  }
});

test('binary junk and unterminated heredocs never crash the server', async () => {
  const junk = 'file:///work/junk/Dockerfile';
  await client.open(junk, 'FROM debian\n\u0000\u0001\u0002\uFFFD');
  const skipped = await client.diagnostics(junk);
  assert.match(skipped.diagnostics[0].message, /looks binary/);
  const heredoc = 'file:///work/heredoc/Dockerfile';
  await client.open(heredoc, 'FROM debian\nRUN <<EOF\napt-get update\n');
  const problems = await client.diagnostics(heredoc);
  assert.ok(problems.diagnostics.some((d) => /never closed/.test(d.message)));
  const hover = await client.request('textDocument/hover', { textDocument: { uri: heredoc }, position: { line: 0, character: 2 } });
  assert.ok(hover);
});

test('inlay hints give each layer its estimate; code lenses give each stage a heading', async () => {
  const multi = 'file:///work/multi/Dockerfile';
  await client.open(multi, 'FROM debian:bookworm-slim AS build\nRUN mkdir /out && echo hi > /out/x\nENV A=1\nFROM scratch\nCOPY --from=build /out /out\n');
  await client.diagnostics(multi);
  const hints = await client.request('textDocument/inlayHint', { textDocument: { uri: multi }, range: { start: { line: 0, character: 0 }, end: { line: 10, character: 0 } } });
  assert.deepEqual(hints.map((h: any) => [h.position.line, h.label.trim()]), [[1, '+0 B'], [4, '+0 B ?']]);
  assert.match(hints[1].tooltip.value, /low confidence/);
  const lenses = await client.request('textDocument/codeLens', { textDocument: { uri: multi } });
  assert.deepEqual(lenses.map((l: any) => l.range.start.line), [0, 3]);
  assert.match(lenses[0].command.title, /^Stage 'build' .* · builder$/);
  assert.match(lenses[1].command.title, /^Stage #1 .* · final image$/);
  assert.equal(lenses[1].command.command, 'dockerfileLean.showBreakdown');
});

test('apt sizes arrive once the Debian data pack has loaded in the background', async () => {
  const sized = 'file:///work/sized/Dockerfile';
  await client.open(sized, 'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\nUSER nobody\n');
  const published = await client.diagnostics(sized, (p) => p.diagnostics.some((d: any) => /MB more/.test(d.message)));
  const recommends = published.diagnostics.find((d: any) => d.code === 'apt-no-install-recommends');
  assert.match(recommends.message, /recommended packages \(~\d+(\.\d)? MB more\)/);
  const summary = await client.request('dockerfileLean/imageSummary', { uri: sized });
  assert.ok(summary.estimatedBytes > 74_000_000, `estimate ${summary.estimatedBytes}`);
  assert.equal(summary.stages[0].baseBytes, 74_830_000);
});

test('COPY sizes arrive once the build context has been walked in the background', async () => {
  const dir = (await import('node:fs')).mkdtempSync((await import('node:path')).join((await import('node:os')).tmpdir(), 'lean-lsp-ctx-'));
  (await import('node:fs')).writeFileSync(`${dir}/big.bin`, Buffer.alloc(3_000_000));
  const uri = (await import('node:url')).pathToFileURL(`${dir}/Dockerfile`).toString();
  await client.open(uri, 'FROM debian:bookworm-slim\nCOPY big.bin /opt/big.bin\nUSER nobody\n');
  await client.diagnostics(uri);
  let copyBytes: number | null = null;
  for (let attempt = 0; attempt < 200 && copyBytes === null; attempt++) {
    const summary = await client.request('dockerfileLean/imageSummary', { uri });
    copyBytes = summary.stages[0].layers.find((l: any) => l.instruction === 'COPY').estimatedBytes;
    if (copyBytes === null) await new Promise((r) => setTimeout(r, 50));
  }
  assert.equal(copyBytes, 3_000_000);
  (await import('node:fs')).rmSync(dir, { recursive: true, force: true });
});
