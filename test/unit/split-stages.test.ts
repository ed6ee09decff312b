/**
 * The split refactoring, ecosystem by ecosystem: the full text it writes for a known input, whether the
 * result is marked for review, and that every result parses cleanly and no longer triggers
 * multi-stage-opportunity.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDockerfile } from '../../server/src/model/parse';
import { splitStage } from '../../server/src/rules/lib/split-stages';
import type { Ecosystem } from '../../server/src/rules/lib/stages';
import { applyEdits } from '../../server/src/text/edits';
import { rule as multiStageOpportunity } from '../../server/src/rules/multi-stage-opportunity';
import { findingsOf } from '../support/rule-tester';

interface SplitCase {
  name: string;
  ecosystem: Ecosystem;
  variant?: string;
  summary: string;
  review: boolean;
  input: string[];
  output: string[];
  eol?: string;
}

function split(text: string, ecosystem: Ecosystem, variant: string | null = null) {
  const model = parseDockerfile(text);
  const result = splitStage(model, model.finalStageIndex ?? 0, ecosystem, variant);
  assert.ok(result, 'no split');
  return { result, text: applyEdits(text, [result.edit]).text };
}

/** One Go service, split on distroless and on scratch: the build stage is the same for both. */
const goService = [
  'FROM golang:1.22', 'WORKDIR /src', 'COPY go.mod go.sum ./', 'RUN go mod download', 'COPY . .',
  'RUN go build -o /app/server ./cmd/server', 'EXPOSE 8080', 'USER app', 'CMD /app/server --port 8080',
];
const goServiceBuildStage = [
  'FROM golang:1.22 AS build', 'WORKDIR /src', 'COPY go.mod go.sum ./', 'RUN go mod download', 'COPY . .',
  'ENV CGO_ENABLED=0', 'RUN go build -o /app/server ./cmd/server', '',
];

const cases: SplitCase[] = [
  {
    name: 'Python: official image, gcc and libpq-dev, comments, user and ENV kept',
    ecosystem: 'python',
    summary: "Python: venv on python:3.12-slim",
    review: false,
    input: [
      "FROM python:3.12",
      "RUN apt-get update && apt-get install -y gcc libpq-dev && rm -rf /var/lib/apt/lists/*",
      "WORKDIR /app",
      "COPY requirements.txt .",
      "# install dependencies",
      "RUN pip install --no-cache-dir -r requirements.txt",
      "COPY . .",
      "ENV PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1",
      "RUN useradd -m app",
      "USER app",
      "EXPOSE 8000",
      "CMD [\"gunicorn\", \"-b\", \"0.0.0.0:8000\", \"app:app\"]",
    ],
    output: [
      "FROM python:3.12 AS build",
      "RUN apt-get update && apt-get install -y gcc libpq-dev && rm -rf /var/lib/apt/lists/*",
      "WORKDIR /app",
      "COPY requirements.txt .",
      "RUN python -m venv /opt/venv",
      "ENV PATH=/opt/venv/bin:$PATH",
      "# install dependencies",
      "RUN pip install --no-cache-dir -r requirements.txt",
      "",
      "FROM python:3.12-slim",
      "RUN apt-get update && apt-get install -y --no-install-recommends libpq5 && rm -rf /var/lib/apt/lists/*",
      "WORKDIR /app",
      "COPY --from=build /opt/venv /opt/venv",
      "ENV PATH=/opt/venv/bin:$PATH",
      "COPY . .",
      "ENV PYTHONUNBUFFERED=1",
      "RUN useradd -m app",
      "USER app",
      "EXPOSE 8000",
      "CMD [\"gunicorn\", \"-b\", \"0.0.0.0:8000\", \"app:app\"]",
    ],
  },
  {
    name: 'Python: Debian base with python3, the own venv of the user, -dev mapped to runtime libraries',
    ecosystem: 'python',
    summary: "Python: venv on debian:bookworm-slim",
    review: false,
    input: [
      "FROM debian:bookworm",
      "RUN apt-get update && apt-get install -y --no-install-recommends python3 python3-venv python3-dev gcc libffi-dev && rm -rf /var/lib/apt/lists/*",
      "WORKDIR /app",
      "COPY requirements.txt .",
      "RUN python3 -m venv /opt/venv && /opt/venv/bin/pip install --no-cache-dir -r requirements.txt",
      "COPY app.py .",
      "CMD [\"/opt/venv/bin/python\", \"app.py\"]",
    ],
    output: [
      "FROM debian:bookworm AS build",
      "RUN apt-get update && apt-get install -y --no-install-recommends python3 python3-venv python3-dev gcc libffi-dev && rm -rf /var/lib/apt/lists/*",
      "WORKDIR /app",
      "COPY requirements.txt .",
      "RUN python3 -m venv /opt/venv && /opt/venv/bin/pip install --no-cache-dir -r requirements.txt",
      "",
      "FROM debian:bookworm-slim",
      "RUN apt-get update && apt-get install -y --no-install-recommends python3 libffi8 && rm -rf /var/lib/apt/lists/*",
      "WORKDIR /app",
      "COPY --from=build /opt/venv /opt/venv",
      "ENV PATH=/opt/venv/bin:$PATH",
      "COPY app.py .",
      "CMD [\"/opt/venv/bin/python\", \"app.py\"]",
    ],
  },
  {
    name: 'Node.js: npm ci and npm run build, output dir from CMD',
    ecosystem: 'node',
    summary: "Node.js: production dependencies and dist/ on node:20-slim",
    review: false,
    input: [
      "FROM node:20",
      "WORKDIR /app",
      "COPY package*.json ./",
      "RUN npm ci",
      "COPY . .",
      "RUN npm run build",
      "ENV NODE_ENV=production",
      "EXPOSE 3000",
      "CMD [\"node\", \"dist/server.js\"]",
    ],
    output: [
      "FROM node:20 AS build",
      "WORKDIR /app",
      "COPY package*.json ./",
      "RUN npm ci",
      "COPY . .",
      "RUN npm run build",
      "",
      "FROM node:20-slim",
      "WORKDIR /app",
      "COPY package*.json ./",
      "RUN npm ci --omit=dev && npm cache clean --force",
      "COPY --from=build /app/dist ./dist",
      "ENV NODE_ENV=production",
      "EXPOSE 3000",
      "CMD [\"node\", \"dist/server.js\"]",
    ],
  },
  {
    name: 'Node.js: alpine and yarn, unknown output dir (review)',
    ecosystem: 'node',
    summary: "Node.js: production dependencies and dist/ on node:20-alpine",
    review: true,
    input: [
      "FROM node:20-alpine",
      "WORKDIR /usr/src/app",
      "COPY . .",
      "RUN yarn install --frozen-lockfile && yarn build",
      "CMD [\"yarn\", \"start\"]",
    ],
    output: [
      "FROM node:20-alpine AS build",
      "WORKDIR /usr/src/app",
      "COPY . .",
      "RUN yarn install --frozen-lockfile && yarn build",
      "",
      "FROM node:20-alpine",
      "WORKDIR /usr/src/app",
      "COPY package.json yarn.lock ./",
      "RUN yarn install --production --frozen-lockfile && yarn cache clean",
      "# dockerfile-lean review: 'dist' is a guess: copy the directory your build script writes and CMD runs",
      "COPY --from=build /usr/src/app/dist ./dist",
      "CMD [\"yarn\", \"start\"]",
    ],
  },
  {
    name: 'Go: distroless, shell-form CMD to exec form, named USER (review)',
    ecosystem: 'go',
    summary: "Go: static binary on distroless",
    review: true,
    input: goService,
    output: [
      ...goServiceBuildStage,
      "FROM gcr.io/distroless/static-debian12",
      "WORKDIR /src",
      "COPY --from=build /app/server /app/server",
      "EXPOSE 8080",
      "# dockerfile-lean review: user 'app' does not exist in distroless: running as nonroot:nonroot instead",
      "USER nonroot:nonroot",
      "CMD [\"/app/server\", \"--port\", \"8080\"]",
    ],
  },
  {
    name: 'Go: the scratch variant with the CA bundle',
    ecosystem: 'go',
    variant: 'scratch',
    summary: "Go: static binary on scratch",
    review: true,
    input: goService,
    output: [
      ...goServiceBuildStage,
      "FROM scratch",
      "COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/",
      "WORKDIR /src",
      "COPY --from=build /app/server /app/server",
      "EXPOSE 8080",
      "# dockerfile-lean review: user 'app' does not exist in scratch: running as 65532:65532 instead",
      "USER 65532:65532",
      "CMD [\"/app/server\", \"--port\", \"8080\"]",
    ],
  },
  {
    name: 'Go: build without -o gets one; HEALTHCHECK without a shell (review)',
    ecosystem: 'go',
    summary: "Go: static binary on distroless",
    review: true,
    input: [
      "FROM golang:1.22-alpine",
      "WORKDIR /app",
      "COPY . .",
      "RUN go build",
      "HEALTHCHECK CMD wget -qO- localhost:8080/health || exit 1",
      "CMD ./app",
    ],
    output: [
      "FROM golang:1.22-alpine AS build",
      "WORKDIR /app",
      "COPY . .",
      "ENV CGO_ENABLED=0",
      "RUN go build -o /app/app",
      "",
      "FROM gcr.io/distroless/static-debian12",
      "WORKDIR /app",
      "COPY --from=build /app/app /app/app",
      "# dockerfile-lean review: gcr.io/distroless/static-debian12 has no shell or tools: the health check's program must be in the image",
      "HEALTHCHECK CMD wget -qO- localhost:8080/health || exit 1",
      "CMD [\"./app\"]",
    ],
  },
  {
    name: 'Java: Maven, jar named by CMD',
    ecosystem: 'java',
    summary: "Java: jar on eclipse-temurin:21-jre",
    review: false,
    input: [
      "FROM maven:3.9-eclipse-temurin-21",
      "WORKDIR /app",
      "COPY pom.xml .",
      "RUN mvn -B dependency:go-offline",
      "COPY src ./src",
      "RUN mvn -B -DskipTests package",
      "EXPOSE 8080",
      "CMD [\"java\", \"-jar\", \"target/app.jar\"]",
    ],
    output: [
      "FROM maven:3.9-eclipse-temurin-21 AS build",
      "WORKDIR /app",
      "COPY pom.xml .",
      "RUN mvn -B dependency:go-offline",
      "COPY src ./src",
      "RUN mvn -B -DskipTests package",
      "",
      "FROM eclipse-temurin:21-jre",
      "WORKDIR /app",
      "COPY --from=build /app/target/app.jar /app/target/app.jar",
      "EXPOSE 8080",
      "CMD [\"java\", \"-jar\", \"target/app.jar\"]",
    ],
  },
  {
    name: 'Java: Gradle, jar unknown, java -jar ENTRYPOINT (review)',
    ecosystem: 'java',
    summary: "Java: jar on eclipse-temurin:17-jre",
    review: true,
    input: [
      "FROM gradle:8.7-jdk17",
      "WORKDIR /home/gradle/project",
      "COPY . .",
      "RUN gradle bootJar --no-daemon",
      "CMD gradle bootRun",
    ],
    output: [
      "FROM gradle:8.7-jdk17 AS build",
      "WORKDIR /home/gradle/project",
      "COPY . .",
      "RUN gradle bootJar --no-daemon",
      "",
      "FROM eclipse-temurin:17-jre",
      "WORKDIR /home/gradle/project",
      "# dockerfile-lean review: Gradle may also write a -plain.jar: name the jar to run if more than one matches",
      "COPY --from=build /home/gradle/project/build/libs/*.jar /app/app.jar",
      "ENTRYPOINT [\"java\", \"-jar\", \"/app/app.jar\"]",
    ],
  },
  {
    name: 'Rust: release binary, libssl-dev to libssl3 with CA certificates',
    ecosystem: 'rust',
    summary: "Rust: release binary on debian:bookworm-slim",
    review: false,
    input: [
      "FROM rust:1.79-bookworm",
      "WORKDIR /app",
      "RUN apt-get update && apt-get install -y pkg-config libssl-dev && rm -rf /var/lib/apt/lists/*",
      "COPY . .",
      "RUN cargo build --release",
      "EXPOSE 8080",
      "CMD [\"./target/release/server\"]",
    ],
    output: [
      "FROM rust:1.79-bookworm AS build",
      "WORKDIR /app",
      "RUN apt-get update && apt-get install -y pkg-config libssl-dev && rm -rf /var/lib/apt/lists/*",
      "COPY . .",
      "RUN cargo build --release",
      "",
      "FROM debian:bookworm-slim",
      "WORKDIR /app",
      "RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates libssl3 && rm -rf /var/lib/apt/lists/*",
      "COPY --from=build /app/target/release/server /usr/local/bin/server",
      "EXPOSE 8080",
      "CMD [\"/usr/local/bin/server\"]",
    ],
  },
  {
    name: 'Python: ARG before FROM, --platform, heredoc RUN, comments and trailing comment',
    ecosystem: 'python',
    summary: "Python: venv on python:${PY}-slim-bookworm",
    review: false,
    input: [
      "# syntax=docker/dockerfile:1",
      "ARG PY=3.12",
      "FROM --platform=$BUILDPLATFORM python:${PY}-bookworm AS app",
      "ARG EXTRA",
      "RUN apt-get update && apt-get install -y libpq-dev libgeos-dev",
      "COPY requirements.txt .",
      "RUN <<EOF",
      "pip install --no-cache-dir -r requirements.txt",
      "pip install gunicorn",
      "EOF",
      "COPY . .",
      "# start the app",
      "CMD gunicorn app:app",
      "# trailing comment",
    ],
    output: [
      "# syntax=docker/dockerfile:1",
      "ARG PY=3.12",
      "FROM --platform=$BUILDPLATFORM python:${PY}-bookworm AS build",
      "ARG EXTRA",
      "RUN apt-get update && apt-get install -y libpq-dev libgeos-dev",
      "COPY requirements.txt .",
      "RUN python -m venv /opt/venv",
      "ENV PATH=/opt/venv/bin:$PATH",
      "RUN <<EOF",
      "pip install --no-cache-dir -r requirements.txt",
      "pip install gunicorn",
      "EOF",
      "",
      "FROM --platform=$BUILDPLATFORM python:${PY}-slim-bookworm AS app",
      "ARG EXTRA",
      "RUN apt-get update && apt-get install -y --no-install-recommends libpq5 libgeos-c1v5 && rm -rf /var/lib/apt/lists/*",
      "COPY --from=build /opt/venv /opt/venv",
      "ENV PATH=/opt/venv/bin:$PATH",
      "COPY . .",
      "# start the app",
      "CMD gunicorn app:app",
      "# trailing comment",
    ],
  },
];

describe('split into build and runtime stages', () => {
  for (const c of cases) {
    test(c.name, () => {
      const eol = c.eol ?? '\n';
      const { result, text } = split(c.input.join(eol) + eol, c.ecosystem, c.variant ?? null);
      assert.equal(text, c.output.join(eol) + eol);
      assert.equal(result.summary, c.summary);
      assert.equal(result.review, c.review, 'review flag');
      assert.deepEqual(parseDockerfile(text).problems.map((p) => p.message), []);
      assert.deepEqual(findingsOf(multiStageOpportunity, text).map((f) => f.message), [], 'multi-stage-opportunity still fires');
    });
  }

  test('CRLF files keep CRLF in every line the split writes', () => {
    const input = ['FROM golang:1.22', 'WORKDIR /src', 'COPY . .', 'RUN go build -o /out/app . \\', '    && go vet ./...', 'ENTRYPOINT ["/out/app"]'].join('\r\n') + '\r\n';
    const { result, text } = split(input, 'go');
    assert.equal(text, [
      'FROM golang:1.22 AS build', 'WORKDIR /src', 'COPY . .', 'ENV CGO_ENABLED=0', 'RUN go build -o /out/app . \\', '    && go vet ./...', '',
      'FROM gcr.io/distroless/static-debian12', 'WORKDIR /src',
      '# dockerfile-lean review: the RUN at line 4 also runs go vet, now only in the build stage: repeat it here if the running image needs what it did',
      'COPY --from=build /out/app /out/app', 'ENTRYPOINT ["/out/app"]',
    ].join('\r\n') + '\r\n');
    assert.equal(result.review, true);
    assert.ok(!/[^\r]\n/.test(text), 'a bare LF slipped in');
  });

  test('the build stage gets a name no other stage has', () => {
    const input = 'FROM alpine AS build\nRUN echo\nFROM golang:1.22\nRUN go build -o /app .\nCMD ["/app"]\n';
    const { text } = split(input, 'go');
    assert.match(text, /FROM golang:1\.22 AS build-2\n/);
    assert.match(text, /COPY --from=build-2 \/app \/app\n/);
  });

  test('a stage built FROM another stage is not split', () => {
    const model = parseDockerfile('FROM golang:1.22 AS base\nFROM base\nRUN go build -o /app .\n');
    assert.equal(splitStage(model, 1, 'go'), null);
  });

  test('Go offers the scratch variant after distroless', () => {
    const model = parseDockerfile('FROM golang:1.22\nRUN go build -o /app .\n');
    assert.deepEqual(splitStage(model, 0, 'go')?.variants, ['scratch']);
  });
});
