/**
 * `COPY . .` sends and copies everything in the build context that `.dockerignore` lets through. Without
 * one, that includes the repository's `.git`, the host's `node_modules` or virtualenv and stale build
 * output — often hundreds of MB in a layer, and a cache miss on every commit. The fix lives in another
 * file, so the message gives the exact `.dockerignore` lines and what they save, measured in the context.
 */
import type { Rule, RuleMeta, RuleReport, RuleContext } from './types';
import type { BuildContext } from '../engine-env';
import type { DockerfileModel, Instruction } from '../model/types';
import { formatBytes, type Figure } from '../sizing/figure';
import { commandsOf, stageChain, stageLabel } from './lib/queries';
import { wholeContextSource } from './lib/context-sources';
import { buildStepOf } from './lib/stages';
import { ruleDocsUrl } from './lib/docs-url';

/** A path that rarely belongs in an image, where to look for it, and the `.dockerignore` line for it. */
interface Unwanted {
  name: string;
  why: string;
  /** Also look this many directories down, e.g. 2 for `packages/app/node_modules`. */
  depth: 0 | 1 | 2;
  /** Build output: only unwanted when the image builds it again itself. */
  buildOutput?: boolean;
}

const unwanted: readonly Unwanted[] = [
  { name: '.git', why: 'git history', depth: 0 },
  { name: 'node_modules', why: "the host's installed packages", depth: 2 },
  { name: '.venv', why: "the host's virtualenv", depth: 0 },
  { name: 'venv', why: "the host's virtualenv", depth: 0 },
  { name: '__pycache__', why: 'Python bytecode caches', depth: 2 },
  { name: 'dist', why: 'build output the image builds again', depth: 0, buildOutput: true },
  { name: 'build', why: 'build output the image builds again', depth: 0, buildOutput: true },
  { name: 'target', why: 'build output the image builds again', depth: 0, buildOutput: true },
];

interface Found { item: Unwanted; bytes: number; nested: boolean; truncated: boolean }

export const meta: RuleMeta = {
  id: 'copy-everything-without-dockerignore',
  type: 'size',
  defaultSeverity: 'warning',
  docs: { description: 'Keep .git, dependencies, virtualenvs and build output out of COPY . with .dockerignore', url: ruleDocsUrl('copy-everything-without-dockerignore') },
  fixable: false,
  messages: {
    copiesUnwanted: "'{{copy}}' copies the whole build context, and {{ignoreState}} lets through {{found}}: ~{{size}}{{where}}. Add these lines to .dockerignore: {{lines}}",
  },
};

export function check({ model, context }: RuleContext): RuleReport[] {
  if (!context) return [];
  const reports: RuleReport[] = [];
  const measured = new Map<Unwanted, Found | null>();
  const measure = (item: Unwanted) => {
    if (!measured.has(item)) measured.set(item, measureUnwanted(context, item));
    return measured.get(item) ?? null;
  };
  for (const copy of model.instructions) {
    const source = wholeContextSource(copy);
    if (!source) continue;
    const rebuilds = buildsAfter(model, copy);
    const found = unwanted.filter((item) => !item.buildOutput || rebuilds).map(measure).filter((f): f is Found => f !== null);
    if (found.length === 0) continue;
    const bytes = found.reduce((sum, f) => sum + f.bytes, 0);
    const truncated = found.some((f) => f.truncated);
    const shipped = copy.onbuild || model.shippedStageIndexes.has(copy.stageIndex);
    const figure: Figure = {
      bytes, source: 'measured', confidence: truncated ? 'low' : 'high',
      note: `${found.map((f) => f.item.name).join(', ')} measured in the build context${truncated ? ' (walk stopped early: at least this much)' : ''}`,
    };
    reports.push({
      messageId: 'copiesUnwanted',
      data: {
        copy: `${copy.keyword} ${copy.args.map((a) => a.value).join(' ')}`,
        ignoreState: context.dockerignore === null ? 'with no .dockerignore the context' : 'the .dockerignore',
        found: found.map((f) => `${f.nested ? `**/${f.item.name}` : f.item.name} (${f.item.why}, ${formatBytes(f.bytes)})`).join(', '),
        size: `${formatBytes(bytes)}${truncated ? ' or more' : ''}`,
        where: shipped ? ' in the shipped image' : ` in builder stage ${stageLabel(model, copy.stageIndex)} (and sent to the builder on every build)`,
        lines: found.map((f) => ignoreLine(f)).join(', '),
      },
      range: source.range,
      stageIndex: copy.stageIndex,
      savings: shipped && bytes > 0 ? figure : null,
    });
  }
  return reports;
}

/**
 * What `item` adds to a whole-context COPY: present and not excluded by .dockerignore (`exists` and
 * `measure` apply it), at the context root or, for `depth` > 0, that many directories down.
 */
function measureUnwanted(context: BuildContext, item: Unwanted): Found | null {
  let present = false;
  let bytes = 0;
  let truncated = false;
  let nested = false;
  for (let depth = 0; depth <= item.depth; depth++) {
    const pattern = `${'*/'.repeat(depth)}${item.name}`;
    if (!context.exists(pattern)) continue;
    present = true;
    if (depth > 0) nested = true;
    const m = context.measure(pattern);
    if (!m) continue;
    // Files inside a shallower match (`node_modules/a/node_modules` for `*/*/node_modules`) are counted there.
    let overlap = 0;
    for (let k = 0; k < depth; k++) overlap += context.measure(`${'*/'.repeat(k)}${item.name}/${'*/'.repeat(depth - k - 1)}${item.name}`)?.bytes ?? 0;
    bytes += Math.max(0, m.bytes - overlap);
    truncated ||= m.truncated;
  }
  return present ? { item, bytes, nested, truncated } : null;
}

/** The `.dockerignore` line: anchored at the root, or `**​/name` when copies lie deeper too. */
function ignoreLine(found: Found): string {
  return found.nested ? `**/${found.item.name}` : found.item.name;
}

/** A RUN after the COPY, in its stage or one built FROM it, compiles or bundles: copied build output is rebuilt. */
function buildsAfter(model: DockerfileModel, copy: Instruction): boolean {
  return model.stages
    .filter((s) => stageChain(model, s.index).includes(copy.stageIndex))
    .flatMap((s) => s.instructions)
    .some((i) => i.keyword === 'RUN' && i.index > copy.index && !i.onbuild && commandsOf(i).some((c) => buildStepOf(c)?.kind === 'build' || c.name === 'tsc'));
}

export const cases: Rule['cases'] = {
  valid: [
    { name: 'no build context available (untrusted workspace, unsaved file)', code: 'FROM node:22-slim\nCOPY . .\nCMD ["node", "index.js"]' },
    {
      name: '.dockerignore covers what exists',
      code: 'FROM node:22-slim\nCOPY . .\nCMD ["node", "index.js"]',
      files: { '.dockerignore': '.git\nnode_modules\n', '.git/objects/pack/p.pack': 80_000_000, 'node_modules/a/index.js': 30_000_000, 'index.js': 'x' },
    },
    {
      name: 'no .dockerignore, but nothing unwanted in the context',
      code: 'FROM python:3.12-slim\nCOPY . /app\nCMD ["python", "/app/app.py"]',
      files: { 'app.py': 'print(1)', 'requirements.txt': 'flask' },
    },
    {
      name: 'dist/ is the artifact when the image builds nothing',
      code: 'FROM nginx:stable-alpine\nCOPY . /usr/share/nginx/html',
      files: { 'dist/index.html': 5_000_000, 'index.html': 'x' },
    },
    {
      name: 'copying one directory is not the whole context',
      code: 'FROM node:22-slim\nCOPY src/ ./src/',
      files: { '.git/objects/pack/p.pack': 80_000_000, 'src/index.js': 'x' },
    },
    {
      name: 'COPY --from another stage does not read the context',
      code: 'FROM node:22 AS build\nWORKDIR /app\nCOPY package.json .\nRUN npm install\nFROM node:22-slim\nCOPY --from=build /app .',
      files: { 'node_modules/a/index.js': 30_000_000, 'package.json': '{}' },
    },
    {
      name: 'allow-list .dockerignore (* then exceptions)',
      code: 'FROM python:3.12-slim\nCOPY . /app',
      files: { '.dockerignore': '*\n!app.py\n!requirements.txt', '.venv/lib/site.py': 40_000_000, '.git/HEAD': 100, 'app.py': 'x', 'requirements.txt': 'x' },
    },
  ],
  invalid: [
    {
      code: 'FROM node:22-slim\nWORKDIR /app\nCOPY . .\nCMD ["node", "index.js"]',
      files: { '.git/objects/pack/p.pack': 60_000_000, 'node_modules/left-pad/index.js': 25_000_000, 'index.js': 'x' },
      output: null,
      errors: [{ messageId: 'copiesUnwanted', line: 2, data: { lines: '.git, node_modules', size: '85.0 MB', ignoreState: 'with no .dockerignore the context' } }],
    },
    {
      name: 'a .dockerignore that misses the virtualenv and nested __pycache__',
      code: 'FROM python:3.12-slim\nCOPY ./ /srv\nCMD ["python", "/srv/app.py"]',
      files: { '.dockerignore': '.git\n', '.git/HEAD': 100, '.venv/lib/python3.12/site-packages/numpy/core.so': 30_000_000, 'pkg/__pycache__/m.cpython-312.pyc': 2_000_000, 'app.py': 'x' },
      output: null,
      errors: [{ messageId: 'copiesUnwanted', line: 1, data: { lines: '.venv, **/__pycache__', ignoreState: 'the .dockerignore' } }],
    },
    {
      name: 'target/ copied before cargo build rebuilds it (builder stage)',
      code: 'FROM rust:1.98 AS build\nWORKDIR /src\nCOPY . .\nRUN cargo build --release\nFROM debian:bookworm-slim\nCOPY --from=build /src/target/release/app /app',
      files: { 'Cargo.toml': 'x', 'src/main.rs': 'x', 'target/debug/app': 400_000_000 },
      output: null,
      errors: [{ messageId: 'copiesUnwanted', line: 2, data: { lines: 'target', size: '400 MB' } }],
    },
    {
      name: 'ADD with * and a monorepo node_modules two levels down',
      code: 'FROM node:22-slim\nADD * /app/',
      files: { 'packages/web/node_modules/react/index.js': 9_000_000, 'package.json': '{}' },
      output: null,
      errors: [{ messageId: 'copiesUnwanted', line: 1, data: { lines: '**/node_modules' } }],
    },
    {
      name: 'root and nested node_modules counted once each',
      code: 'FROM node:22-slim\nCOPY . .',
      files: { 'node_modules/a/index.js': 10_000_000, 'node_modules/a/node_modules/b/index.js': 1_000_000, 'node_modules/node_modules/c.js': 500_000, 'apps/node_modules/d.js': 2_000_000 },
      output: null,
      errors: [{ messageId: 'copiesUnwanted', line: 1, data: { lines: '**/node_modules', size: '13.5 MB' } }],
    },
  ],
};

export const rule: Rule = { meta, check, cases };
