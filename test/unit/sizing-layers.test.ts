import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../server/src/engine';
import { testEnv } from '../support/test-env';
import { memoryContext } from '../support/memory-context';

const layers = (text: string, files?: Record<string, number | string>) => {
  const report = analyze(text, { env: { ...testEnv(), context: files ? memoryContext(files) : null } });
  return report.image.stages.flatMap((s) => s.layers.map((l) => ({ line: l.line, bytes: l.figure?.bytes ?? null, confidence: l.figure?.confidence ?? null, explanation: l.explanation })));
};

test('chmod of a file an earlier COPY wrote copies it whole into the new layer', () => {
  const [copy, chmod] = layers('FROM debian:bookworm-slim\nCOPY big.bin /opt/big.bin\nRUN chmod 600 /opt/big.bin', { 'big.bin': 5_000_000 });
  assert.equal(copy.bytes, 5_000_000);
  assert.equal(chmod.bytes, 5_000_000);
  assert.equal(chmod.confidence, 'low');
});

test('chmod of a file an unsized layer wrote is unknown, never zero; of a new file, negligible', () => {
  const result = layers('FROM debian:bookworm-slim\nRUN ./generate-data > /opt/x\nRUN chmod 600 /opt/x\nRUN touch /opt/new && chmod +x /opt/new');
  assert.equal(result[1].bytes, null);
  assert.equal(result[2].bytes, 0);
});

test('deleting in a later layer frees nothing: the layer costs 0 and the earlier layer keeps its size', () => {
  const [install, purge] = layers('FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\nRUN apt-get purge -y curl');
  assert.ok((install.bytes ?? 0) > 5_000_000);
  assert.equal(purge.bytes, 0);
});

test('apt: recommends and lists are separate parts; a purge in the same RUN takes packages back', () => {
  const report = analyze('FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl', { env: testEnv() });
  const parts = report.image.stages[0].layers[0].parts.map((p) => p.label).sort();
  assert.deepEqual(parts, ['apt lists', 'packages', 'recommended packages']);
  const [same] = layers('FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends gcc && apt-get purge -y --auto-remove gcc && rm -rf /var/lib/apt/lists/*');
  assert.ok((same.bytes ?? Infinity) < 1_000_000, `left ${same.bytes}`);
});
