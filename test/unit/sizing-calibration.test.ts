/**
 * The calibration constants in server/src/sizing/calibration.ts must agree with the images measured in
 * bench/accuracy/results.json: recompute them here from the measurements.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDockerfile } from '../../server/src/model/parse';
import { FileDataPacks } from '../../server/src/io/data-packs';
import { aptListsBytes, installedSizeRatio } from '../../server/src/sizing/calibration';
import { repoRoot } from '../support/built';

const results = JSON.parse(readFileSync(path.join(repoRoot, 'bench/accuracy/results.json'), 'utf8'));
const packs = new FileDataPacks();
const bookworm = packs.debian('bookworm')!;
const lists = packs.baseImages()!.packageLists;

const median = (values: number[]) => { const s = [...values].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };

function aptRatios() {
  const ratios = { slim: [] as number[], full: [] as number[] };
  for (const c of results.cases) {
    if (!c.name.startsWith('apt-') || c.error || c.layers.length !== 1) continue;
    const model = parseDockerfile(readFileSync(path.join(repoRoot, c.dockerfile), 'utf8'));
    const from = model.stages[0].from;
    const commands = model.instructions.find((i) => i.range.start.line === c.layers[0].line)?.shell?.commands ?? [];
    // Only layers that are one install (plus update and list cleanup): no purge, no other tools.
    if (commands.some((x) => x.packageOp?.manager === 'apt' && !['install', 'update', 'clean'].includes(x.packageOp.verb)) || commands.some((x) => !x.packageOp && x.name !== 'rm')) continue;
    const installs = commands.filter((x) => x.packageOp?.verb === 'install');
    if (installs.length !== 1) continue;
    const leavesLists = commands.some((x) => x.packageOp?.verb === 'update') && !commands.some((x) => x.name === 'rm');
    const base = new Set(lists[`debian:${from.tag}`]);
    const withRecommends = !installs[0].argv.some((w) => w.value === '--no-install-recommends');
    const closure = bookworm.closure(installs[0].packageOp!.packages.map((p) => p.value), { withRecommends, installed: base });
    const bytes = c.layers[0].bytes - (leavesLists ? aptListsBytes.bookworm : 0);
    (from.tag?.includes('slim') ? ratios.slim : ratios.full).push(bytes / closure.installedSizeBytes);
  }
  return ratios;
}

test('Installed-Size ratios are the medians measured on the accuracy corpus', () => {
  const ratios = aptRatios();
  assert.ok(ratios.slim.length >= 5, `only ${ratios.slim.length} slim apt cases measured`);
  assert.ok(Math.abs(median(ratios.slim) - installedSizeRatio.slim) < 0.03, `slim: measured ${median(ratios.slim).toFixed(3)}`);
  if (ratios.full.length >= 2) assert.ok(Math.abs(median(ratios.full) - installedSizeRatio.full) < 0.05, `full: measured ${median(ratios.full).toFixed(3)}`);
});

test('apt lists size is the measured `apt-get update` layer on bookworm', () => {
  const updateOnly = results.cases.find((c: any) => c.name === 'apt-update-only-slim' && !c.error);
  if (updateOnly) {
    assert.ok(Math.abs(updateOnly.layers[0].bytes - aptListsBytes.bookworm) / aptListsBytes.bookworm < 0.05, `measured ${updateOnly.layers[0].bytes}`);
  } else {
    // Without that case, the lists are the difference between the same install with and without cleanup.
    const withLists = results.cases.find((c: any) => c.name === 'apt-curl-slim-apt-clean');
    const without = results.cases.find((c: any) => c.name === 'apt-curl-slim-norec-clean');
    assert.ok(Math.abs(withLists.layers[0].bytes - without.layers[0].bytes - aptListsBytes.bookworm) < 200_000);
  }
});
