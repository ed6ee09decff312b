/**
 * The committed real-build results (test/build/split-real-build.mjs): for the Python and Go fixtures the
 * split image was built, runs with the same output and is smaller; and the Dockerfile that was built is
 * still what the split writes today, so the results cannot silently go stale.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { analyze } from '../../server/src/engine';
import { rule as multiStageOpportunity } from '../../server/src/rules/multi-stage-opportunity';
import { applyEdits } from '../../server/src/text/edits';
import { repoRoot } from '../support/built';

interface Measured { sizeBytes: number; output: string }
interface Result { fixture: string; fixTitle: string; splitDockerfile: string[]; before: Measured; after: Measured; savedBytes: number; sameOutput: boolean }

const buildDir = path.join(repoRoot, 'test/build');
const results: Result[] = JSON.parse(readFileSync(path.join(buildDir, 'split-real-build.results.json'), 'utf8')).results;

for (const fixture of ['python', 'go']) {
  test(`${fixture}: the split image is smaller and prints the same`, () => {
    const result = results.find((r) => r.fixture === fixture);
    assert.ok(result, `no measured result for ${fixture}`);
    assert.ok(result.after.sizeBytes > 0 && result.before.sizeBytes > 0);
    assert.ok(result.after.sizeBytes < result.before.sizeBytes, `after ${result.after.sizeBytes} B is not below before ${result.before.sizeBytes} B`);
    assert.equal(result.savedBytes, result.before.sizeBytes - result.after.sizeBytes);
    assert.ok(result.before.output.length > 0);
    assert.equal(result.after.output, result.before.output);
  });

  test(`${fixture}: the measured Dockerfile is what the split writes today`, () => {
    const result = results.find((r) => r.fixture === fixture);
    assert.ok(result);
    const original = readFileSync(path.join(buildDir, 'fixtures', fixture, 'Dockerfile'), 'utf8');
    const finding = analyze(original, { rules: [multiStageOpportunity] }).findings[0];
    const fix = finding?.fixes.find((f) => f.title === result.fixTitle);
    assert.ok(fix, `no fix titled '${result.fixTitle}'`);
    assert.deepEqual(applyEdits(original, fix.edits).text.split('\n'), result.splitDockerfile);
  });
}
