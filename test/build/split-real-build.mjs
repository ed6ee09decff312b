#!/usr/bin/env node
/**
 * Builds the split refactoring's output for real and compares image sizes with the single-stage original.
 * For each fixture under test/build/fixtures/: analyze the Dockerfile, take multi-stage-opportunity's
 * split fix, build before and after with buildah (vfs storage, chroot isolation, local bases only), run
 * both images, and write the sizes to test/build/split-real-build.results.json.
 *
 * Takes minutes (apt downloads, gcc, go build): not part of the unit tests; test/unit/split-real-build.test.ts
 * checks the committed results. Needs root, buildah and podman, and the local stand-ins for
 * debian:bookworm and debian:bookworm-slim (bench/accuracy/make-base.sh builds them; Docker Hub is not
 * reachable here).
 *
 * Usage: node --import tsx test/build/split-real-build.mjs [fixture…]
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyze } from '../../server/src/engine.ts';
import { rule as multiStageOpportunity } from '../../server/src/rules/multi-stage-opportunity.ts';
import { applyEdits } from '../../server/src/text/edits.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');
const fixturesDir = path.join(here, 'fixtures');
const resultsFile = path.join(here, 'split-real-build.results.json');
const storage = ['--storage-driver', 'vfs'];
const requiredBases = ['docker.io/library/debian:bookworm', 'docker.io/library/debian:bookworm-slim'];
/** Which split to build per fixture: the Go runtime is scratch, since distroless cannot be pulled here. */
const fixTitleMatch = { go: /on scratch/, python: /venv/ };

function run(command, args, options = {}) {
  return execFileSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
}

function imageExists(name) {
  try { run('podman', [...storage, 'image', 'exists', name]); return true; } catch { return false; }
}

function ensureBases() {
  if (requiredBases.every(imageExists)) return;
  const makeBase = path.join(repoRoot, 'bench/accuracy/make-base.sh');
  if (!existsSync(makeBase)) throw new Error(`missing ${requiredBases.join(', ')} and ${makeBase}: build the Debian bases first`);
  run('bash', [makeBase], { stdio: 'inherit' });
}

function build(contextDir, dockerfile, tag) {
  run('buildah', [...storage, 'build', '--isolation', 'chroot', '--layers', '--network', 'host', '--pull=never', '-f', dockerfile, '-t', tag, contextDir], { stdio: ['ignore', 'inherit', 'inherit'] });
}

/** podman's view of an image: Size is the sum of the layers' tar streams (about 10 % above the file contents). */
function inspectImage(tag) {
  const [image] = JSON.parse(run('podman', [...storage, 'image', 'inspect', tag]));
  return { sizeBytes: image.Size, layers: image.RootFS.Layers.length };
}

/** Runs the image's own CMD in a throwaway buildah container and returns what it printed. */
function runImage(tag) {
  const container = run('buildah', [...storage, 'from', '--pull=never', tag]).trim();
  try {
    const { config } = JSON.parse(run('buildah', [...storage, 'inspect', '--type', 'container', container])).OCIv1;
    const argv = [...(config.Entrypoint ?? []), ...(config.Cmd ?? [])];
    const env = (config.Env ?? []).flatMap((e) => ['--env', e]);
    return run('buildah', [...storage, 'run', '--isolation', 'chroot', ...env, '--workingdir', config.WorkingDir || '/', container, '--', ...argv]).trim();
  } finally {
    run('buildah', [...storage, 'rm', container]);
  }
}

function splitFixture(name, dockerfileText) {
  const report = analyze(dockerfileText, { rules: [multiStageOpportunity] });
  const finding = report.findings.find((f) => f.ruleId === multiStageOpportunity.meta.id);
  if (!finding) throw new Error(`${name}: multi-stage-opportunity does not fire`);
  const fix = finding.fixes.find((f) => f.kind === 'refactor' && fixTitleMatch[name].test(f.title));
  if (!fix) throw new Error(`${name}: no split fix matching ${fixTitleMatch[name]} among ${finding.fixes.map((f) => f.title).join(' | ')}`);
  return { title: fix.title, text: applyEdits(dockerfileText, fix.edits).text };
}

function measure(name) {
  const source = path.join(fixturesDir, name);
  const work = mkdtempSync(path.join(tmpdir(), `split-${name}-`));
  try {
    cpSync(source, work, { recursive: true });
    const original = readFileSync(path.join(work, 'Dockerfile'), 'utf8');
    const split = splitFixture(name, original);
    writeFileSync(path.join(work, 'Dockerfile.split'), split.text);
    const before = `localhost/split-real-build/${name}:before`;
    const after = `localhost/split-real-build/${name}:after`;
    build(work, path.join(work, 'Dockerfile'), before);
    build(work, path.join(work, 'Dockerfile.split'), after);
    const result = {
      fixture: name,
      fixTitle: split.title,
      splitDockerfile: split.text.split('\n'),
      before: { image: before, ...inspectImage(before), output: runImage(before) },
      after: { image: after, ...inspectImage(after), output: runImage(after) },
    };
    result.savedBytes = result.before.sizeBytes - result.after.sizeBytes;
    result.sameOutput = result.before.output === result.after.output;
    return result;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

ensureBases();
const names = process.argv.slice(2).length > 0 ? process.argv.slice(2) : readdirSync(fixturesDir);
const results = names.map((name) => {
  console.error(`[split-real-build] ${name}`);
  return measure(name);
});
const versions = { buildah: run('buildah', ['--version']).trim(), podman: run('podman', ['--version']).trim() };
const out = {
  description: 'Single-stage fixture vs. the multi-stage-opportunity split of it, built with buildah (vfs, chroot, --layers, --pull=never) on local debian:bookworm / bookworm-slim stand-ins. sizeBytes is podman\'s image Size (sum of layer tar streams).',
  measuredAt: new Date().toISOString(),
  tools: versions,
  results,
};
writeFileSync(resultsFile, JSON.stringify(out, null, 2) + '\n');
for (const r of results) {
  console.log(`${r.fixture}: ${(r.before.sizeBytes / 1e6).toFixed(1)} MB → ${(r.after.sizeBytes / 1e6).toFixed(1)} MB (saved ${(r.savedBytes / 1e6).toFixed(1)} MB), same output: ${r.sameOutput}`);
}
