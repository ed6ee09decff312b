/**
 * The `image` object of the CLI's `--format json` (a stable contract) and of the server's
 * `dockerfileLean/imageSummary` request: stages and layers with estimated bytes and confidence.
 * Fields may be added, never renamed or removed.
 */
import type { Report } from '../engine';
import type { Confidence, Figure } from '../sizing/figure';

export interface LayerJson {
  line: number;
  instruction: string;
  estimatedBytes: number | null;
  confidence: Confidence | null;
  source: Figure['source'] | null;
  explanation: string;
  metadataOnly: boolean;
}

export interface StageJson {
  index: number;
  name: string | null;
  from: string;
  line: number;
  ships: boolean;
  baseBytes: number | null;
  baseConfidence: Confidence | null;
  baseExplanation: string;
  estimatedBytes: number | null;
  confidence: Confidence | null;
  layers: LayerJson[];
}

export interface ImageJson {
  finalStage: number | null;
  estimatedBytes: number | null;
  confidence: Confidence | null;
  stages: StageJson[];
}

export function imageJson(report: Report): ImageJson {
  const { model, image } = report;
  return {
    finalStage: image.finalStage,
    estimatedBytes: image.total?.bytes ?? null,
    confidence: image.total?.confidence ?? null,
    stages: image.stages.map((stage) => {
      const modelStage = model.stages[stage.index];
      return {
        index: stage.index,
        name: modelStage?.name ?? null,
        from: modelStage?.from.expanded ?? '',
        line: modelStage?.fromInstruction.range.start.line ?? 0,
        ships: model.shippedStageIndexes.has(stage.index),
        baseBytes: stage.base.figure?.bytes ?? null,
        baseConfidence: stage.base.figure?.confidence ?? null,
        baseExplanation: stage.base.explanation,
        estimatedBytes: stage.total?.bytes ?? null,
        confidence: stage.total?.confidence ?? null,
        layers: stage.layers.map((layer) => ({
          line: layer.line,
          instruction: layer.keyword,
          estimatedBytes: layer.figure?.bytes ?? null,
          confidence: layer.figure?.confidence ?? null,
          source: layer.figure?.source ?? null,
          explanation: layer.explanation,
          metadataOnly: layer.metadataOnly,
        })),
      };
    }),
  };
}
