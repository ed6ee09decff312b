import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadDebianIndex } from '../../server/src/io/data-packs';
import { describeIndex, type IndexExpectations } from '../support/debian-expectations';

// Answers captured from the shipped packs (scripts/capture-debian-expectations.mjs): the closures of ~90
// installs four ways, a digest over the closures of every 97th package, and lookups. Guards the index and
// its pack format against any change of result; a regenerated pack needs a fresh capture, reviewed.
const expected = JSON.parse(readFileSync(path.join(__dirname, '..', 'fixtures', 'debian-index-expectations.json'), 'utf8')) as Record<string, IndexExpectations>;

for (const release of ['bookworm', 'trixie']) {
  test(`${release}: the index answers as captured (closures, sizes, lookups, essential set)`, () => {
    const load = loadDebianIndex(release);
    assert.equal(load.problem, null);
    const want = expected[release];
    const got = describeIndex(load.value!, want.stride.every);
    assert.equal(got.generated, want.generated, `the ${release} pack was regenerated: re-run node scripts/capture-debian-expectations.mjs and review the diff`);
    assert.equal(got.packageCount, want.packageCount);
    assert.equal(got.essential, want.essential);
    for (const [question, answer] of Object.entries(want.closures)) assert.deepEqual(got.closures[question], answer, question);
    assert.deepEqual(Object.keys(got.closures), Object.keys(want.closures));
    for (const [name, answer] of Object.entries(want.lookups)) assert.deepEqual(got.lookups[name], answer, name);
    assert.deepEqual(got.stride, want.stride);
  });
}
