/**
 * `COPY` without `--from` reads the build context, never an earlier stage. Copying a path that only an
 * earlier stage's RUN produced (a venv, `go build -o` output, `dist/` after `npm run build`) fails the
 * build, or silently ships a stale copy from the developer's machine.
 */
import type { Rule, RuleMeta, RuleReport, RuleContext } from './types';
import type { Arg, DockerfileModel, Instruction } from '../model/types';
import { isUnder, resolvePath, stageLabel } from './lib/queries';
import { insertAt } from './lib/edits';
import { ruleDocsUrl } from './lib/docs-url';
import { pathsProducedBy, type ProducedPath } from './lib/stage-outputs';
import { stageFacts } from './lib/stage-facts';

export const meta: RuleMeta = {
  id: 'copy-missing-from',
  type: 'correctness',
  defaultSeverity: 'error',
  docs: { description: 'COPY a path an earlier stage built with --from, not from the build context', url: ruleDocsUrl('copy-missing-from') },
  fixable: false,
  messages: {
    missingFrom: "'{{source}}' is made by {{producer}} in stage {{stage}}, but COPY without --from reads the build context, which does not have it: add --from={{from}}.",
  },
};

export function check({ model, context }: RuleContext): RuleReport[] {
  const reports: RuleReport[] = [];
  const facts = stageFacts(model);
  // A stage's outputs are worked out when a COPY first needs them (most sources are settled before that).
  const producedByStage: (ProducedPath[] | undefined)[] = [];
  const producedBy = (stageIndex: number) => (producedByStage[stageIndex] ??= pathsProducedBy(model, stageIndex, facts));
  const exists = context ? (path: string) => context.exists(path) : null;
  for (const copy of model.instructions) {
    if (copy.keyword !== 'COPY' || !copy.copy || copy.copy.from !== null || copy.heredocs.length > 0 || copy.stageIndex < 1) continue;
    for (const source of copy.copy.sources) {
      const match = producerOf(source, copy.stageIndex, producedBy, exists);
      if (!match) continue;
      const stage = model.stages[match.produced.stageIndex];
      const from = stage.name ?? String(stage.index);
      reports.push({
        messageId: 'missingFrom',
        data: { source: source.value, producer: match.produced.producer, stage: stageLabel(model, stage.index), from },
        range: source.range,
        stageIndex: copy.stageIndex,
        fixes: [{
          title: `Copy '${match.path}' from stage ${stageLabel(model, stage.index)} (--from=${from})`,
          kind: 'quickfix', safe: false, preferred: true,
          edits: addFromEdits(copy, source, from, match.path),
        }],
      });
    }
  }
  return reports;
}

/**
 * The latest earlier stage that produced `source`. An absolute source is compared as it is; a relative one
 * against the producing stage's WORKDIR, and only when the build context is known not to hold it (a
 * `dist/` in the context is a legitimate COPY).
 */
function producerOf(
  source: Arg, stageIndex: number, producedBy: (stageIndex: number) => ProducedPath[], exists: ((path: string) => boolean) | null,
): { produced: ProducedPath; path: string } | null {
  const literal = literalPrefix(source.value);
  if (!literal || source.value.includes('$')) return null;
  const absolute = literal.startsWith('/');
  const contextPath = literal.replace(/^\/+/, '').replace(/^\.\//, '') || '.';
  if (exists?.(contextPath)) return null;
  if (!absolute && !exists) return null;
  // Latest first: the stages before this one from the nearest, each stage's outputs from its last.
  for (let s = stageIndex - 1; s >= 0; s--) {
    const outputs = producedBy(s);
    for (let k = outputs.length - 1; k >= 0; k--) {
      const produced = outputs[k];
      if (produced.guessed && !exists) continue;
      const candidate = absolute ? literal : resolvePath(produced.workdir, literal);
      if (isUnder(candidate, produced.path)) return { produced, path: absolute ? source.value : inDirectory(produced.workdir, source.value) };
    }
  }
  return null;
}

/** A relative COPY source written as an absolute path in `dir`, trailing slash and globs kept. */
function inDirectory(dir: string, source: string): string {
  return `${dir === '/' ? '' : dir}/${source.replace(/^(\.\/)+/, '')}`;
}

/** The source up to its first glob segment: `target/*.jar` → `target`. */
function literalPrefix(source: string): string {
  const segments = source.split('/');
  const glob = segments.findIndex((s) => /[*?[]/.test(s));
  const literal = glob < 0 ? segments : segments.slice(0, glob);
  // Trailing slashes leave empty segments; dropped one by one (a regex would backtrack on long runs).
  while (literal.length > 1 && literal[literal.length - 1] === '') literal.pop();
  return literal.join('/');
}

/** `--from=<stage>` after COPY, and a relative source made absolute (in a stage, paths start at its root). */
function addFromEdits(copy: Instruction, source: Arg, from: string, absolutePath: string) {
  const edits = [insertAt(copy.keywordRange.end, ` --from=${from}`)];
  if (absolutePath !== source.value) edits.push({ range: source.range, newText: absolutePath });
  return edits;
}

export const cases: Rule['cases'] = {
  valid: [
    { name: 'with --from', code: 'FROM python:3.12 AS build\nRUN python -m venv /opt/venv\nFROM python:3.12-slim\nCOPY --from=build /opt/venv /opt/venv' },
    { name: 'dist/ that the build context has', code: 'FROM node:22 AS build\nWORKDIR /app\nRUN npm ci && npm run build\nFROM nginx:alpine\nCOPY dist /usr/share/nginx/html', files: { 'dist/index.html': 100 } },
    { name: 'relative source without a context is not guessed at', code: 'FROM node:22 AS build\nWORKDIR /app\nRUN npm run build\nFROM nginx:alpine\nCOPY dist /usr/share/nginx/html' },
    { name: 'the path comes from an image, not a stage', code: 'FROM golang:1.22 AS build\nRUN go build -o /out/app .\nFROM alpine\nCOPY --from=golang:1.22 /usr/local/go /usr/local/go' },
    { name: 'a later stage produced it, not an earlier one', code: 'FROM alpine\nCOPY /out/app /app\nFROM golang:1.22\nRUN go build -o /out/app .' },
    { name: 'heredoc COPY', code: 'FROM golang:1.22 AS build\nRUN go build -o /out/app .\nFROM alpine\nCOPY <<EOF /out/app\nhello\nEOF' },
    { name: 'unrelated absolute source', code: 'FROM golang:1.22 AS build\nRUN go build -o /out/app .\nFROM alpine\nCOPY /config/app.yaml /etc/app.yaml' },
  ],
  invalid: [
    {
      name: 'venv copied from the context',
      code: 'FROM python:3.12 AS build\nRUN python -m venv /opt/venv && /opt/venv/bin/pip install flask\nFROM python:3.12-slim\nCOPY /opt/venv /opt/venv',
      output: 'FROM python:3.12 AS build\nRUN python -m venv /opt/venv && /opt/venv/bin/pip install flask\nFROM python:3.12-slim\nCOPY --from=build /opt/venv /opt/venv',
      errors: [{ messageId: 'missingFrom', line: 3, data: { producer: 'python -m venv', from: 'build' } }],
    },
    {
      name: 'go build output, unnamed stage',
      code: 'FROM golang:1.22\nRUN go build -o /out/app ./cmd/app\nFROM gcr.io/distroless/static-debian12\nCOPY /out/app /app\nENTRYPOINT ["/app"]',
      output: 'FROM golang:1.22\nRUN go build -o /out/app ./cmd/app\nFROM gcr.io/distroless/static-debian12\nCOPY --from=0 /out/app /app\nENTRYPOINT ["/app"]',
      errors: [{ messageId: 'missingFrom', line: 3, data: { from: '0' } }],
    },
    {
      name: 'jar glob under the maven target directory, context without it',
      code: 'FROM maven:3.9-eclipse-temurin-21 AS build\nWORKDIR /app\nCOPY . .\nRUN mvn -B package\nFROM eclipse-temurin:21-jre\nCOPY target/*.jar /app.jar',
      output: 'FROM maven:3.9-eclipse-temurin-21 AS build\nWORKDIR /app\nCOPY . .\nRUN mvn -B package\nFROM eclipse-temurin:21-jre\nCOPY --from=build /app/target/*.jar /app.jar',
      errors: [{ messageId: 'missingFrom', line: 5 }],
      files: { 'pom.xml': 'x', 'src/Main.java': 'x' },
    },
    {
      name: 'npm build output, context without it',
      code: 'FROM node:22 AS build\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\nFROM node:22-slim\nWORKDIR /app\nCOPY dist/ ./dist',
      output: 'FROM node:22 AS build\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\nFROM node:22-slim\nWORKDIR /app\nCOPY --from=build /app/dist/ ./dist',
      errors: [{ messageId: 'missingFrom', line: 6, data: { producer: 'npm build' } }],
      files: { 'package.json': '{}', 'src/index.ts': 'x' },
    },
    {
      name: 'go install puts binaries in /go/bin',
      code: 'FROM golang:1.22 AS tools\nRUN go install github.com/x/y@latest\nFROM debian:bookworm-slim\nCOPY /go/bin/y /usr/local/bin/y',
      output: 'FROM golang:1.22 AS tools\nRUN go install github.com/x/y@latest\nFROM debian:bookworm-slim\nCOPY --from=tools /go/bin/y /usr/local/bin/y',
      errors: [{ messageId: 'missingFrom', line: 3, data: { producer: 'go install' } }],
    },
  ],
};

export const rule: Rule = { meta, check, cases };
