import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDockerfile, ParseCache } from '../../server/src/model/parse';

test('stages: names, bases, stage references, final and shipped stages', () => {
  const m = parseDockerfile([
    'FROM golang:1.22 AS Build',
    'RUN go build -o /app .',
    'FROM build AS test',
    'RUN go test ./...',
    'FROM gcr.io/distroless/static:nonroot',
    'COPY --from=build /app /app',
  ].join('\n'));
  assert.deepEqual(m.stages.map((s) => [s.index, s.name, s.from.repository, s.from.tag, s.baseStage]), [
    [0, 'build', 'golang', '1.22', null],
    [1, 'test', 'build', null, 0],
    [2, null, 'distroless/static', 'nonroot', null],
  ]);
  assert.equal(m.stages[2].from.registry, 'gcr.io');
  assert.equal(m.finalStageIndex, 2);
  assert.deepEqual(m.edges.map((e) => `${e.from}->${e.to}:${e.kind}`), ['0->1:from', '0->2:copy']);
  // 'test' is a possible --target (nothing uses it), so it ships with its base 'build'.
  assert.deepEqual([...m.shippedStageIndexes].sort(), [0, 1, 2]);
});

test('a stage used only by COPY --from does not ship', () => {
  const m = parseDockerfile('FROM node:20 AS build\nRUN npm ci\nFROM node:20-slim\nCOPY --from=0 /app /app');
  assert.deepEqual([...m.shippedStageIndexes], [1]);
  assert.equal(m.instructions[3].copy?.fromStage, 0);
});

test('ARG before FROM with defaults, ${VAR:-default}, build-arg overrides and unknown variables', () => {
  const text = 'ARG PY=3.12\nARG VARIANT\nFROM python:${PY}-${VARIANT:-slim}\nFROM ${REGISTRY}/app:${PY}';
  const m = parseDockerfile(text);
  assert.equal(m.stages[0].from.expanded, 'python:3.12-slim');
  assert.deepEqual(m.stages[1].from.unresolved, ['REGISTRY']);
  const overridden = parseDockerfile(text, { buildArgs: new Map([['PY', '3.11'], ['VARIANT', 'alpine']]) });
  assert.equal(overridden.stages[0].from.expanded, 'python:3.11-alpine');
});

test('ENV and stage ARG expansion in arguments; global ARG needs re-declaring', () => {
  const m = parseDockerfile('ARG V=1\nFROM alpine\nENV DIR=/opt/app\nCOPY x ${DIR}/x\nRUN echo $V\nARG V\nCOPY y ${V}');
  const copies = m.instructions.filter((i) => i.keyword === 'COPY');
  assert.equal(copies[0].args[1].expanded, '/opt/app/x');
  assert.equal(copies[1].args[1].expanded, '1');
});

test('line continuations with interleaved comments and blank lines', () => {
  const m = parseDockerfile('FROM debian\nRUN apt-get update \\\n  # a comment\n\n  && apt-get install -y curl\nCMD ["bash"]');
  const run = m.instructions[1];
  assert.deepEqual([run.range.start.line, run.range.end.line], [1, 4]);
  assert.deepEqual(run.shell?.commands.map((c) => c.argv.map((w) => w.value).join(' ')), ['apt-get update', 'apt-get install -y curl']);
  assert.deepEqual(run.shell?.commands[1].range.start, { line: 4, character: 5 });
  assert.equal(m.instructions[2].keyword, 'CMD');
  assert.ok(m.instructions[2].jsonForm);
});

test('# escape=` directive: backtick continues lines, backslash is literal', () => {
  const m = parseDockerfile('# escape=`\nFROM mcr.microsoft.com/windows/servercore\nRUN dir C:\\ `\n  && echo done');
  assert.equal(m.escapeChar, '`');
  const run = m.instructions[1];
  assert.deepEqual([run.range.start.line, run.range.end.line], [2, 3]);
  assert.equal(run.shell?.commands.length, 2);
});

test('heredocs: script bodies are parsed as shell; unterminated heredoc is a problem, not a crash', () => {
  const m = parseDockerfile('FROM debian\nRUN <<EOF\nset -e\napt-get update\nEOF\nRUN python3 <<PY\nprint("x")\nPY\nCOPY <<EOF /etc/x\nhello\nEOF');
  assert.deepEqual(m.instructions[1].shell?.commands.map((c) => c.name), ['set', 'apt-get']);
  assert.deepEqual(m.instructions[1].shell?.commands[1].range.start, { line: 3, character: 0 });
  assert.deepEqual(m.instructions[2].shell?.commands.map((c) => c.name), ['python3']);
  assert.equal(m.instructions[3].keyword, 'COPY');
  const broken = parseDockerfile('FROM debian\nRUN <<EOF\napt-get update\n');
  assert.equal(broken.instructions.length, 2);
  assert.ok(broken.problems.some((p) => /never closed/.test(p.message)));
});

test('CRLF, lone CR and BOM keep positions right', () => {
  const crlf = parseDockerfile('\uFEFFFROM debian\r\nRUN apt-get update \\\r\n  && ls\r\n');
  assert.equal(crlf.stages[0].from.repository, 'debian');
  assert.deepEqual(crlf.instructions[1].shell?.commands[1].range, { start: { line: 2, character: 5 }, end: { line: 2, character: 7 } });
  const cr = parseDockerfile('FROM debian\rRUN ls\r');
  assert.deepEqual(cr.instructions.map((i) => [i.keyword, i.range.start.line]), [['FROM', 0], ['RUN', 1]]);
});

test('ONBUILD triggers are modelled as their instruction, marked onbuild', () => {
  const m = parseDockerfile('FROM debian\nONBUILD RUN apt-get update');
  assert.equal(m.instructions[1].keyword, 'RUN');
  assert.equal(m.instructions[1].onbuild, true);
  assert.equal(m.instructions[1].shell?.commands[0].packageOp?.verb, 'update');
});

test('instructions before FROM other than ARG are problems', () => {
  const m = parseDockerfile('RUN echo hi\nFROM debian');
  assert.ok(m.problems.some((p) => /before the first FROM/.test(p.message)));
});

test('parse cache: an edit re-parses only the touched instruction and results equal a full parse', () => {
  const lines = Array.from({ length: 50 }, (_, i) => `RUN echo ${i} && apt-get install -y pkg${i}`);
  const before = ['FROM debian', ...lines].join('\n');
  const cache = new ParseCache();
  parseDockerfile(before, { cache });
  assert.equal(cache.size, 51);
  const editedLines = [...lines];
  editedLines[10] = 'RUN echo changed';
  editedLines.splice(20, 0, 'RUN echo inserted');
  const after = ['FROM debian', ...editedLines].join('\n');
  const incremental = parseDockerfile(after, { cache });
  const full = parseDockerfile(after);
  const strip = (m: ReturnType<typeof parseDockerfile>) => JSON.stringify({ i: m.instructions, s: m.stages.map((s) => ({ ...s, fromInstruction: null, instructions: null })), p: m.problems });
  assert.equal(strip(incremental), strip(full));
  // The replaced chunk is kept for one more parse (an undo finds it), then dropped.
  assert.equal(cache.size, 53);
  parseDockerfile(after, { cache });
  assert.equal(cache.size, 52);
});

test('broken heredoc text that dockerfile-ast cannot read (it throws) parses without heredocs instead of failing', () => {
  // A `<<` chunk whose continuation ends in a comment holding another `<<`: dockerfile-ast's getHeredocs throws here.
  const model = parseDockerfile('<<x\na \\\n#\\<<E\n');
  assert.ok(model.instructions.length > 0);
  assert.ok(model.instructions.every((i) => i.heredocs.length === 0));
});
