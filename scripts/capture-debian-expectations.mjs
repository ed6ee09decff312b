// Captures what the Debian indexes of server/data answer to a broad fixed set of questions into
// test/fixtures/debian-index-expectations.json (see test/support/debian-expectations.ts). Re-run it after
// `npm run data` regenerates the packs, and review the diff: the test checks the index keeps these answers.
//
//   node scripts/capture-debian-expectations.mjs [--release bookworm]...
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);
const releases = args.flatMap((a, i) => (args[i - 1] === '--release' ? [a] : []));
const { loadDebianIndex } = await tsImport('../server/src/io/data-packs.ts', import.meta.url);
const { describeIndex } = await tsImport('../test/support/debian-expectations.ts', import.meta.url);
const out = {};
for (const release of releases.length ? releases : ['bookworm', 'trixie']) {
  const load = loadDebianIndex(release);
  if (!load.value) throw new Error(load.problem);
  out[release] = describeIndex(load.value);
  console.log(`capture-debian-expectations: ${release}: ${Object.keys(out[release].closures).length} closures, stride digest over ${out[release].stride.count}`);
}
const target = path.join(root, 'test', 'fixtures', 'debian-index-expectations.json');
// One closure or lookup a line, so a changed answer shows as a one-line diff.
const entries = (object, indent) => Object.entries(object).map(([k, v]) => `${indent}${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(',\n');
const text = `{\n${Object.entries(out).map(([release, facts]) => `  ${JSON.stringify(release)}: {\n${Object.entries(facts).map(([key, value]) =>
  (key === 'closures' || key === 'lookups' ? `    "${key}": {\n${entries(value, '      ')}\n    }` : `    "${key}": ${JSON.stringify(value)}`)).join(',\n')}\n  }`).join(',\n')}\n}\n`;
writeFileSync(target, text);
console.log(`capture-debian-expectations: wrote ${path.relative(root, target)}`);
