import type { Figure } from './figure';
import type { ImageEstimate, LayerEstimate } from './types';

export function layerOf(estimate: ImageEstimate, instructionIndex: number): LayerEstimate | null {
  for (const stage of estimate.stages) {
    const layer = stage.layers.find((l) => l.instructionIndex === instructionIndex);
    if (layer) return layer;
  }
  return null;
}

/** A named part of a layer's estimate ("apt lists", "pip cache", "recommended packages"…), or null. */
export function layerPart(estimate: ImageEstimate, instructionIndex: number, label: string): Figure | null {
  return layerOf(estimate, instructionIndex)?.parts.find((p) => p.label === label)?.figure ?? null;
}
