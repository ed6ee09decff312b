import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findConfigFile, readProjectConfig, ProjectConfigCache } from '../../server/src/io/config-file';

function repo(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'lean-cfg-'));
  mkdirSync(path.join(root, '.git'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), text);
  }
  return root;
}

test('found by walking up from the Dockerfile, not past the repository root', () => {
  const root = repo({ '.dockerfile-lean.json': '{"rules":{"apk-no-cache":"off"}}', 'services/api/Dockerfile': 'FROM x' });
  assert.equal(findConfigFile(path.join(root, 'services/api')), path.join(root, '.dockerfile-lean.json'));
  const inner = repo({ 'Dockerfile': 'FROM x' });
  assert.equal(findConfigFile(inner), null);
});

test('valid settings are read; relative buildContext resolves from the config file', () => {
  const root = repo({ '.dockerfile-lean.json': JSON.stringify({ rules: { 'apk-no-cache': 'off', 'pip-no-cache': 'error' }, buildArgs: { PY: '3.12', N: 3 }, buildContext: '..' }) });
  const config = readProjectConfig(path.join(root, '.dockerfile-lean.json'));
  assert.deepEqual(config.rules, { 'apk-no-cache': 'off', 'pip-no-cache': 'error' });
  assert.deepEqual(config.buildArgs, { PY: '3.12', N: '3' });
  assert.equal(config.buildContext, path.dirname(root));
  assert.deepEqual(config.problems, []);
});

test('malformed files and unknown rule ids give clear problems and defaults, never a throw', () => {
  const root = repo({ 'bad.json': '{ "rules": ', 'odd.json': JSON.stringify({ rules: { 'no-such-rule': 'off', 'pip-no-cache': 'loud' }, extra: 1 }), 'arr.json': '[]' });
  const bad = readProjectConfig(path.join(root, 'bad.json'));
  assert.match(bad.problems[0], /not valid JSON/);
  assert.deepEqual(bad.rules, {});
  const odd = readProjectConfig(path.join(root, 'odd.json'));
  assert.equal(odd.problems.length, 3);
  assert.ok(odd.problems.some((p) => /unknown rule id 'no-such-rule'/.test(p)));
  assert.ok(odd.problems.some((p) => /'loud' is not off/.test(p)));
  assert.match(readProjectConfig(path.join(root, 'arr.json')).problems[0], /expected a JSON object/);
  assert.deepEqual(new ProjectConfigCache().forDockerfile(path.join(root, 'Dockerfile')).file, null);
});
