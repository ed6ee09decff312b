/**
 * A command sizer sizes the commands of one kind in a RUN (apt installs, pip installs, `go build`…).
 * `run-layer.ts` hands each command to the first sizer that claims it; a command nobody claims makes the
 * layer unknown. Sizers never guess silently: what they cannot size they list in `unsized`, which turns
 * the whole layer into "unknown" with that reason.
 */
import type { DockerfileModel, Instruction, Stage } from '../../model/types';
import type { ShellCommand } from '../../shell/types';
import type { EngineEnv } from '../../engine-env';
import type { Figure, Confidence } from '../figure';
import type { AptContext } from '../apt-layer';
import type { BaseEstimate } from '../types';

export interface LayerPart {
  label: string;
  figure: Figure;
  /** The one file this part is, when it is one (a later chmod or touch copies up just that file). */
  path?: string;
}

/** What an earlier layer of the stage wrote at a path: its figure, or null when that layer's size is unknown. */
export type EarlierWriter = (path: string) => { figure: Figure | null; line: number } | undefined;

export interface RunSizingContext {
  model: DockerfileModel;
  stage: Stage;
  instruction: Instruction;
  /** Every command of the RUN, in order (sizers look at neighbours, e.g. a cleanup after an install). */
  commands: readonly ShellCommand[];
  /** The stage's base as estimated (os, release, reference), for sizers that depend on the image. */
  base: BaseEstimate;
  /** Debian package data and the stage's installed set; null when the base is not Debian-family or unknown. */
  apt: AptContext | null;
  env: EngineEnv;
  earlierWriter: EarlierWriter;
}

export interface SizerResult {
  parts: LayerPart[];
  /** Short descriptions of what could not be sized; any entry makes the layer's figure unknown. */
  unsized: string[];
  /** Extra words for the layer's explanation (e.g. packages the index does not know). */
  notes?: string[];
  /** Caps the layer's confidence (e.g. low when some package names were unknown). */
  confidenceCap?: Confidence;
}

export interface CommandSizer {
  /** Short name, used in the layer's note ("apt", "pip"…). */
  name: string;
  claims(command: ShellCommand, context: RunSizingContext): boolean;
  /** Sizes the claimed commands, given in RUN order; called once per RUN when any command was claimed. */
  size(claimed: readonly ShellCommand[], context: RunSizingContext): SizerResult;
}
