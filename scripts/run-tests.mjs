// Runs the test suites with node's own test runner (its summary is what CI reads).
//   node scripts/run-tests.mjs unit   unit tests only (fast, no browser)
//   node scripts/run-tests.mjs all    unit tests, then the in-editor and UI suites in code-server
import { spawnSync } from 'node:child_process';
import { readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const mode = process.argv[2] ?? 'unit';
const only = process.argv.slice(3);

function filesIn(dir, suffix) {
  const full = path.join(root, dir);
  if (!existsSync(full)) return [];
  return readdirSync(full, { recursive: true })
    .filter((f) => f.endsWith(suffix))
    .map((f) => path.join(dir, f))
    .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
    .sort();
}

function run(command, args, extraEnv = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...extraEnv } });
  return result.status ?? 1;
}

let status = run(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...filesIn('test/unit', '.test.ts')]);
if (mode === 'all' && existsSync(path.join(root, 'e2e/run.sh'))) {
  status = run('bash', ['e2e/run.sh']) || status;
}
process.exit(status);
