import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../server/src/engine';
import { parseSize } from '../../server/src/sizing/sizers/writes';
import { testEnv } from '../support/test-env';

const layers = (text: string) => analyze(text, { env: testEnv() }).image.stages.flatMap((s) => s.layers.map((l) => ({ bytes: l.figure?.bytes ?? null, confidence: l.figure?.confidence ?? null, explanation: l.explanation, parts: l.parts })));
const MiB = 1024 * 1024;

test('size suffixes as coreutils and util-linux read them', () => {
  assert.equal(parseSize('1M', 'dd'), MiB);
  assert.equal(parseSize('1MB', 'coreutils'), 1_000_000);
  assert.equal(parseSize('2KiB', 'util-linux'), 2048);
  assert.equal(parseSize('3k', 'coreutils'), 3072);
  assert.equal(parseSize('4b', 'dd'), 2048);
  assert.equal(parseSize('2w', 'dd'), 4);
  assert.equal(parseSize('1Mx2', 'dd'), 2 * MiB);
  assert.equal(parseSize('1G', 'util-linux'), 1024 ** 3);
  assert.equal(parseSize('12Q', 'coreutils'), null);
  assert.equal(parseSize('-5', 'coreutils'), null);
});

test('dd, head -c, fallocate and truncate write files of the size their arguments give (sparse counts whole)', () => {
  const result = layers([
    'FROM debian:bookworm-slim',
    'RUN dd if=/dev/zero of=/opt/zero.bin bs=1M count=8',
    'RUN head -c 3M /dev/urandom > /opt/random.bin',
    'RUN fallocate -l 16M /opt/falloc.bin',
    'RUN truncate -s 32M /opt/sparse.bin',
    'RUN dd if=/dev/urandom of=/opt/grown.bin bs=64k count=16 status=none && truncate -s 2M /opt/grown.bin',
    'RUN dd if=/dev/zero of=/opt/seek.bin bs=1M seek=10 count=1',
    'RUN dd if=/dev/zero of=/opt/bytes.bin iflag=count_bytes count=1000 bs=1M',
  ].join('\n'));
  assert.deepEqual(result.map((l) => l.bytes), [8 * MiB, 3 * MiB, 16 * MiB, 32 * MiB, 2 * MiB, 11 * MiB, 1000]);
  assert.equal(result[0].confidence, 'high');
  assert.equal(result[0].parts[0].path, '/opt/zero.bin');
});

test('what the arguments do not settle stays unknown, with the reason', () => {
  const result = layers([
    'FROM debian:bookworm-slim',
    'RUN dd if=/data/in.bin of=/opt/copy.bin bs=1M count=8',
    'RUN dd if=/dev/zero of=/opt/full.bin bs=1M',
    'RUN truncate -s +5M /opt/x',
    'RUN head -n 10 /etc/passwd > /opt/h',
    'RUN fallocate -n -l 5M /opt/keep',
  ].join('\n'));
  assert.deepEqual(result.map((l) => l.bytes), [null, null, null, null, null]);
  assert.match(result[0].explanation, /dd if=\/data\/in.bin/);
  assert.match(result[1].explanation, /without count/);
  assert.match(result[2].explanation, /relative/);
});

test('a file removed in the same RUN, written to a device or to stdout costs nothing', () => {
  const result = layers([
    'FROM debian:bookworm-slim',
    'RUN head -c 5242880 /dev/zero > /opt/tmp.bin && rm /opt/tmp.bin',
    'RUN dd if=/dev/zero of=/tmp/scratch/x bs=1M count=4 && rm -rf /tmp/scratch',
    'RUN dd if=/dev/zero of=/dev/null bs=1M count=100',
    'RUN --mount=type=cache,target=/cache dd if=/dev/zero of=/cache/blob bs=1M count=100',
  ].join('\n'));
  assert.deepEqual(result.map((l) => l.bytes), [0, 0, 0, 0]);
});

test('chmod of a file written by dd copies just that file up, not the whole earlier layer', () => {
  const result = layers([
    'FROM debian:bookworm-slim',
    'RUN dd if=/dev/zero of=/opt/a.bin bs=1M count=8 && head -c 1M /dev/urandom > /opt/b.bin',
    'RUN chmod 600 /opt/b.bin',
  ].join('\n'));
  assert.equal(result[0].bytes, 9 * MiB);
  assert.equal(result[1].bytes, MiB);
  assert.equal(result[1].confidence, 'low');
});

test('COPY --from of a file another stage wrote with head -c takes that file\'s size', () => {
  const report = analyze('FROM debian:bookworm-slim AS src\nRUN head -c 2097152 /dev/urandom > /blob.bin && head -c 5M /dev/zero > /other.bin\nFROM scratch\nCOPY --from=src /blob.bin /blob.bin', { env: testEnv() });
  const copy = report.image.stages[1].layers[0];
  assert.equal(copy.figure?.bytes, 2097152);
  assert.equal(report.image.total?.bytes, 2097152);
});

test('head without a redirection only prints: the layer depends on what reads it', () => {
  const [printed, piped] = layers('FROM debian:bookworm-slim\nRUN head -n 5 /etc/passwd\nRUN head -c 1M /dev/urandom | base64 > /opt/b64');
  assert.equal(printed.bytes, 0);
  assert.equal(piped.bytes, null);
  assert.match(piped.explanation, /base64/);
});
