import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../server/src/engine';
import { AnalysisCache } from '../../server/src/engine';
import { otherPlatform } from '../../server/src/sizing/platform';
import { engineConfigOf, readSettings } from '../../server/src/lsp/settings';
import { testEnv } from '../support/test-env';

test('platforms other than linux/amd64 are recognised; variables and amd64 spellings are not', () => {
  assert.equal(otherPlatform('linux/arm64'), 'linux/arm64');
  assert.equal(otherPlatform('arm64'), 'linux/arm64');
  assert.equal(otherPlatform('linux/arm/v7'), 'linux/arm/v7');
  assert.equal(otherPlatform('linux/amd64'), null);
  assert.equal(otherPlatform('linux/x86_64'), null);
  assert.equal(otherPlatform('$BUILDPLATFORM'), null);
  assert.equal(otherPlatform(''), null);
  assert.equal(otherPlatform(undefined), null);
});

const base = (text: string, platform?: string) => analyze(text, { env: testEnv(), config: platform ? { platform } : {} }).image.stages[0].base;

test('FROM --platform=linux/arm64 keeps the amd64 figure, says so, and lowers the confidence', () => {
  const amd = base('FROM debian:bookworm-slim');
  const arm = base('FROM --platform=linux/arm64 debian:bookworm-slim');
  assert.equal(arm.figure?.bytes, amd.figure?.bytes);
  assert.equal(amd.figure?.confidence, 'high');
  assert.equal(arm.figure?.confidence, 'low');
  assert.match(arm.explanation, /sizes are for linux\/amd64: there is no data for linux\/arm64/);
  assert.doesNotMatch(amd.explanation, /linux\/amd64/);
  assert.equal(base('FROM --platform=$BUILDPLATFORM debian:bookworm-slim').figure?.confidence, 'high');
});

test('the dockerfileLean.platform setting applies to every stage; FROM --platform wins; apt installs drop to low', () => {
  const config = engineConfigOf(readSettings({ platform: 'linux/arm64' }).settings);
  assert.equal(config.platform, 'linux/arm64');
  const report = analyze('FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl\nFROM --platform=linux/amd64 debian:bookworm-slim', { env: testEnv(), config });
  assert.equal(report.image.stages[0].base.figure?.confidence, 'low');
  assert.equal(report.image.stages[0].layers[0].figure?.confidence, 'low');
  assert.equal(report.image.stages[1].base.figure?.confidence, 'high');
  assert.equal(base('FROM debian:bookworm-slim', 'linux/amd64').figure?.confidence, 'high');
});

test('changing the platform setting re-sizes a document analysed with the same cache', () => {
  const cache = new AnalysisCache();
  const text = 'FROM debian:bookworm-slim\nRUN echo hi';
  assert.equal(analyze(text, { env: testEnv(), cache }).image.stages[0].base.figure?.confidence, 'high');
  assert.equal(analyze(text, { env: testEnv(), cache, config: { platform: 'linux/arm64' } }).image.stages[0].base.figure?.confidence, 'low');
  assert.equal(analyze(text, { env: testEnv(), cache }).image.stages[0].base.figure?.confidence, 'high');
});
