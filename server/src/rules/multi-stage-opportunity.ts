/**
 * A final image that compiles or bundles its own code ships the compiler, headers, package caches and
 * sources with the program. A build stage plus a slim runtime stage that copies only the result is the
 * biggest size win a Dockerfile usually has.
 */
import type { Rule, RuleMeta, RuleReport, RuleContext, Fix } from './types';
import type { ImageEstimate } from '../sizing/types';
import { sumFigures, formatBytes, type Figure } from '../sizing/figure';
import { layerOf } from '../sizing/lookup';
import { ruleDocsUrl } from './lib/docs-url';
import { compilingEcosystem, ecosystemLabels, takesFromOtherStage, type BuildStep } from './lib/stages';
import { splitStage, type SplitResult } from './lib/split-stages';

export const meta: RuleMeta = {
  id: 'multi-stage-opportunity',
  type: 'size',
  defaultSeverity: 'warning',
  docs: { description: 'Build in a separate stage and ship only the result on a slim runtime base', url: ruleDocsUrl('multi-stage-opportunity') },
  fixable: false,
  messages: {
    buildsInFinalImage: 'The final image builds its {{ecosystem}} code ({{step}}) and so ships the toolchain, caches and sources the build needed{{size}}: build in a separate stage and copy only the result into a slim runtime stage.',
  },
};

export function check({ model, sizing }: RuleContext): RuleReport[] {
  const finalStage = model.finalStageIndex;
  if (finalStage === null || takesFromOtherStage(model, finalStage)) return [];
  const found = compilingEcosystem(model, finalStage);
  if (!found) return [];
  const { ecosystem, steps } = found;
  const reported = steps.find((s) => s.kind === 'build') ?? steps[0];
  const splits = ecosystem === 'native' ? [] : splitsOf(model, finalStage, ecosystem);
  const savings = splits.length > 0 ? splitSaving(sizing, finalStage, splits[0]) : null;
  return [{
    messageId: 'buildsInFinalImage',
    data: { ecosystem: ecosystemLabels[ecosystem], step: stepLabel(reported), size: savings ? ` (~${formatBytes(savings.bytes)} could go)` : '' },
    range: reported.instruction.range,
    stageIndex: finalStage,
    savings,
    fixes: splits.map((split, i): Fix => {
      const saving = splitSaving(sizing, finalStage, split);
      const details = `${split.summary}${saving ? `, ~${formatBytes(saving.bytes)} smaller` : ''}`;
      return { title: `Split into build and runtime stages (${details})${split.review ? ' (review)' : ''}`, kind: 'refactor', safe: false, preferred: i === 0, edits: [split.edit] };
    }),
  }];
}

/** The split, and the recipe's other runtime variants (Go: distroless, then scratch). */
function splitsOf(model: RuleContext['model'], stageIndex: number, ecosystem: BuildStep['ecosystem']): SplitResult[] {
  const first = splitStage(model, stageIndex, ecosystem);
  if (!first) return [];
  const others = first.variants.map((v) => splitStage(model, stageIndex, ecosystem, v)).filter((s): s is SplitResult => s !== null);
  return [first, ...others];
}

function stepLabel(step: BuildStep): string {
  const words = step.command.argv.map((w) => w.value);
  const verb = words.slice(1).find((w) => !w.startsWith('-'));
  if (step.ecosystem === 'native') return words[0];
  if (step.ecosystem === 'python') return `${step.command.name === 'pip' || step.command.name === 'uv' ? words[0] : 'pip'} install with compilers available`;
  if (step.ecosystem === 'node' && (verb === 'run' || verb === 'run-script')) return `${words[0]} run ${words.slice(2).find((w) => !w.startsWith('-')) ?? 'build'}`;
  return verb ? `${words[0]} ${verb}` : words[0];
}

/**
 * What the split saves: the final stage's total minus what the runtime stage still holds (its base, the
 * layers it keeps). Null when any of those figures is unknown.
 */
function splitSaving(sizing: ImageEstimate, stageIndex: number, split: SplitResult): Figure | null {
  const stage = sizing.stages[stageIndex];
  if (!stage?.total) return null;
  const runtimeBase = split.runtimeImage.expanded === 'scratch'
    ? { bytes: 0, source: 'image-manifest' as const, confidence: 'high' as const }
    : stage.base.smallerVariants.find((v) => v.reference === split.runtimeImage.expanded)?.figure ?? null;
  const kept = split.keptInstructions.map((i) => layerOf(sizing, i.index)?.figure ?? null);
  if (!runtimeBase || kept.some((f) => f === null)) return null;
  const remaining = sumFigures([runtimeBase, ...(kept as Figure[])]);
  const bytes = stage.total.bytes - remaining.bytes;
  return bytes > 0 ? { bytes, source: 'derived', confidence: 'low', note: `final stage total minus ${split.runtimeImage.expanded} and the layers the runtime stage keeps` } : null;
}

export const cases: Rule['cases'] = {
  valid: [
    { name: 'already multi-stage', code: 'FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\nRUN go build -o /out/app .\nFROM gcr.io/distroless/static-debian12\nCOPY --from=build /out/app /app\nENTRYPOINT ["/app"]' },
    { name: 'build in a stage that does not ship', code: 'FROM node:22 AS assets\nRUN npm ci && npm run build\nFROM nginx:alpine\nCOPY site /usr/share/nginx/html' },
    { name: 'pip without compilers on a slim base', code: 'FROM python:3.12-slim\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCMD ["python", "app.py"]' },
    { name: 'compilers removed in the same RUN', code: 'FROM python:3.12-slim\nRUN apt-get update && apt-get install -y gcc && pip install --no-cache-dir psycopg2 && apt-get purge -y gcc && rm -rf /var/lib/apt/lists/*' },
    { name: 'npm install of a package is not a build', code: 'FROM node:22-slim\nRUN npm install -g serve\nCMD ["serve", "public"]' },
    { name: 'go mod download alone compiles nothing', code: 'FROM golang:1.22\nCOPY go.mod .\nRUN go mod download' },
    { name: 'npm run test is not a build', code: 'FROM node:22\nCOPY . .\nRUN npm ci && npm run test' },
  ],
  invalid: [
    {
      name: 'Go single stage',
      code: 'FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /out/app .\nCMD ["/out/app"]',
      output: 'FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\nENV CGO_ENABLED=0\nRUN go build -o /out/app .\n\nFROM gcr.io/distroless/static-debian12\nWORKDIR /src\nCOPY --from=build /out/app /out/app\nCMD ["/out/app"]',
      errors: [{ messageId: 'buildsInFinalImage', line: 3, data: { ecosystem: 'Go', step: 'go build' } }],
    },
    {
      name: 'Python with gcc',
      code: 'FROM python:3.12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends gcc && rm -rf /var/lib/apt/lists/*\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nCMD ["python", "app.py"]',
      output: 'FROM python:3.12-slim AS build\nRUN apt-get update && apt-get install -y --no-install-recommends gcc && rm -rf /var/lib/apt/lists/*\nCOPY requirements.txt .\nRUN python -m venv /opt/venv\nENV PATH=/opt/venv/bin:$PATH\nRUN pip install --no-cache-dir -r requirements.txt\n\nFROM python:3.12-slim\nCOPY --from=build /opt/venv /opt/venv\nENV PATH=/opt/venv/bin:$PATH\nCOPY . .\nCMD ["python", "app.py"]',
      errors: [{ messageId: 'buildsInFinalImage', line: 3, data: { ecosystem: 'Python' } }],
    },
    {
      name: 'requirements on the full python image',
      code: 'FROM python:3.12\nCOPY . /app\nRUN pip install -r /app/requirements.txt\nCMD ["python", "/app/main.py"]',
      output: 'FROM python:3.12 AS build\nCOPY . /app\nRUN python -m venv /opt/venv\nENV PATH=/opt/venv/bin:$PATH\nRUN pip install -r /app/requirements.txt\n\nFROM python:3.12-slim\nCOPY . /app\nCOPY --from=build /opt/venv /opt/venv\nENV PATH=/opt/venv/bin:$PATH\nCMD ["python", "/app/main.py"]',
      errors: [{ messageId: 'buildsInFinalImage', line: 2 }],
    },
    {
      name: 'final stage copies from no builder',
      code: 'FROM alpine:3.20 AS config\nRUN echo ok > /ok\nFROM rust:1.79\nWORKDIR /app\nCOPY . .\nRUN cargo build --release --bin api\nCMD ["./target/release/api"]',
      output: 'FROM alpine:3.20 AS config\nRUN echo ok > /ok\nFROM rust:1.79 AS build\nWORKDIR /app\nCOPY . .\nRUN cargo build --release --bin api\n\nFROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/*\nWORKDIR /app\nCOPY --from=build /app/target/release/api /usr/local/bin/api\nCMD ["/usr/local/bin/api"]',
      errors: [{ messageId: 'buildsInFinalImage', line: 5, data: { ecosystem: 'Rust', step: 'cargo build' } }],
    },
    {
      name: 'make has no recipe: reported without a fix',
      code: 'FROM debian:bookworm\nRUN apt-get update && apt-get install -y build-essential && rm -rf /var/lib/apt/lists/*\nCOPY . /src\nRUN make -C /src install',
      output: null,
      errors: [{ messageId: 'buildsInFinalImage', line: 3, data: { ecosystem: 'native (make)', step: 'make' } }],
    },
  ],
};

export const rule: Rule = { meta, check, cases };
