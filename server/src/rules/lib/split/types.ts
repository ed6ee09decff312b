/**
 * The contract between the generic split (split-stages.ts) and one recipe per ecosystem. The generic part
 * walks the stage's instructions and places each in the build stage, the runtime stage, or both; a recipe
 * only says what differs for its ecosystem.
 */
import type { DockerfileModel, Instruction, Stage } from '../../../model/types';
import type { BuildStep, Ecosystem } from '../stages';
import type { StartInstruction } from '../start-command';

export interface SplitInput {
  model: DockerfileModel;
  stage: Stage;
  /** This ecosystem's steps in the stage, in file order. */
  steps: BuildStep[];
  /** Name of the new build stage (unique in the file). */
  builderName: string;
  /** Index of the last instruction with a step: the build stage stops there. */
  lastStepIndex: number;
  /** The stage's effective ENTRYPOINT/CMD. */
  start: StartInstruction[];
  workdirAt(instruction: Instruction): string;
  /** The instruction's text as written (continuation lines and heredocs included). */
  textOf(instruction: Instruction): string;
  /** Which variant of the runtime to produce, when a recipe offers several (Go: distroless or scratch). */
  variant: string | null;
}

export interface RecipePlan {
  /** For the fix title: "Go: static binary on distroless". */
  summary: string;
  /** The runtime FROM reference as written (may keep `${VAR}`), and as expanded for size look-ups. */
  runtimeImage: { text: string; expanded: string };
  runtimeHasShell: boolean;
  /** Lines the build stage gets right before an instruction (venv creation, ENV CGO_ENABLED=0). */
  builderBefore?(instruction: Instruction): string[];
  /** The instruction's text in the build stage when the recipe changes it (go build -o). */
  builderText?(instruction: Instruction): string | undefined;
  /** The lines that replace an instruction in the runtime stage; undefined leaves it to the generic rules. */
  runtime?(instruction: Instruction): string[] | undefined;
  /** Lines right after the runtime FROM. */
  runtimeStart?: string[];
  /** Lines at the end of the runtime stage (an ENTRYPOINT the original lacked). */
  runtimeEnd?(): string[];
  /** Layers whose bytes the runtime still carries (the venv's pip installs), for the saving estimate. */
  carriedInstructions: Instruction[];
  /** Other variants of this recipe, offered as further fixes. */
  variants?: string[];
}

export interface Recipe {
  ecosystem: Ecosystem;
  /** Null when this recipe cannot split the stage. */
  plan(input: SplitInput): RecipePlan | null;
}

/** Comments the split leaves where the user has to check the result; their presence makes the fix "(review)". */
export const reviewPrefix = '# dockerfile-lean review: ';

export function reviewNote(text: string): string {
  return reviewPrefix + text;
}
