/**
 * Per-stage, per-layer size estimates. Every figure carries its source and confidence; where nothing
 * supports a number the figure is null and the explanation says why.
 */
import type { DockerfileModel, Instruction, Stage } from '../model/types';
import type { EngineEnv } from '../engine-env';
import type { BaseEstimate, ImageEstimate, LayerEstimate, StageEstimate } from './types';
import { sumFigures, type Figure } from './figure';
import { estimateCopy } from './copy-layer';
import { estimateRun } from './run-layer';

/** Instructions that change only image metadata, not the filesystem (buildah/BuildKit make no layer). */
const metadataKeywords = new Set(['ENV', 'ARG', 'LABEL', 'EXPOSE', 'CMD', 'ENTRYPOINT', 'USER', 'WORKDIR', 'VOLUME', 'STOPSIGNAL', 'HEALTHCHECK', 'SHELL', 'ONBUILD', 'MAINTAINER']);

export function estimateImage(model: DockerfileModel, env: EngineEnv): ImageEstimate {
  const stages: StageEstimate[] = [];
  for (const stage of model.stages) stages.push(estimateStage(model, stage, stages, env));
  const finalStage = model.finalStageIndex;
  return { stages, finalStage, total: finalStage !== null ? stages[finalStage]?.total ?? null : null };
}

function estimateStage(model: DockerfileModel, stage: Stage, earlier: StageEstimate[], env: EngineEnv): StageEstimate {
  const base = estimateBase(stage, earlier, env);
  const layers = stage.instructions.filter((i) => !i.onbuild).map((i) => estimateLayer(model, i, env, earlier));
  const known = layers.filter((l) => l.figure !== null).map((l) => l.figure as Figure);
  const added = sumFigures(known, 'what this stage adds');
  const unknownLayers = layers.some((l) => l.figure === null);
  const total = base.figure && !unknownLayers ? sumFigures([base.figure, added], 'base plus layers') : null;
  return { index: stage.index, base, layers, total, added };
}

function estimateBase(stage: Stage, earlier: StageEstimate[], _env: EngineEnv): BaseEstimate {
  if (stage.baseStage !== null) {
    const parent = earlier[stage.baseStage];
    return {
      reference: `stage ${stage.from.expanded}`, figure: parent?.total ?? null, match: 'stage',
      explanation: `built on stage '${stage.from.expanded}'`, smallerVariants: [], os: parent?.base.os ?? null, osRelease: parent?.base.osRelease ?? null,
    };
  }
  if (stage.scratch) {
    return { reference: 'scratch', figure: { bytes: 0, source: 'image-manifest', confidence: 'high', note: 'scratch is empty' }, match: 'scratch', explanation: 'scratch is an empty image', smallerVariants: [], os: null, osRelease: null };
  }
  return { reference: stage.from.expanded, figure: null, match: 'unknown', explanation: 'no size data for this image', smallerVariants: [], os: null, osRelease: null };
}

function estimateLayer(model: DockerfileModel, instruction: Instruction, env: EngineEnv, earlier: readonly StageEstimate[]): LayerEstimate {
  const line = instruction.range.start.line;
  if (metadataKeywords.has(instruction.keyword)) {
    return {
      instructionIndex: instruction.index, line, keyword: instruction.keyword, metadataOnly: true, parts: [],
      figure: { bytes: 0, source: 'derived', confidence: 'high', note: 'metadata only: no filesystem layer' },
      explanation: 'metadata only: adds no bytes',
    };
  }
  const base = { instructionIndex: instruction.index, line, keyword: instruction.keyword, metadataOnly: false };
  if (instruction.keyword === 'COPY' || instruction.keyword === 'ADD') return { ...base, ...estimateCopy(model, instruction, env.context, earlier) };
  if (instruction.keyword === 'RUN') return { ...base, ...estimateRun(instruction) };
  return { ...base, parts: [], figure: null, explanation: `unknown instruction ${instruction.keyword}` };
}
