/**
 * The default ("full") tag of most official images carries compilers, headers and docs for building in
 * the image; a JDK carries the compiler a running program never uses. When a shipped stage only runs
 * things, the -slim variant (or the JRE) of the same image and version holds everything it needs, often
 * hundreds of MB smaller. Sizes and variants come from docker-library repo-info (base.smallerVariants).
 */
import type { Rule, RuleMeta, RuleReport, RuleContext, Fix } from './types';
import type { DockerfileModel, Stage } from '../model/types';
import type { BaseEstimate } from '../sizing/types';
import { formatBytes, type Figure } from '../sizing/figure';
import { commandsOf, runsOfStages, stageChain } from './lib/queries';
import { compilingEcosystem, imageName } from './lib/stages';
import { buildToolsInstalled } from './lib/build-packages';
import { textOf } from './lib/edits';
import { ruleDocsUrl } from './lib/docs-url';

/** Savings below this are not worth a warning (and a libc or distro change). */
export const minimumSavingBytes = 50_000_000;

/** Images whose every variant is a toolchain: build-tools-in-final-stage advises a build stage instead. */
const toolchainImages = new Set(['golang', 'rust', 'gcc', 'maven', 'gradle', 'buildpack-deps']);

/** Commands that compile in the stage, so the full image's toolchain is in use. */
const compilerCommands = new Set(['gcc', 'g++', 'cc', 'c++', 'clang', 'clang++', 'javac', 'node-gyp', 'configure', './configure']);

const codenames = new Set(['buster', 'bullseye', 'bookworm', 'trixie', 'forky', 'focal', 'jammy', 'noble']);

/** Why Alpine (musl) can break an ecosystem whose binary packages target glibc. */
const muslNotes: Record<string, string> = {
  python: 'Python wheels are built for glibc (manylinux), so on Alpine many packages compile from source or fail',
  node: 'prebuilt Node native modules target glibc, so on Alpine they compile with node-gyp or fail',
  ruby: 'precompiled gems target glibc, so on Alpine native gems compile from source',
  php: 'extensions and prebuilt binaries differ on musl',
};

export const meta: RuleMeta = {
  id: 'large-base-image',
  type: 'size',
  defaultSeverity: 'warning',
  docs: { description: 'Use the slim, Alpine or JRE variant of a base image when the stage only runs things', url: ruleDocsUrl('large-base-image') },
  fixable: false,
  messages: {
    largeBase: "Base image '{{image}}' is ~{{size}}, but this stage compiles nothing: '{{suggestion}}', the {{variant}} of the same image and version, is ~{{smaller}} — ~{{saved}} less in the shipped image ({{source}}).{{alternative}}",
  },
};

interface TagParts {
  /** What names the release: version, channel and other words (`3.12`, `8.4-cli`); must match. */
  identity: string;
  flavor: 'full' | 'slim' | 'alpine';
  kind: 'jdk' | 'jre' | null;
  codename: string | null;
}

interface Candidate { reference: string; tag: string; parts: TagParts; figure: Figure; savedBytes: number }

export function check({ model, sizing, chainKeys }: RuleContext): RuleReport[] {
  const reports: RuleReport[] = [];
  const toolchain = toolchainUse(model, chainKeys);
  for (const stage of model.stages) {
    if (!model.shippedStageIndexes.has(stage.index) || stage.baseStage !== null || stage.scratch || stage.from.unresolved.length > 0) continue;
    const base = sizing.stages[stage.index]?.base;
    if (!base?.figure || (base.match !== 'exact' && base.match !== 'family')) continue;
    const repository = imageName(stage.from);
    if (toolchainImages.has(repository) || toolchain.usedOn(stage)) continue;
    const wanted = tagParts(stage.from.tag ?? 'latest');
    const { best, alpine } = servingVariants(base, wanted);
    if (!best) continue;
    const suggestion = `${imageWithoutTag(stage)}:${best.tag}`;
    const savings: Figure = {
      bytes: best.savedBytes, source: 'image-manifest', confidence: base.figure.confidence,
      note: `${base.reference} minus ${best.reference} per docker-library repo-info`,
    };
    reports.push({
      messageId: 'largeBase',
      data: {
        image: stage.from.expanded,
        size: formatBytes(base.figure.bytes),
        suggestion,
        variant: variantLabel(wanted, best.parts),
        smaller: formatBytes(best.figure.bytes),
        saved: formatBytes(best.savedBytes),
        source: base.match === 'exact' ? 'sizes from docker-library repo-info' : 'sizes from docker-library repo-info for the nearest known tag, low confidence',
        alternative: alternativeText(repository, wanted, best, alpine, stage),
      },
      range: stage.from.range,
      stageIndex: stage.index,
      savings,
      fixes: tagFix(model, stage, best),
    });
  }
  return reports;
}

/**
 * The smaller variants that serve the same program: same version and release words, only lighter
 * (full → slim, JDK → JRE; Alpine only for images that publish neither a slim nor a JRE variant, as a
 * libc change is no mere size choice), at least `minimumSavingBytes` smaller. Best first: the base's
 * Debian/Ubuntu release kept, then the biggest saving. `alpine` is a musl option to mention.
 */
function servingVariants(base: BaseEstimate, wanted: TagParts): { best: Candidate | null; alpine: Candidate | null } {
  const all: Candidate[] = [];
  for (const v of base.smallerVariants) {
    const colon = v.reference.lastIndexOf(':');
    if (colon < 0) continue;
    const tag = v.reference.slice(colon + 1);
    const parts = tagParts(tag);
    if (serves(wanted, parts)) all.push({ reference: v.reference, tag, parts, figure: v.figure, savedBytes: v.savedBytes });
  }
  const toMusl = (c: Candidate) => c.parts.flavor === 'alpine' && wanted.flavor !== 'alpine';
  const alpineOnly = wanted.kind === null && !all.some((c) => c.parts.flavor === 'slim');
  const big = all.filter((c) => c.savedBytes >= minimumSavingBytes);
  const eligible = big.filter((c) => !toMusl(c) || alpineOnly);
  const rank = (c: Candidate) => (c.parts.codename === wanted.codename ? 0 : 1);
  eligible.sort((a, b) => rank(a) - rank(b) || b.savedBytes - a.savedBytes);
  const best = eligible[0] ?? null;
  const alpine = best && !toMusl(best) ? big.filter(toMusl).sort((a, b) => b.savedBytes - a.savedBytes)[0] ?? null : null;
  return { best, alpine };
}

function serves(wanted: TagParts, candidate: TagParts): boolean {
  if (candidate.identity !== wanted.identity) return false;
  const lighterFlavor = wanted.flavor === 'full' && candidate.flavor !== 'full';
  const sameFlavor = wanted.flavor === candidate.flavor;
  const jre = wanted.kind === 'jdk' && candidate.kind === 'jre';
  if (!(lighterFlavor || sameFlavor) || !(jre || candidate.kind === wanted.kind) || (sameFlavor && !jre)) return false;
  // A release written in the tag is kept; Alpine tags name none.
  return wanted.codename === null || candidate.codename === wanted.codename || candidate.flavor === 'alpine';
}

/** `3.12-slim-bookworm` → identity 3.12, slim, bookworm; `21-jre-alpine-3.24` → identity 21, alpine, jre. */
export function tagParts(tag: string): TagParts {
  const identity: string[] = [];
  let flavor: TagParts['flavor'] = 'full';
  let kind: TagParts['kind'] = null;
  let codename: string | null = null;
  tag.toLowerCase().split('-').forEach((token, i) => {
    if (token === 'slim') flavor = flavor === 'alpine' ? 'alpine' : 'slim';
    else if (token.startsWith('alpine') && isVersion(token.slice('alpine'.length), true)) flavor = 'alpine';
    else if (token === 'jdk' || token === 'jre') kind = token;
    else if (codenames.has(token)) codename = token;
    // A number after the first word is a distro release (`-alpine-3.24`), not the image's version.
    else if (!(i > 0 && isVersion(token, false))) identity.push(token);
  });
  return { identity: identity.join('-'), flavor, kind, codename };
}

/** `3`, `3.24`, `1.2.3` (and '' when `allowEmpty`), checked with a loop. */
function isVersion(text: string, allowEmpty: boolean): boolean {
  if (text === '') return allowEmpty;
  let digits = 0;
  for (const ch of text) {
    if (ch >= '0' && ch <= '9') digits++;
    else if (ch === '.' && digits > 0) digits = 0;
    else return false;
  }
  return digits > 0;
}

/** The stage's image, or a stage built FROM it, compiles: the full image's toolchain is in use. */
/**
 * Whether a stage, or a stage built on it (FROM, transitively), compiles or installs build tools: then its
 * base is a build image, not one to slim. Each stage's own answer is worked out once per check; asking the
 * chain of every user of every stage was quadratic in stages.
 */
/** Answers of `compilesOrHasTools` by stage chain (RuleContext.chainKeys), kept across keystrokes. */
const toolchainByChain = new WeakMap<object, boolean>();

function toolchainUse(model: DockerfileModel, chainKeys: readonly object[] | undefined): { usedOn(stage: Stage): boolean } {
  const builtOn: number[][] = model.stages.map(() => []);
  for (const stage of model.stages) {
    // A base stage comes earlier in the file (stageChain's rule); anything else is not a chain.
    if (stage.baseStage !== null && stage.baseStage >= 0 && stage.baseStage < stage.index) builtOn[stage.baseStage].push(stage.index);
  }
  const answers = new Map<number, boolean>();
  const compilesOrHasTools = (stageIndex: number): boolean => {
    let answer = answers.get(stageIndex);
    if (answer === undefined) {
      // It depends on the stage's chain only (its RUNs and the root's image).
      const chain = chainKeys?.[stageIndex];
      answer = chain ? toolchainByChain.get(chain) : undefined;
      if (answer === undefined) {
        const runs = runsOfStages(model, stageChain(model, stageIndex));
        answer = compilingEcosystem(model, stageIndex) !== null || buildToolsInstalled(runs).length > 0 ||
          runs.some((run) => commandsOf(run).some((c) => compilerCommands.has(c.name)));
        if (chain) toolchainByChain.set(chain, answer);
      }
      answers.set(stageIndex, answer);
    }
    return answer;
  };
  return {
    usedOn(stage) {
      const pending = [stage.index];
      while (pending.length > 0) {
        const user = pending.pop() as number;
        if (compilesOrHasTools(user)) return true;
        pending.push(...builtOn[user]);
      }
      return false;
    },
  };
}

function variantLabel(wanted: TagParts, candidate: TagParts): string {
  const words: string[] = [];
  if (candidate.flavor !== wanted.flavor) words.push(candidate.flavor === 'slim' ? '-slim' : 'Alpine (musl libc)');
  if (candidate.kind === 'jre' && wanted.kind === 'jdk') words.push('JRE (runtime without the compiler)');
  return `${words.join(' ')} variant`;
}

function alternativeText(repository: string, wanted: TagParts, best: Candidate, alpine: Candidate | null, stage: Stage): string {
  const note = muslNotes[repository];
  if (best.parts.flavor === 'alpine' && wanted.flavor !== 'alpine') {
    return note ? ` Alpine uses musl libc: ${note}.` : ' Alpine uses musl libc instead of glibc: check DNS, locales and native binaries.';
  }
  if (!alpine) return '';
  const why = note ? `musl libc (${note})` : 'musl libc instead of glibc';
  return ` '${imageWithoutTag(stage)}:${alpine.tag}' is smaller still (~${formatBytes(alpine.savedBytes)} less) but is built on ${why}.`;
}

/** The image as written, without its tag: registry and path kept (`docker.io/library/python`). */
function imageWithoutTag(stage: Stage): string {
  const text = stage.from.raw.includes('$') ? stage.from.expanded : stage.from.raw;
  const at = text.indexOf('@');
  const name = at >= 0 ? text.slice(0, at) : text;
  const colon = name.lastIndexOf(':');
  return colon > name.lastIndexOf('/') ? name.slice(0, colon) : name;
}

/**
 * Replaces the tag as written. None when the reference comes from a variable (the ARG may serve other
 * builds), is pinned by digest (the digest would still select the old image), or spans lines.
 */
function tagFix(model: DockerfileModel, stage: Stage, best: Candidate): Fix[] {
  const { raw, range, digest, tag } = stage.from;
  if (raw.includes('$') || digest !== null || tag === null || range.start.line !== range.end.line || textOf(model, range) !== raw) return [];
  const colon = raw.lastIndexOf(':');
  if (colon <= raw.lastIndexOf('/')) return [];
  const start = { line: range.start.line, character: range.start.character + colon + 1 };
  return [{
    title: `Use ${imageWithoutTag(stage)}:${best.tag} (~${formatBytes(best.savedBytes)} smaller; check that the app still runs)`,
    kind: 'quickfix', safe: false, preferred: true,
    edits: [{ range: { start, end: range.end }, newText: best.tag }],
  }];
}

export const cases: Rule['cases'] = {
  valid: [
    'FROM python:3.12-slim\nCOPY app.py /app/\nCMD ["python", "/app/app.py"]',
    { name: 'builder stage that does not ship', code: 'FROM node:22-bookworm AS assets\nCOPY . .\nRUN npm ci && npm run build\nFROM nginx:stable-alpine\nCOPY --from=assets /dist /usr/share/nginx/html' },
    { name: 'pip install of requirements on the full image may compile: multi-stage rules', code: 'FROM python:3.12\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nCMD ["python", "app.py"]' },
    { name: 'compiler installed in the stage', code: 'FROM node:22\nRUN apt-get update && apt-get install -y g++ && rm -rf /var/lib/apt/lists/*\nCOPY . .\nCMD ["node", "index.js"]' },
    { name: 'compiles with gcc in a stage built FROM it', code: 'FROM python:3.12 AS base\nFROM base\nRUN gcc -O2 -o /usr/local/bin/tool tool.c\nCMD ["tool"]' },
    { name: 'JDK used to build the jar in the same stage', code: 'FROM eclipse-temurin:21-jdk\nCOPY . .\nRUN ./mvnw -q package\nCMD ["java", "-jar", "target/app.jar"]' },
    { name: 'saving under 50 MB (debian slim)', code: 'FROM debian:bookworm\nCMD ["bash"]' },
    { name: 'toolchain image: build-tools-in-final-stage handles it', code: 'FROM golang:1.26\nCOPY app /app\nCMD ["/app"]' },
    { name: 'already slim: Alpine is a libc change, not reported', code: 'FROM node:22-bookworm-slim\nCMD ["node", "index.js"]' },
    { name: 'different release channel is not the same image (nginx latest vs stable)', code: 'FROM nginx:latest\nCOPY site /usr/share/nginx/html' },
    { name: 'unknown version: the nearest tag is another release', code: 'FROM python:3.10\nCMD ["python"]' },
    { name: 'variable without default', code: 'ARG BASE\nFROM ${BASE}\nCMD ["x"]' },
    { name: 'unknown image', code: 'FROM example.com/team/app-base:1.0\nCMD ["x"]' },
  ],
  invalid: [
    {
      code: 'FROM python:3.12-bookworm\nCOPY app.py /app/\nCMD ["python", "/app/app.py"]',
      output: 'FROM python:3.12-slim-bookworm\nCOPY app.py /app/\nCMD ["python", "/app/app.py"]',
      errors: [{ messageId: 'largeBase', line: 0, data: { suggestion: 'python:3.12-slim-bookworm', saved: '896 MB', size: '1.02 GB' } }],
    },
    {
      name: 'node keeps the Debian release and mentions Alpine',
      code: 'FROM node:22\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci --omit=dev\nCOPY . .\nCMD ["node", "index.js"]',
      output: 'FROM node:22-bookworm-slim\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci --omit=dev\nCOPY . .\nCMD ["node", "index.js"]',
      errors: [{ messageId: 'largeBase', line: 0, data: { suggestion: 'node:22-bookworm-slim' } }],
    },
    {
      name: 'JDK to JRE on the same Ubuntu release',
      code: 'FROM eclipse-temurin:21-jdk-noble\nCOPY target/app.jar /app.jar\nCMD ["java", "-jar", "/app.jar"]',
      output: 'FROM eclipse-temurin:21-jre-noble\nCOPY target/app.jar /app.jar\nCMD ["java", "-jar", "/app.jar"]',
      errors: [{ messageId: 'largeBase', line: 0, data: { suggestion: 'eclipse-temurin:21-jre-noble', saved: '161 MB' } }],
    },
    {
      name: 'only an Alpine variant exists',
      code: 'FROM postgres:16\nCOPY init.sql /docker-entrypoint-initdb.d/',
      output: 'FROM postgres:16-alpine\nCOPY init.sql /docker-entrypoint-initdb.d/',
      errors: [{ messageId: 'largeBase', line: 0, data: { suggestion: 'postgres:16-alpine' } }],
    },
    {
      name: 'a stage the final stage is built FROM, lower-case as, mixed-case name',
      code: 'FROM python:3.12-bookworm as Runtime\nCOPY app.py /app/\nFROM runtime\nCMD ["python", "/app/app.py"]',
      output: 'FROM python:3.12-slim-bookworm as Runtime\nCOPY app.py /app/\nFROM runtime\nCMD ["python", "/app/app.py"]',
      errors: [{ messageId: 'largeBase', line: 0 }],
    },
    {
      name: 'registry kept; digest-pinned reference gets no edit',
      code: 'FROM docker.io/library/python:3.12-bookworm@sha256:0123456789abcdef\nCMD ["python"]',
      output: null,
      errors: [{ messageId: 'largeBase', line: 0, data: { suggestion: 'docker.io/library/python:3.12-slim-bookworm' } }],
    },
    {
      name: 'ARG-based reference is reported without an edit',
      code: 'ARG PY=3.12-bookworm\nFROM python:${PY}\nCMD ["python"]',
      output: null,
      errors: [{ messageId: 'largeBase', line: 1, data: { suggestion: 'python:3.12-slim-bookworm' } }],
    },
  ],
};

export const rule: Rule = { meta, check, cases };
