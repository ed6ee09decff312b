/**
 * Hostile inputs: huge, deep, broken, binary and adversarial files. Each analysis runs in a worker that is
 * terminated past a generous bound, so a hang fails its own test instead of freezing the suite; times are
 * printed as diagnostics, never asserted. The last tests check over the real stdio connection that the
 * language server survives every one of these documents and still answers.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { analyzeIsolated, type AnalyzeSummary } from '../support/isolated';
import { probeRegexes, regexLiterals, type RegexLiteral } from '../support/regex-probe';
import { ensureBuilt, repoRoot } from '../support/built';
import { LspClient } from '../support/lsp-client';

const unlimited = 1 << 30;

function assertHealthy(summary: AnalyzeSummary, what: string): void {
  assert.deepEqual(summary.internalErrors, [], `${what}: internal errors`);
  assert.deepEqual(summary.rangesOutside, [], `${what}: ranges outside the document`);
}

// ---------------------------------------------------------------------------------------------------------
// Size and depth

const tenMegabytes = 'FROM debian:bookworm-slim\n' + 'RUN apt-get update && apt-get install -y curl\n'.repeat(Math.ceil((10 * 1024 * 1024) / 46));

test('a 10 MB file is skipped with a message that names the limit and the setting', async () => {
  const summary = await analyzeIsolated(tenMegabytes);
  assert.match(summary.skipped ?? '', /skipped this file: it is 10\.0 MB, over the 2048 KB limit \(setting dockerfileLean\.maxFileSizeKB, CLI --max-file-size\)/);
  assert.deepEqual(summary.findings, []);
});

test('a 10 MB file is analysed when the limit is raised (metadata instructions; RUN-heavy files: see the README)', async (t) => {
  const text = 'FROM debian:bookworm-slim AS base\n' + Array.from({ length: 10 * 1024 * 1024 / 64 }, (_, i) =>
    i % 4 === 0 ? `ENV VAR_${i}=value-${i} HOME_${i}=$HOME/${i}` : i % 4 === 1 ? `LABEL org.example.n${i}="${i}"` : i % 4 === 2 ? `# comment line ${i}` : `WORKDIR /srv/app/${i}`).join('\n');
  const summary = await analyzeIsolated(text, { maxFileBytes: unlimited }, 240000);
  t.diagnostic(`${(text.length / 1048576).toFixed(1)} MB, ${summary.lineCount} lines analysed in ${summary.ms.toFixed(0)} ms`);
  assert.equal(summary.skipped, null);
  assertHealthy(summary, '10 MB');
});

test('a 1 MB single line (RUN, ENV, comment) is analysed', async (t) => {
  const megabyte = 1 << 20;
  for (const [name, text] of [
    ['RUN word', `FROM debian\nRUN echo ${'a'.repeat(megabyte)}`],
    ['RUN 16,000 words', `FROM debian\nRUN apt-get install -y ${`${'p'.repeat(63)} `.repeat(megabyte / 64)}`],
    ['ENV value', `FROM debian\nENV A=${'$B{'.repeat(megabyte / 3)}`],
    ['comment', `FROM debian\n#${' '.repeat(megabyte)}x\nRUN apt-get update`],
  ] as const) {
    const summary = await analyzeIsolated(text, { maxFileBytes: unlimited });
    t.diagnostic(`${name}: ${summary.ms.toFixed(0)} ms`);
    assertHealthy(summary, name);
  }
});

test('10,000 stages, and a 10,000-deep chain of stages built FROM each other', async (t) => {
  const independent = Array.from({ length: 10000 }, (_, i) => `FROM debian AS s${i}\nRUN make -C /src/${i} && echo built`).join('\n');
  // The model, shell and sizing alone; the same file with every rule is the test below.
  const summary = await analyzeIsolated(independent, { maxFileBytes: unlimited, noRules: true }, 120000);
  t.diagnostic(`independent (no rules): ${summary.ms.toFixed(0)} ms`);
  assertHealthy(summary, 'independent stages');
  // What ships is found by walking FROM edges: 10,000 deep must not overflow the stack.
  const chain = Array.from({ length: 10000 }, (_, i) => `FROM ${i === 0 ? 'debian' : `s${i - 1}`} AS s${i}\nWORKDIR /s${i}`).join('\n');
  const chained = await analyzeIsolated(chain, { maxFileBytes: unlimited }, 120000);
  t.diagnostic(`chain: ${chained.ms.toFixed(0)} ms`);
  assertHealthy(chained, 'stage chain');
});

test('10,000 stages with all rules (rules/lib/queries.ts runsOfStages filters every instruction with includes over every shipped stage)', async () => {
  const independent = Array.from({ length: 10000 }, (_, i) => `FROM debian AS s${i}\nRUN make -C /src/${i} && echo built`).join('\n');
  assertHealthy(await analyzeIsolated(independent, { maxFileBytes: unlimited }, 20000), '10,000 stages with rules');
});

test('a 10,000-deep FROM chain with a RUN per stage (rules/lib/queries.ts stageChain is cubic)', async () => {
  const chain = Array.from({ length: 10000 }, (_, i) => `FROM ${i === 0 ? 'debian' : `s${i - 1}`} AS s${i}\nRUN pip install flask`).join('\n');
  assertHealthy(await analyzeIsolated(chain, { maxFileBytes: unlimited }, 10000), 'chain with RUNs');
});

test('20,000 RUN findings in one stage (sizing/lookup.ts layerOf scans every layer per finding)', async () => {
  const text = 'FROM debian\n' + 'RUN apt-get update && apt-get install -y curl\n'.repeat(20000);
  assertHealthy(await analyzeIsolated(text, { maxFileBytes: unlimited }, 10000), '20,000 RUNs');
});

test('a 5,000-line continuation chain', async (t) => {
  const text = 'FROM debian\nRUN apt-get update && apt-get install -y \\\n' + '    package \\\n'.repeat(5000) + '    last\n';
  const summary = await analyzeIsolated(text);
  t.diagnostic(`${summary.ms.toFixed(0)} ms`);
  assertHealthy(summary, 'continuation');
  assert.deepEqual(summary.findings.map((f) => f.ruleId).filter((id) => id.startsWith('apt')).sort(), ['apt-lists-not-cleaned', 'apt-no-install-recommends']);
});

// ---------------------------------------------------------------------------------------------------------
// Broken text

test('unterminated heredocs and quotes are reported, not fatal', async () => {
  const cases = [
    'FROM debian\nRUN <<EOF\napt-get update\n',
    'FROM debian\nRUN <<EOF cat <<-END\napt-get update\nEOF\n',
    'FROM debian\nCOPY <<"EOF" /a\nbody\n',
    'FROM debian\nRUN echo "never closed && apt-get update\nRUN echo \'also open\n',
    'FROM debian\nRUN ["apt-get", "update"\nCMD ["unterminated\n',
    'FROM debian\nRUN $(echo ${A:-${B\nRUN <<\n',
    'FROM debian\nRUN <<EOF\n' + 'apt-get install -y x\n'.repeat(5000),
  ];
  for (const text of cases) {
    const summary = await analyzeIsolated(text);
    assertHealthy(summary, JSON.stringify(text.slice(0, 60)));
  }
  const open = await analyzeIsolated(cases[0]);
  assert.ok(open.problems.some((p) => /Heredoc 'EOF' is never closed/.test(p.message)));
});

test('binary bytes and NUL are skipped as binary', async () => {
  for (const text of ['\u0000', 'FROM debian\n\u0000\u0001', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)).toString('latin1')]) {
    const summary = await analyzeIsolated(text);
    assert.match(summary.skipped ?? '', /looks binary/);
  }
});

test('invalid UTF-8 read from disk by the CLI: reported, no crash', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lean-hostile-'));
  try {
    const file = path.join(dir, 'Dockerfile');
    writeFileSync(file, Buffer.concat([
      Buffer.from('FROM debian\nRUN apt-get update && apt-get install -y curl \\\n  '),
      Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1, 0xf0, 0x28, 0x8c, 0xbc, 0xff, 0xfe]),
      Buffer.from('\nCOPY \xff\xfe /x\n', 'latin1'),
    ]));
    const { cli } = ensureBuilt();
    const result = spawnSync(process.execPath, [cli, '--format', 'json', file], { encoding: 'utf8', timeout: 60000 });
    assert.equal(result.signal, null, 'the CLI must not hang');
    assert.equal(result.status, 1, result.stderr);
    assert.doesNotMatch(result.stderr, /unexpected error|internal error/);
    assert.match(result.stdout, /apt-lists-not-cleaned/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('CRLF, lone CR and a BOM give the same findings on the same lines as LF', async () => {
  const lines = ['FROM debian:bookworm-slim', 'RUN apt-get update \\', '  && apt-get install -y curl', 'RUN pip install flask', 'RUN <<EOF', 'apk add git', 'EOF'];
  const lf = await analyzeIsolated(lines.join('\n'));
  assert.ok(lf.findings.length >= 3);
  for (const [name, text] of [['CRLF', lines.join('\r\n')], ['CR', lines.join('\r')], ['BOM', '\uFEFF' + lines.join('\n')], ['mixed', lines.map((l, i) => l + ['\n', '\r\n', '\r'][i % 3]).join('')]]) {
    const summary = await analyzeIsolated(text);
    assertHealthy(summary, name);
    assert.deepEqual(summary.findings, lf.findings, name);
  }
});

test('# escape= with odd characters', async () => {
  for (const escape of ['`', '\\', 'x', '', '``', '🐳', '#', ' ', '"', '$', '\u00a0', 'é']) {
    const text = `# escape=${escape}\nFROM debian\nRUN apt-get update ${escape}\n  && apt-get install -y curl ${escape}${escape}\nRUN <<EOF\necho ${escape}\nEOF\n`;
    assertHealthy(await analyzeIsolated(text), `escape ${JSON.stringify(escape)}`);
  }
});

// ---------------------------------------------------------------------------------------------------------
// Regular expressions: every literal in server/src, probed directly, and the paths that feed them user text

const describe = (l: RegexLiteral) => `${path.relative(repoRoot, l.file)}:${l.line} /${l.source}/${l.flags}`;

test('every regular expression in server/src finishes on adversarial input', async (t) => {
  const literals = regexLiterals(path.join(repoRoot, 'server/src'));
  assert.ok(literals.length > 20, 'the scan finds the literals');
  const { slow, probed } = await probeRegexes(literals, 5000);
  t.diagnostic(`${probed} patterns probed`);
  assert.deepEqual(slow.map(describe), [], 'patterns that did not finish: make them linear (no two adjacent quantifiers that can match the same text)');
});

test('COPY glob sources never throw on malformed classes (io/build-context.ts sourceMatcher)', () => {
  // Imported here so the rest of the suite does not depend on io.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { sourceMatcher } = require('../../server/src/io/build-context') as typeof import('../../server/src/io/build-context');
  assert.doesNotThrow(() => sourceMatcher('[z-a]')('x'));
});

test('code paths that feed user text to patterns finish on adversarial text', async (t) => {
  const n = 200000;
  const cases: [string, string][] = [
    ['suppression comment with spaces', `FROM debian\n# dockerfile-lean ignore=${' '.repeat(n)}!\nRUN apt-get update`],
    ['hadolint comment with spaces', `FROM debian\n# hadolint ignore=${' '.repeat(n)}!\nRUN apt-get update`],
    ['suppression comment with ids and spaces', `FROM debian\n# dockerfile-lean ignore=${'a, '.repeat(n / 3)}!\nRUN apt-get update`],
    ['directive with spaces', `#${' '.repeat(n)}escape${' '.repeat(n)}=${' '.repeat(n)}x\nFROM debian`],
    ['many directives', '# syntax=x\n'.repeat(n / 10) + 'FROM debian\nRUN apt-get update'],
    ['variable expansions', `FROM debian\nENV A=${'${A:-'.repeat(n / 5)}\nRUN echo $A`],
    ['dollars', `FROM debian\nARG B=${'$'.repeat(n)}\nFROM debian:$B`],
    ['heredoc markers', `FROM debian\nRUN ${'<<a'.repeat(n / 30)}\n`],
    ['heredoc quote open', `FROM debian\nRUN <<"${'a'.repeat(n)}\n`],
    ['shell with many flags', `FROM debian\nRUN sh${' -a'.repeat(n / 30)} <<EOF\necho\nEOF\n`],
    ['trailing operators', `FROM debian\nRUN apt-get update && \\\n${`  x &&${' '.repeat(2000)}\\\n`.repeat(50)}  y`],
    ['shebang', `FROM debian\nRUN <<EOF\n#!${' '.repeat(n)}\nEOF\n`],
    ['unparsable shell, fallback splitter', `FROM debian\nRUN echo "${'a b ; '.repeat(n / 60)}`],
    ['nested quotes and expansions', `FROM debian\nRUN echo ${'"$('.repeat(3000)}`],
    ['3,000 suppressed RUNs', 'FROM debian\n' + '# dockerfile-lean ignore=apt-lists-not-cleaned\nRUN apt-get update\n'.repeat(3000)],
  ];
  for (const [name, text] of cases) {
    const summary = await analyzeIsolated(text, { maxFileBytes: unlimited }, 60000);
    t.diagnostic(`${name}: ${summary.ms.toFixed(0)} ms`);
    assertHealthy(summary, name);
  }
});

test('rm of a path made of 100,000 slashes (rules/lib/queries.ts normalizePath)', async () => {
  const summary = await analyzeIsolated(`FROM debian\nRUN apt-get update && rm -rf ${'/'.repeat(100000)}x`, { maxFileBytes: unlimited }, 10000);
  assertHealthy(summary, 'slashes');
});

// ---------------------------------------------------------------------------------------------------------
// The server stays up

let client: LspClient;
before(async () => { client = await LspClient.start(process.execPath, [ensureBuilt().server, '--stdio']); });
after(async () => { await client.stop(); });

test('the language server answers a hover on a normal document after each hostile one', async () => {
  const normal = 'file:///work/normal/Dockerfile';
  await client.open(normal, 'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl\n');
  await client.diagnostics(normal);
  const hostile: [string, string][] = [
    ['binary', 'FROM debian\n\u0000\u0001\u0002\u00ff'],
    ['lone surrogates', 'FROM debian\nRUN echo \ud800 \udfff && apt-get update\n'],
    ['1 MB line', `FROM debian\nRUN echo ${'a'.repeat(1 << 20)}`],
    ['unterminated heredoc', 'FROM debian\nRUN <<EOF\napt-get update\n'],
    ['unterminated quote', 'FROM debian\nRUN echo "open && apt-get update'],
    ['lone CR', 'FROM debian\rRUN apt-get update\r'],
    ['BOM and CRLF', '\uFEFFFROM debian\r\nRUN apt-get update\r\n'],
    ['odd escape', '# escape=🐳\nFROM debian\nRUN apt-get update 🐳\n  && true'],
    ['suppression comment of spaces', `FROM debian\n# dockerfile-lean ignore=${' '.repeat(100000)}!\nRUN apt-get update`],
    ['5,000-line continuation', 'FROM debian\nRUN apt-get install -y \\\n' + '  p \\\n'.repeat(5000) + '  q\n'],
    ['3,000 stages', Array.from({ length: 3000 }, (_, i) => `FROM debian AS s${i}\nRUN apt-get update`).join('\n')],
    ['over the size limit', 'FROM debian\n' + '# filler line\n'.repeat(200000)],
    ['empty', ''],
  ];
  for (const [index, [name, text]] of hostile.entries()) {
    const uri = `file:///work/hostile/${index}/Dockerfile`;
    await client.open(uri, text);
    await client.diagnostics(uri, (p) => p.version === 1, 60000);
    const hover = await client.request('textDocument/hover', { textDocument: { uri: normal }, position: { line: 0, character: 6 } });
    assert.match(hover?.contents?.value ?? '', /debian:bookworm-slim/, `no hover after '${name}'; server stderr: ${client.stderr}`);
  }
  assert.equal(client.process.exitCode, null, 'the server process is still running');
});
