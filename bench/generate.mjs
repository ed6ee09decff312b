// Deterministic generator of realistic Dockerfiles for the benchmarks: multi-stage builds, RUN with
// continuations and apt/pip/npm/apk commands, COPY (also --from), ENV/ARG, heredocs and comments.
// Same seed → same text, so runs compare like with like.

/** mulberry32: small, fast and good enough to vary the text; Math.random cannot be seeded. */
export function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const bases = ['debian:bookworm-slim', 'ubuntu:22.04', 'python:3.12-slim', 'node:20-bookworm', 'alpine:3.19', 'golang:1.22'];
const aptPackages = ['curl', 'ca-certificates', 'git', 'build-essential', 'libpq-dev', 'gnupg', 'unzip', 'jq', 'tzdata', 'locales'];
const pipPackages = ['flask', 'gunicorn', 'requests', 'numpy', 'pandas', 'psycopg2-binary', 'uvicorn', 'pydantic'];
const npmPackages = ['express', 'typescript', 'lodash', 'pino', 'zod', 'esbuild'];

function pick(random, list) { return list[Math.floor(random() * list.length)]; }
function some(random, list, max) {
  const count = 1 + Math.floor(random() * max);
  return Array.from({ length: count }, () => pick(random, list)).filter((v, i, a) => a.indexOf(v) === i);
}

/** One stage's worth of lines (roughly 20–40). */
function stage(random, index) {
  const lines = [];
  const name = `stage${index}`;
  lines.push(`# ---- ${name} ----`);
  if (index > 0 && random() < 0.3) lines.push(`FROM stage${index - 1} AS ${name}`);
  else lines.push(`FROM ${pick(random, bases)} AS ${name}`);
  lines.push(`ARG VERSION_${index}=1.${index}.0`, `ENV APP_HOME=/srv/app${index} \\`, `    PATH=/srv/app${index}/bin:$PATH`);
  lines.push(`WORKDIR /srv/app${index}`);
  const runs = 2 + Math.floor(random() * 3);
  for (let r = 0; r < runs; r++) {
    const kind = random();
    if (kind < 0.35) {
      lines.push('RUN apt-get update \\');
      lines.push(`    && apt-get install -y ${random() < 0.5 ? '--no-install-recommends ' : ''}\\`);
      for (const p of some(random, aptPackages, 4)) lines.push(`        ${p} \\`);
      if (random() < 0.5) lines.push('    && rm -rf /var/lib/apt/lists/*');
      else lines.push('    && echo done');
    } else if (kind < 0.55) {
      lines.push(`RUN pip install ${random() < 0.5 ? '--no-cache-dir ' : ''}${some(random, pipPackages, 3).join(' ')} \\`);
      lines.push(`    && python -c "import sys; print(sys.version)"`);
    } else if (kind < 0.7) {
      lines.push(`RUN npm ci --omit=dev && npm install -g ${some(random, npmPackages, 2).join(' ')} \\`, '    && npm cache clean --force');
    } else if (kind < 0.8) {
      lines.push(`RUN apk add ${random() < 0.5 ? '--no-cache ' : ''}${some(random, ['bash', 'curl', 'git', 'tini'], 3).join(' ')}`);
    } else if (kind < 0.9) {
      lines.push('RUN <<EOF', 'set -eux', 'apt-get update', `apt-get install -y ${pick(random, aptPackages)}`, 'rm -rf /var/lib/apt/lists/*', 'EOF');
    } else {
      lines.push('COPY <<EOF /etc/app.conf', `name=${name}`, 'mode=production', 'EOF');
    }
  }
  lines.push(`COPY requirements.txt package.json ./`);
  if (index > 0 && random() < 0.5) lines.push(`COPY --from=stage${Math.floor(random() * index)} /srv/app /srv/app`);
  lines.push(`COPY --chown=app:app . .`);
  lines.push(`LABEL org.opencontainers.image.version="1.${index}" maintainer="team@example.com"`);
  lines.push(`EXPOSE ${8000 + index}`, 'USER app', `CMD ["python", "-m", "app", "--port", "${8000 + index}"]`, '');
  return lines;
}

/** A Dockerfile of at least `lineCount` lines (cut at a stage boundary just past it). */
export function generateDockerfile(lineCount, seed = 1) {
  const random = seededRandom(seed);
  const lines = ['# syntax=docker/dockerfile:1', 'ARG BASE_VERSION=1.0', ''];
  for (let index = 0; lines.length < lineCount; index++) lines.push(...stage(random, index));
  return lines.join('\n') + '\n';
}
