/**
 * fast-check arbitraries for Dockerfile-ish text: fragments that exercise the scanner, the parsers and the
 * rules (keywords, flags, continuations, heredocs, quotes, variables, suppression comments, parser
 * directives, unicode, CR/LF mixes), and mutations of realistic Dockerfiles.
 */
import fc from 'fast-check';

export const fragments = [
  'FROM', 'RUN', 'COPY', 'ADD', 'ENV', 'ARG', 'WORKDIR', 'USER', 'ONBUILD', 'CMD', 'ENTRYPOINT', 'LABEL', 'EXPOSE',
  'HEALTHCHECK', 'SHELL', 'VOLUME', 'STOPSIGNAL', 'MAINTAINER', 'from', 'run', 'AS', 'as',
  'debian:bookworm-slim', 'python:3.12-slim', 'alpine', 'scratch', 'build', 'stage0', '0', '1', '${BASE:-debian}', '$BASE',
  '--from=build', '--from=0', '--mount=type=cache,target=/var/lib/apt/lists', '--mount=type=cache,target=/root/.cache/pip',
  '--platform=$BUILDPLATFORM', '--chown=app:app', '--link', '--', '-',
  'apt-get update', 'apt-get install -y curl', 'apt-get install -y --no-install-recommends git', 'apt install', 'apt-get -y install',
  'rm -rf /var/lib/apt/lists/*', 'pip install flask', 'pip install --no-cache-dir -r requirements.txt', 'python -m pip install',
  'pip cache purge', 'apk add git', 'apk add --no-cache curl', 'apk update', 'npm ci', 'npm install', 'npm cache clean --force',
  'yarn install', 'sudo', 'env A=1', 'sh -c', 'bash -euxo pipefail -c',
  '&&', '||', ';', '|', '&', '(', ')', '{', '}', '$(', '`', '$((1+2))', '$VAR', '${A:-b}', '${A:+x}', '${', '$',
  '"', "'", '"quoted words"', "'single quoted'", '\\', '\\\\', '\\"', '=', 'A=1', 'A="1 2"', 'PIP_NO_CACHE_DIR=1',
  '<<EOF', '<<-EOF', '<<"END"', "<<'EOF'", '<<', 'EOF', 'END', '#!/bin/sh', '#!/usr/bin/env python3',
  '#', '# comment', '# dockerfile-lean ignore=apt-lists-not-cleaned', '# dockerfile-lean ignore-file', '# dockerfile-lean ignore=',
  '# hadolint ignore=DL3009,DL3015', '# hadolint global ignore=DL3042', '# escape=`', '# escape=\\', '# syntax=docker/dockerfile:1',
  '# check=skip=all', '["apt-get", "update"]', '["sh", "-c", "pip install x"]', '[', ']', '["unterminated',
  '/app', '.', './', '/', '*', '/var/lib/apt/lists', '~/.cache/pip', 'é', 'ü', '日本', '🐳', '\u00a0', '\u200b', '\u2028', '\uFEFF',
  ' ', '  ', '\t', '\n', '\n', '\n', '\r\n', '\r', ' \\\n', ' \\\r\n', ' `\n', '\\\n', '\n#x\n', '\n\n',
];

/** Dockerfile-ish text: fragments and a few arbitrary strings (any code unit, lone surrogates included). */
export const dockerfileText = fc.array(
  fc.oneof(
    { weight: 12, arbitrary: fc.constantFrom(...fragments) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 4 }) },
    { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
  ),
  { maxLength: 80 },
).chain((parts) => fc.array(fc.constantFrom('', ' ', ' ', '\n'), { minLength: parts.length, maxLength: parts.length })
  .map((separators) => parts.map((p, i) => p + separators[i]).join('')));

export const realisticDockerfiles = [
  [
    '# syntax=docker/dockerfile:1',
    'ARG PY=3.12',
    'FROM python:${PY}-slim AS build',
    'ENV PIP_DISABLE_PIP_VERSION_CHECK=1',
    'RUN apt-get update \\',
    '    && apt-get install -y build-essential libpq-dev \\',
    '    # headers for psycopg',
    '    && echo done',
    'COPY requirements.txt .',
    'RUN pip install -r requirements.txt',
    'FROM python:${PY}-slim',
    'COPY --from=build /usr/local /usr/local',
    'RUN <<EOF',
    'apt-get update',
    'apt-get install -y curl',
    'EOF',
    'COPY <<EOF /etc/app.conf',
    'mode=prod',
    'EOF',
    'USER app',
    'CMD ["python", "-m", "app"]',
    '',
  ].join('\n'),
  [
    'FROM alpine:3.19',
    'RUN apk update && apk add curl git',
    '# dockerfile-lean ignore=apk-no-cache',
    'RUN apk add bash',
    'ONBUILD RUN apt-get update && apt-get install -y make',
    'WORKDIR /srv',
    'COPY . .',
    'RUN npm ci && npm run build',
    'ENTRYPOINT ["/srv/run"]',
  ].join('\r\n'),
  [
    '# escape=`',
    'FROM mcr.microsoft.com/windows/servercore:ltsc2022',
    'RUN apt-get update `',
    '    && apt-get install -y curl',
    'RUN pip install flask `',
    '  requests',
  ].join('\n'),
  'FROM debian\rRUN apt-get update && apt-get install -y curl\rRUN sudo apt install -y git || rm -rf /var/lib/apt/lists/*\r',
];

export interface Mutation { at: number; deleteCount: number; insert: string }

/** Random edits (insert a fragment, delete a span, both) at positions given as fractions of the length. */
export const mutations = fc.array(
  fc.record({
    at: fc.double({ min: 0, max: 1, noNaN: true }),
    deleteCount: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 12 })),
    insert: fc.oneof(fc.constantFrom(...fragments, ''), fc.string({ maxLength: 3 })),
  }),
  { minLength: 1, maxLength: 12 },
);

export function applyMutation(text: string, m: { at: number; deleteCount: number; insert: string }): string {
  const at = Math.min(text.length, Math.floor(m.at * (text.length + 1)));
  return text.slice(0, at) + m.insert + text.slice(at + m.deleteCount);
}

/** A realistic Dockerfile with some mutations applied. */
export const mutatedDockerfile = fc.tuple(fc.constantFrom(...realisticDockerfiles), mutations)
  .map(([base, edits]) => edits.reduce(applyMutation, base));

export const anyDockerfile = fc.oneof(dockerfileText, mutatedDockerfile);
