import type { Figure } from './figure';

/** The estimate of one instruction's layer: what it adds to the image, and why we think so. */
export interface LayerEstimate {
  instructionIndex: number;
  line: number;
  keyword: string;
  /** Null when the instruction makes no layer we can estimate (e.g. an unknown script). */
  figure: Figure | null;
  /** One line for hovers and inline hints: what the figure is made of. */
  explanation: string;
  /** The parts that add up to the figure (package closure, apt lists, pip cache…), biggest first. */
  parts: { label: string; figure: Figure; path?: string }[];
  /** True for instructions that make no filesystem layer (ENV, CMD, WORKDIR…). */
  metadataOnly: boolean;
}

export interface BaseEstimate {
  /** The reference as resolved, e.g. python:3.12-slim, or `stage build`. */
  reference: string;
  figure: Figure | null;
  match: 'exact' | 'family' | 'unknown' | 'scratch' | 'stage';
  explanation: string;
  /** Smaller variants of the same image, for hovers and large-base-image. */
  smallerVariants: { reference: string; figure: Figure; savedBytes: number }[];
  os: string | null;
  osRelease: string | null;
}

export interface StageEstimate {
  index: number;
  base: BaseEstimate;
  layers: LayerEstimate[];
  /** Base plus layers; null when the base is unknown. */
  total: Figure | null;
  /** Layers only (what this stage's instructions add). */
  added: Figure;
}

export interface ImageEstimate {
  stages: StageEstimate[];
  /** Every layer by its instruction index, for O(1) lookups from rules and hovers. */
  layersByInstruction: ReadonlyMap<number, LayerEstimate>;
  finalStage: number | null;
  /** The final stage's total. */
  total: Figure | null;
}
