import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, mkdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { walkContext, contextFromSnapshot, sourceMatcher, BuildContextCache } from '../../server/src/io/build-context';

function tree(files: Record<string, number | string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'lean-ctx-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), typeof content === 'number' ? Buffer.alloc(content) : content);
  }
  return root;
}

test('.dockerignore with Docker rules: globs, ** and ! exceptions inside excluded folders', () => {
  const root = tree({
    'app.py': 1000, 'src/a.py': 2000, 'src/b.pyc': 500, 'node_modules/x/index.js': 50_000,
    '.git/objects/aa': 9000, 'logs/keep.log': 300, 'logs/drop.log': 700, 'docs/deep/x.md': 100,
    '.dockerignore': 'node_modules\n.git\n**/*.pyc\nlogs\n!logs/keep.log\n# comment\n\n',
  });
  const context = contextFromSnapshot(walkContext(root));
  assert.deepEqual(context.dockerignore, ['node_modules', '.git', '**/*.pyc', 'logs', '!logs/keep.log']);
  const all = context.measure('.')!;
  const dockerignoreBytes = 'node_modules\n.git\n**/*.pyc\nlogs\n!logs/keep.log\n# comment\n\n'.length;
  assert.equal(all.bytes, 1000 + 2000 + 300 + 100 + dockerignoreBytes);
  assert.equal(all.files, 5);
  assert.equal(context.measure('src')!.bytes, 2000);
  assert.equal(context.measure('./src/')!.bytes, 2000);
  assert.equal(context.measure('*.py')!.bytes, 1000);
  assert.equal(context.measure('src/*.py')!.bytes, 2000);
  assert.ok(context.exists('logs/keep.log'));
  assert.ok(!context.exists('logs/drop.log'));
  assert.ok(!context.exists('node_modules'));
});

test('without .dockerignore everything is sent, including .git and node_modules', () => {
  const root = tree({ 'a.txt': 10, '.git/HEAD': 20, 'node_modules/m/x.js': 30 });
  const context = contextFromSnapshot(walkContext(root));
  assert.equal(context.dockerignore, null);
  assert.equal(context.measure('.')!.bytes, 60);
});

test('symbolic links are not followed (a loop or a link out of the context costs only the link)', () => {
  const root = tree({ 'a.txt': 10 });
  symlinkSync(root, path.join(root, 'loop'));
  symlinkSync('/etc', path.join(root, 'outside'));
  const snapshot = walkContext(root);
  assert.deepEqual(snapshot.files.map((f) => f.path).sort(), ['a.txt', 'loop', 'outside']);
  assert.equal(snapshot.files.find((f) => f.path === 'outside')?.bytes, '/etc'.length);
});

test('the walk stops at its entry and time limits and says the figure is a lower bound', () => {
  const files: Record<string, number> = {};
  for (let i = 0; i < 50; i++) files[`f${i}.bin`] = 1;
  const root = tree(files);
  const byEntries = walkContext(root, { maxEntries: 10, maxMilliseconds: 60_000 });
  assert.equal(byEntries.truncated, true);
  assert.ok(byEntries.files.length <= 10);
  let clock = 0;
  const byTime = walkContext(root, { maxEntries: 1_000_000, maxMilliseconds: 5 }, () => (clock += 1));
  assert.equal(byTime.truncated, true);
  assert.equal(contextFromSnapshot(byTime).measure('.')!.truncated, true);
});

test('COPY source patterns follow filepath.Match', () => {
  assert.ok(sourceMatcher('requirements*.txt')('requirements-dev.txt'));
  assert.ok(!sourceMatcher('requirements*.txt')('sub/requirements.txt'));
  assert.ok(sourceMatcher('dist')('dist/a/b.js'));
  assert.ok(sourceMatcher('file[0-9].txt')('file3.txt'));
  assert.ok(sourceMatcher('/')('anything'));
});

test('the cache re-walks only when invalidated or stale; a missing root gives no context', () => {
  const root = tree({ 'a.txt': 10 });
  const cache = new BuildContextCache(60_000);
  assert.equal(cache.get(root)?.measure('.')!.bytes, 10);
  writeFileSync(path.join(root, 'b.txt'), Buffer.alloc(5));
  assert.equal(cache.get(root)?.measure('.')!.bytes, 10);
  cache.invalidate(path.join(root, 'b.txt'));
  assert.equal(cache.get(root)?.measure('.')!.bytes, 15);
  assert.equal(cache.get(path.join(root, 'nope')), null);
});

test('glob matching is linear on adversarial patterns and rejects malformed classes', () => {
  const started = process.hrtime.bigint();
  const pattern = '*a'.repeat(30) + 'b';
  assert.equal(sourceMatcher(pattern)('a'.repeat(5000)), false);
  const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
  // Not a timing assertion on speed: a backtracking matcher would take minutes here, not milliseconds.
  assert.ok(elapsedMs < 5000, `took ${elapsedMs} ms`);
  assert.equal(sourceMatcher('[z-a]')('m'), false);
  assert.equal(sourceMatcher('file[')('file['), false);
  assert.ok(sourceMatcher('[!a]*.txt')('b.txt'));
  assert.ok(!sourceMatcher('[!a]*.txt')('a.txt'));
  assert.ok(sourceMatcher('a\\*b')('a*b'));
  assert.ok(sourceMatcher('src/*/index.?s')('src/app/index.ts'));
});
