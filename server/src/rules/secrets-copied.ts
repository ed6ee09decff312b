/**
 * A file COPY'd or ADD'ed into an image is in that layer for good: anyone who can pull the image (or read
 * the build cache) can read it, and deleting it later only hides it. `.env` files, private keys and
 * registry credentials belong in `RUN --mount=type=secret` (or `type=ssh`), never in a layer. ARG and ENV
 * values are no better: ENV is stored in the image config, ARG values in the history of the RUNs that use them.
 */
import type { Rule, RuleMeta, RuleReport, RuleContext } from './types';
import type { BuildContext } from '../engine-env';
import type { Arg, DockerfileModel, Instruction } from '../model/types';
import { parseAssignments, unquote } from '../model/variables';
import { instructionsOfStage, reportsByStage, stageLabel } from './lib/queries';
import { contextPath, copiesFromContext } from './lib/context-sources';
import { matchSegment } from '../text/glob';
import { ruleDocsUrl } from './lib/docs-url';

type SecretKind = 'env' | 'ssh' | 'key' | 'keystore' | 'npmrc' | 'pypirc' | 'netrc' | 'git' | 'json' | 'aws' | 'docker';

const kindLabels: Record<SecretKind, string> = {
  env: 'environment file', ssh: 'SSH private key', key: 'private key', keystore: 'key store', npmrc: 'npm config with auth tokens',
  pypirc: 'PyPI credentials', netrc: 'netrc credentials', git: 'git credentials', json: 'credentials file', aws: 'AWS credentials', docker: 'Docker registry credentials',
};

/** Where a tool reads the file, so a secret mount can put it there for one RUN. */
const mountTargets: Partial<Record<SecretKind, string>> = {
  npmrc: '/root/.npmrc', pypirc: '/root/.pypirc', netrc: '/root/.netrc', git: '/root/.git-credentials', aws: '/root/.aws/credentials', docker: '/root/.docker/config.json',
};

/** Templates for real `.env` files, safe to ship. */
const envTemplates = new Set(['example', 'sample', 'template', 'dist']);

/** What to look for in a copied directory. */
const probes = ['.env', '.env.*', 'id_rsa', 'id_ed25519', 'id_ecdsa', 'id_dsa', '*.pem', '*.key', '*.p12', '*.pfx', '.npmrc', '.pypirc', '.netrc', '.git-credentials', 'credentials.json', '.aws/credentials', '.docker/config.json'];
/** What to look for one directory down (`config/.env`, `certs/server.key`, `keys/id_rsa`). */
const nestedProbes = ['.env', '*.pem', '*.key', 'id_rsa', 'id_ed25519', 'credentials.json', '.aws/credentials'];
/**
 * Each probe is a walk over the directory's files: one directory down is searched only up to this many
 * files, so a huge context costs a bounded number of walks.
 */
const nestedSearchLimit = 20_000;

interface SecretFile { path: string; kind: SecretKind }

export const meta: RuleMeta = {
  id: 'secrets-copied',
  type: 'security',
  defaultSeverity: 'error',
  docs: { description: 'Keep .env files, private keys and credentials out of image layers, ARG and ENV', url: ruleDocsUrl('secrets-copied') },
  fixable: false,
  messages: {
    secretCopied: "{{keyword}} puts the {{kind}} '{{path}}' into a layer{{where}}: anyone who can pull the image or read the build cache can read it, and deleting it later does not remove it from this layer. Do not copy it: use {{mount}} in the RUN that needs it.",
    secretInDirectory: "{{keyword}} '{{source}}' copies {{found}} into a layer{{where}}: anyone who can pull the image or read the build cache can read them. Keep them out of the build context with these .dockerignore lines: {{lines}}; give a RUN what it needs with {{mount}}.",
    secretInEnv: "{{keyword}} {{name}} sets a secret-looking variable to {{value}}: {{stored}}. Pass it to the RUN that needs it with RUN --mount=type=secret,id={{id}},env={{name}} (docker build --secret id={{id}},env={{name}}).",
  },
};

export function check(context: RuleContext): RuleReport[] {
  return reportsByStage(context, checkStage);
}

/**
 * What a directory of the build context holds, per context: a walk per directory, shared by every stage
 * and analysis that copies it (a context object never changes; a new walk is a new object).
 */
const scansByContext = new WeakMap<BuildContext, Map<string, SecretFile[]>>();

/** The reports about one stage's COPY, ADD, ARG and ENV instructions (see Rule.checkStage). */
export function checkStage({ model, context }: RuleContext, stageIndex: number): RuleReport[] {
  const reports: RuleReport[] = [];
  let scanned = context ? scansByContext.get(context) : undefined;
  if (context && !scanned) {
    scanned = new Map();
    scansByContext.set(context, scanned);
  }
  const scan = (dir: string) => {
    if (!context || !scanned) return [];
    let found = scanned.get(dir);
    if (!found) {
      found = secretsUnder(context, dir);
      scanned.set(dir, found);
    }
    return found;
  };
  for (const instruction of instructionsOfStage(model, stageIndex)) {
    if (copiesFromContext(instruction)) reports.push(...copyReports(model, instruction, context, scan));
    else if (instruction.keyword === 'ARG' || instruction.keyword === 'ENV') reports.push(...variableReports(model, instruction));
  }
  return reports;
}

function copyReports(model: DockerfileModel, copy: Instruction, context: BuildContext | null, scan: (dir: string) => SecretFile[]): RuleReport[] {
  const reports: RuleReport[] = [];
  const where = whereText(model, copy);
  for (const source of copy.copy?.sources ?? []) {
    const value = source.expanded;
    if (value.includes('$') || value.includes('://') || value.startsWith('git@')) continue;
    const path = contextPath(value);
    const segments = path.split('/');
    const last = segments[segments.length - 1];
    if (segments.slice(0, -1).some(hasGlob)) continue;
    if (!hasGlob(last)) {
      const kind = secretKind(path);
      if (kind) {
        // A path .dockerignore excludes fails the build instead: not this rule's concern.
        if (context && !context.exists(path)) continue;
        reports.push({
          messageId: 'secretCopied',
          data: { keyword: copy.keyword, kind: kindLabels[kind], path, where, mount: mountAdvice([{ path, kind }]) },
          range: source.range, stageIndex: stageOf(copy),
        });
        continue;
      }
    }
    const found = hasGlob(last) ? globMatches(scan(segments.slice(0, -1).join('/')), path) : scan(path);
    if (found.length === 0) continue;
    const shown = found.slice(0, 4).map((f) => `'${f.path}' (${kindLabels[f.kind]})`).join(', ');
    reports.push({
      messageId: 'secretInDirectory',
      data: {
        keyword: copy.keyword, source: source.value, where,
        found: found.length > 4 ? `${shown} and ${found.length - 4} more` : shown,
        lines: found.map((f) => f.path).join(', '),
        mount: mountAdvice(found),
      },
      range: source.range, stageIndex: stageOf(copy),
    });
  }
  return reports;
}

/**
 * Secrets that `dir` (a context path, '' for the root) holds directly, or one directory down when it is not
 * huge. A wildcard probe names its matches through `measure`'s sample (five paths).
 */
function secretsUnder(context: BuildContext, dir: string): SecretFile[] {
  const prefix = dir === '' ? '' : `${dir}/`;
  const base = dir.split('/').pop();
  const extra = base === '.aws' ? ['credentials'] : base === '.docker' ? ['config.json'] : [];
  const nested = (context.measure(dir)?.files ?? Infinity) <= nestedSearchLimit ? nestedProbes.map((p) => `*/${p}`) : [];
  const found = new Map<string, SecretKind>();
  for (const probe of [...probes, ...extra, ...nested]) {
    const pattern = `${prefix}${probe}`;
    if (!context.exists(pattern)) continue;
    const depth = pattern.split('/').length;
    const paths = hasGlob(pattern) ? (context.measure(pattern)?.sample ?? []).map((p) => p.split('/').slice(0, depth).join('/')) : [pattern];
    for (const path of paths) {
      const kind = secretKind(path) ?? (extra.includes(probe) ? (probe === 'credentials' ? 'aws' : 'docker') : null);
      if (kind && !found.has(path)) found.set(path, kind);
    }
  }
  return [...found].map(([path, kind]) => ({ path, kind })).sort((a, b) => a.path.localeCompare(b.path));
}

/** The secrets of the glob's directory that its last segment matches (`COPY .env* ./`, `COPY certs/*.pem`). */
function globMatches(candidates: SecretFile[], glob: string): SecretFile[] {
  const depth = glob.split('/').length;
  const pattern = glob.split('/').pop() ?? '';
  return candidates.filter((c) => {
    const segments = c.path.split('/');
    return segments.length === depth && matchSegment(pattern, segments[depth - 1]);
  });
}

/** What a context path is, when it is a secret; null for anything else (`.env.example`, `ca.pem`, `id_rsa.pub`). */
export function secretKind(path: string): SecretKind | null {
  const segments = path.split('/');
  const base = segments[segments.length - 1];
  const parent = segments[segments.length - 2] ?? '';
  const lower = base.toLowerCase();
  if (base === '.env') return 'env';
  if (base.startsWith('.env.')) return envTemplates.has(lower.slice('.env.'.length)) ? null : 'env';
  if (['id_rsa', 'id_ed25519', 'id_ecdsa', 'id_dsa'].includes(base)) return 'ssh';
  if (base === '.npmrc') return 'npmrc';
  if (base === '.pypirc') return 'pypirc';
  if (base === '.netrc') return 'netrc';
  if (base === '.git-credentials') return 'git';
  if (lower === 'credentials.json') return 'json';
  if (parent === '.aws' && base === 'credentials') return 'aws';
  if (parent === '.docker' && base === 'config.json') return 'docker';
  const dot = lower.lastIndexOf('.');
  const extension = dot > 0 ? lower.slice(dot + 1) : '';
  if (extension === 'p12' || extension === 'pfx') return 'keystore';
  if ((extension === 'pem' || extension === 'key') && !looksPublic(lower.slice(0, dot))) return 'key';
  return null;
}

/** Certificates and public keys share the extensions: `cert.pem`, `ca.pem`, `fullchain.pem`, `public.key`. */
function looksPublic(stem: string): boolean {
  return ['cert', 'chain', 'bundle', 'public'].some((word) => stem.includes(word)) || stem === 'ca' || stem.endsWith('.pub') || stem.endsWith('_pub') ||
    stem.startsWith('ca-') || stem.startsWith('ca_') || stem.startsWith('ca.');
}

function hasGlob(segment: string): boolean {
  return segment.includes('*') || segment.includes('?') || segment.includes('[');
}

/** The build-time way to give a RUN each kind of secret. */
function mountAdvice(found: readonly SecretFile[]): string {
  const advice = new Set<string>();
  for (const f of found) {
    if (f.kind === 'ssh') { advice.add('RUN --mount=type=ssh (docker build --ssh default)'); continue; }
    const id = secretId(f.path);
    const target = mountTargets[f.kind];
    advice.add(`RUN --mount=type=secret,id=${id}${target ? `,target=${target}` : ''} (docker build --secret id=${id},src=${f.path})`);
  }
  const list = [...advice];
  return list.length > 2 ? `${list.slice(0, 2).join(', ')}, …` : list.join(', ');
}

/** `certs/server.key` → `server.key`, `.env.production` → `env.production`: a readable secret id. */
function secretId(path: string): string {
  let base = path.split('/').pop() ?? path;
  while (base.startsWith('.')) base = base.slice(1);
  return base || 'secret';
}

function whereText(model: DockerfileModel, instruction: Instruction): string {
  if (instruction.onbuild || instruction.stageIndex < 0 || model.shippedStageIndexes.has(instruction.stageIndex)) return '';
  return ` of builder stage ${stageLabel(model, instruction.stageIndex)} (it does not ship, but its layers stay in the build cache, in any image built with --target and in exported caches)`;
}

function stageOf(instruction: Instruction): number | null {
  return instruction.stageIndex >= 0 ? instruction.stageIndex : null;
}

/** `*_TOKEN`, `*_SECRET`, `*PASSWORD*`, `*_API_KEY`, `AWS_SECRET_ACCESS_KEY`…; not `*_FILE`/`*_PATH` (they name a file). */
export function isSecretName(name: string): boolean {
  const upper = name.toUpperCase();
  if (['_FILE', '_PATH', '_DIR', '_URL', '_LENGTH'].some((suffix) => upper.endsWith(suffix))) return false;
  if (upper.includes('PASSWORD') || upper.includes('PASSWD')) return true;
  return ['TOKEN', 'SECRET', 'SECRET_KEY', 'SECRET_KEY_BASE', 'API_KEY', 'PRIVATE_KEY', 'ACCESS_KEY'].some((s) => upper === s || upper.endsWith(`_${s}`));
}

function variableReports(model: DockerfileModel, instruction: Instruction): RuleReport[] {
  const values = instruction.args.map((a) => a.value);
  const legacy = instruction.keyword === 'ENV' && values.length > 0 && !values[0].includes('=');
  const reports: RuleReport[] = [];
  for (const [name, raw] of parseAssignments(values, legacy)) {
    if (raw === null || !isSecretName(name)) continue;
    const value = unquote(raw).trim();
    if (value === '') continue;
    const fromVariable = value.startsWith('$');
    // An ARG whose default only names another variable sets nothing in the Dockerfile.
    if (instruction.keyword === 'ARG' && fromVariable) continue;
    const stored = instruction.keyword === 'ENV'
      ? `ENV values are stored in the image config (docker inspect shows them) and inherited by every stage and image built on it${whereText(model, instruction) ? ', builder stages included' : ''}`
      : 'the default is in the Dockerfile for everyone who reads it, and build-arg values are recorded in the image history of each RUN that uses them';
    reports.push({
      messageId: 'secretInEnv',
      data: { keyword: instruction.keyword, name, value: fromVariable ? `the build arg ${value}` : 'a value written in the Dockerfile', stored, id: name.toLowerCase() },
      range: assignmentRange(instruction.args, name, legacy) ?? instruction.range,
      stageIndex: stageOf(instruction),
    });
  }
  return reports;
}

function assignmentRange(args: readonly Arg[], name: string, legacy: boolean): Arg['range'] | null {
  if (legacy) return args.length > 0 ? { start: args[0].range.start, end: args[args.length - 1].range.end } : null;
  return args.find((a) => a.value.startsWith(`${name}=`))?.range ?? null;
}

export const cases: Rule['cases'] = {
  valid: [
    'FROM node:22-slim\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY src/ ./src/',
    { name: 'templates of .env files ship fine', code: 'FROM node:22-slim\nCOPY .env.example .env.sample ./' },
    { name: 'certificates and public keys are not secrets', code: 'FROM nginx:stable-alpine\nCOPY certs/fullchain.pem certs/ca.pem /etc/nginx/certs/\nCOPY keys/id_rsa.pub /root/.ssh/authorized_keys' },
    { name: 'secret mount instead of COPY', code: 'FROM node:22-slim\nCOPY package.json ./\nRUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci' },
    {
      name: '.dockerignore keeps them out of COPY . .',
      code: 'FROM python:3.12-slim\nCOPY . /app',
      files: { '.dockerignore': '.env\n**/*.pem\n', '.env': 'DB_PASSWORD=x', 'tls/server.pem': 'x', 'app.py': 'x', '.env.example': 'DB_PASSWORD=' },
    },
    { name: 'no build context: directory contents are unknown', code: 'FROM python:3.12-slim\nCOPY . /app' },
    { name: 'ARG without a default', code: 'FROM node:22-slim\nARG NPM_TOKEN\nRUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci' },
    { name: 'a variable that names a file, not a secret', code: 'FROM postgres:16\nENV POSTGRES_PASSWORD_FILE=/run/secrets/db_password' },
    { name: 'empty value', code: 'FROM alpine:3.21\nENV API_TOKEN=""' },
    { name: 'names that only look alike', code: 'FROM alpine:3.21\nENV TOKENIZERS_PARALLELISM=false AWS_ACCESS_KEY_ID_HINT=none MAX_TOKENS=512' },
    { name: 'COPY --from a stage reads no context', code: 'FROM alpine:3.21 AS keys\nRUN ssh-keygen -t ed25519 -N "" -f /id_ed25519\nFROM alpine:3.21\nCOPY --from=keys /id_ed25519.pub /etc/ssh/' },
  ],
  invalid: [
    {
      code: 'FROM node:22-slim\nCOPY .env .\nCMD ["node", "index.js"]',
      output: null,
      errors: [{ messageId: 'secretCopied', line: 1, data: { path: '.env', kind: 'environment file' } }],
    },
    {
      name: '.npmrc next to package.json',
      code: 'FROM node:22-slim\nCOPY package.json .npmrc ./\nRUN npm ci',
      output: null,
      errors: [{ messageId: 'secretCopied', line: 1, data: { path: '.npmrc' } }],
    },
    {
      name: 'SSH key in a builder stage (decided: reported too)',
      code: 'FROM alpine:3.21 AS Fetch\nCOPY ./id_ed25519 /root/.ssh/\nRUN git clone git@example.com:org/repo.git\nFROM alpine:3.21\nCOPY --from=fetch /repo /repo',
      output: null,
      errors: [{ messageId: 'secretCopied', line: 1, data: { kind: 'SSH private key', path: 'id_ed25519' } }],
    },
    {
      name: 'COPY . . of a context holding .env.production and a private key',
      code: 'FROM python:3.12-slim\nCOPY . /app',
      files: { '.env.production': 'DB_PASSWORD=x', '.env.example': 'DB_PASSWORD=', 'tls/server.key': 'x', 'tls/cert.pem': 'x', 'app.py': 'x' },
      output: null,
      errors: [{ messageId: 'secretInDirectory', line: 1, data: { lines: '.env.production, tls/server.key' } }],
    },
    {
      name: 'a .dockerignore that misses AWS credentials in a copied directory',
      code: 'FROM amazon/aws-cli\nCOPY home/ /root/',
      files: { '.dockerignore': '.git', 'home/.aws/credentials': 'x', 'home/.aws/config': 'x' },
      output: null,
      errors: [{ messageId: 'secretInDirectory', line: 1, data: { lines: 'home/.aws/credentials' } }],
    },
    {
      name: '.dockerignore patterns are anchored at the context root: *.pem misses tls/',
      code: 'FROM nginx:stable-alpine\nCOPY . /etc/nginx/',
      files: { '.dockerignore': '*.pem', 'root.pem': 'x', 'tls/privkey.pem': 'x', 'nginx.conf': 'x' },
      output: null,
      errors: [{ messageId: 'secretInDirectory', line: 1, data: { lines: 'tls/privkey.pem' } }],
    },
    {
      name: 'glob source that matches .env',
      code: 'FROM node:22-slim\nCOPY .env* ./',
      files: { '.env': 'x', '.env.example': 'x' },
      output: null,
      errors: [{ messageId: 'secretInDirectory', line: 1, data: { lines: '.env' } }],
    },
    {
      name: 'ENV and ARG with secret values, legacy ENV form too',
      code: 'ARG NPM_TOKEN=npm_abc123\nFROM node:22-slim\nENV DB_PASSWORD=hunter2 NODE_ENV=production\nENV AWS_SECRET_ACCESS_KEY wJalrXUtnFEMI\nARG GITHUB_TOKEN\nENV GITHUB_TOKEN=$GITHUB_TOKEN',
      output: null,
      errors: [
        { messageId: 'secretInEnv', line: 0, data: { name: 'NPM_TOKEN' } },
        { messageId: 'secretInEnv', line: 2, data: { name: 'DB_PASSWORD' } },
        { messageId: 'secretInEnv', line: 3, data: { name: 'AWS_SECRET_ACCESS_KEY' } },
        { messageId: 'secretInEnv', line: 5, data: { name: 'GITHUB_TOKEN', value: 'the build arg $GITHUB_TOKEN' } },
      ],
    },
  ],
};

export const rule: Rule = { meta, check, checkStage, cases };
