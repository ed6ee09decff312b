/**
 * Rules read sizes only from the ImageEstimate: with a figure for the layer part they name it in the message
 * and as savings; without one (the tables run with no data) the message has no size.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDockerfile } from '../../server/src/model/parse';
import type { Rule } from '../../server/src/rules/types';
import type { ImageEstimate } from '../../server/src/sizing/types';
import type { Figure } from '../../server/src/sizing/figure';
import { rule as npmCache } from '../../server/src/rules/npm-cache-not-cleaned';
import { rule as yarnCache } from '../../server/src/rules/yarn-cache-not-cleaned';
import { rule as devDeps } from '../../server/src/rules/npm-dev-deps-in-image';
import { rule as cleanup } from '../../server/src/rules/cleanup-in-separate-layer';
import { rule as buildTools } from '../../server/src/rules/build-tools-in-final-stage';
import { rule as wholeStage } from '../../server/src/rules/copy-whole-stage';
import { emptyImageEstimate, indexLayers } from '../../server/src/sizing/lookup';

const figure = (bytes: number): Figure => ({ bytes, source: 'heuristic', confidence: 'low' });

/** An estimate with one labelled part on the layer of instruction `index`, and a total for every stage. */
function estimate(text: string, index: number, label: string, bytes: number, stageTotal: number | null = null): ImageEstimate {
  const model = parseDockerfile(text);
  const partial: Omit<ImageEstimate, 'layersByInstruction'> = {
    finalStage: model.finalStageIndex,
    total: null,
    stages: model.stages.map((s) => ({
      index: s.index,
      base: { reference: s.from.expanded, figure: null, match: 'unknown', explanation: '', smallerVariants: [], os: null, osRelease: null },
      layers: s.instructions.map((i) => ({
        instructionIndex: i.index, line: i.range.start.line, keyword: i.keyword, explanation: '', metadataOnly: false,
        figure: i.index === index ? figure(bytes) : null,
        parts: i.index === index ? [{ label, figure: figure(bytes) }] : [],
      })),
      total: stageTotal === null ? null : figure(stageTotal),
      added: figure(0),
    })),
  };
  return { ...partial, layersByInstruction: indexLayers(partial.stages) };
}

function check(rule: Rule, text: string, sizing: ImageEstimate | null) {
  const model = parseDockerfile(text);
  return rule.check({ model, sizing: sizing ?? emptyImageEstimate(), context: null });
}

const examples: { rule: Rule; text: string; index: number; label: string }[] = [
  { rule: npmCache, text: 'FROM node:20-slim\nRUN npm ci', index: 1, label: 'npm cache' },
  { rule: yarnCache, text: 'FROM node:20-slim\nRUN yarn install', index: 1, label: 'yarn cache' },
  { rule: yarnCache, text: 'FROM node:20-slim\nRUN pnpm install', index: 1, label: 'pnpm store' },
  { rule: devDeps, text: 'FROM node:20-slim\nRUN npm ci', index: 1, label: 'dev dependencies' },
  { rule: cleanup, text: 'FROM node:20-slim\nRUN npm ci\nRUN npm cache clean --force', index: 1, label: 'npm cache' },
  { rule: buildTools, text: 'FROM debian:bookworm-slim\nRUN apt-get install -y gcc', index: 1, label: 'build tools' },
];

for (const { rule, text, index, label } of examples) {
  test(`${rule.meta.id}: '${label}' part gives the size and the savings; no estimate gives no size`, () => {
    const [sized] = check(rule, text, estimate(text, index, label, 42_000_000));
    assert.equal(sized.data?.size, ' (~42.0 MB)');
    assert.equal(sized.savings?.bytes, 42_000_000);
    const [unsized] = check(rule, text, null);
    assert.equal(unsized.data?.size, '');
    assert.equal(unsized.savings ?? null, null);
  });
}

test("copy-whole-stage: the source stage's total is the savings", () => {
  const text = 'FROM golang:1.22 AS build\nRUN go build -o /app .\nFROM debian:bookworm-slim\nCOPY --from=build / /';
  const [report] = check(wholeStage, text, estimate(text, 1, 'x', 1, 900_000_000));
  assert.equal(report.data?.size, ' (~900 MB)');
  assert.equal(report.savings?.bytes, 900_000_000);
});
