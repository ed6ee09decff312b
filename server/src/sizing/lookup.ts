import type { Figure } from './figure';
import type { ImageEstimate, LayerEstimate, StageEstimate } from './types';

export function layerOf(estimate: ImageEstimate, instructionIndex: number): LayerEstimate | null {
  return estimate.layersByInstruction.get(instructionIndex) ?? null;
}

export function indexLayers(stages: readonly StageEstimate[]): Map<number, LayerEstimate> {
  const index = new Map<number, LayerEstimate>();
  for (const stage of stages) for (const layer of stage.layers) index.set(layer.instructionIndex, layer);
  return index;
}

/** A named part of a layer's estimate ("apt lists", "pip cache", "recommended packages"…), or null. */
export function layerPart(estimate: ImageEstimate, instructionIndex: number, label: string): Figure | null {
  return layerOf(estimate, instructionIndex)?.parts.find((p) => p.label === label)?.figure ?? null;
}

/** The estimate of a file that was not analysed (skipped, or an internal error). */
export function emptyImageEstimate(finalStage: number | null = null): ImageEstimate {
  return { stages: [], layersByInstruction: new Map(), finalStage, total: null };
}
