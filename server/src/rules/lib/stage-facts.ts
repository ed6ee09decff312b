/**
 * Per-instruction facts that depend on the whole stage chain (working directory, environment), computed
 * once per stage and shared by every question a rule asks. Walking the chain per RUN made rules
 * quadratic on long files and cubic on deep FROM chains. One value per model, shared by every rule and
 * stage that asks (a WeakMap: it goes away with the model, which is never changed after parsing).
 */
import type { DockerfileModel, Instruction } from '../../model/types';
import { parseAssignments, unquote } from '../../model/variables';
import { resolvePath } from './queries';

export interface StageFacts {
  readonly model: DockerfileModel;
  /** The working directory an instruction runs in: the WORKDIRs of its stage chain, resolved in order. */
  workdirAt(instruction: Instruction): string;
  /**
   * Environment seen by an instruction: ENV and ARG values set earlier in its stage and in the stages it is
   * built FROM. Shared between instructions that see the same values: do not modify it.
   */
  environmentAt(instruction: Instruction): ReadonlyMap<string, string>;
}

const noEnvironment: ReadonlyMap<string, string> = new Map();

const factsByModel = new WeakMap<DockerfileModel, StageFacts>();

export function stageFacts(model: DockerfileModel): StageFacts {
  let facts = factsByModel.get(model);
  if (!facts) {
    facts = computeStageFacts(model);
    factsByModel.set(model, facts);
  }
  return facts;
}

function computeStageFacts(model: DockerfileModel): StageFacts {
  const workdirs = new Map<number, { before: Map<number, string>; end: string }>();
  const environments = new Map<number, StageEnvironment>();

  /** Stages of the chain ending at `stageIndex` that have no entry in `memo` yet, nearest first. */
  const missingAncestors = (stageIndex: number, memo: Map<number, unknown>): number[] => {
    const missing: number[] = [];
    // A base stage always comes earlier in the file, so the walk ends; the bound guards a malformed model.
    for (let s: number | null = stageIndex; s !== null && s >= 0 && s < model.stages.length && !memo.has(s) && missing.length <= model.stages.length; s = model.stages[s].baseStage) missing.push(s);
    return missing;
  };

  const workdirTable = (stageIndex: number) => {
    const missing = missingAncestors(stageIndex, workdirs);
    for (let k = missing.length - 1; k >= 0; k--) {
      const stage = model.stages[missing[k]];
      let dir = stage.baseStage !== null ? workdirs.get(stage.baseStage)?.end ?? '/' : '/';
      const before = new Map<number, string>();
      for (const i of stage.instructions) {
        before.set(i.index, dir);
        if (!i.onbuild && i.keyword === 'WORKDIR' && i.args[0]) dir = resolvePath(dir, i.args[0].expanded);
      }
      workdirs.set(missing[k], { before, end: dir });
    }
    return workdirs.get(stageIndex);
  };

  const environmentOf = (stageIndex: number): StageEnvironment | undefined => {
    const missing = missingAncestors(stageIndex, environments);
    for (let k = missing.length - 1; k >= 0; k--) {
      const stage = model.stages[missing[k]];
      const base = stage.baseStage !== null ? environments.get(stage.baseStage) : undefined;
      environments.set(missing[k], new StageEnvironment(model, stage.instructions, base ? base.atEnd() : noEnvironment));
    }
    return environments.get(stageIndex);
  };

  return {
    model,
    workdirAt: (instruction) => workdirTable(instruction.stageIndex)?.before.get(instruction.index) ?? '/',
    environmentAt: (instruction) => environmentOf(instruction.stageIndex)?.before(instruction) ?? noEnvironment,
  };
}

/**
 * The environment through one stage, advanced lazily: a cursor applies ENV/ARG instructions in order and
 * copies the map only when one it handed out would change. Every instruction it passes keeps its answer,
 * so the rules, each asking in file order from the start, share one pass.
 */
class StageEnvironment {
  private current: Map<string, string>;
  private handedOut = true;
  private next = 0;
  private readonly answers = new Map<number, ReadonlyMap<string, string>>();

  constructor(private readonly model: DockerfileModel, private readonly instructions: readonly Instruction[], private readonly start: ReadonlyMap<string, string>) {
    this.current = start as Map<string, string>;
  }

  before(instruction: Instruction): ReadonlyMap<string, string> {
    const known = this.answers.get(instruction.index);
    if (known) return known;
    const position = this.instructions.indexOf(instruction, this.next);
    // Asked out of order: fold from the stage start (rare; keeps the answer right).
    const env = position < 0 ? this.fold(instruction.index) : this.advanceTo(position);
    this.answers.set(instruction.index, env);
    return env;
  }

  atEnd(): ReadonlyMap<string, string> {
    return this.advanceTo(this.instructions.length);
  }

  private advanceTo(position: number): ReadonlyMap<string, string> {
    for (; this.next < position; this.next++) {
      const i = this.instructions[this.next];
      if (!this.answers.has(i.index)) {
        this.answers.set(i.index, this.current);
        this.handedOut = true;
      }
      if (i.onbuild || (i.keyword !== 'ENV' && i.keyword !== 'ARG')) continue;
      if (this.handedOut) { this.current = new Map(this.current); this.handedOut = false; }
      applyAssignments(this.model, i, this.current);
    }
    this.handedOut = true;
    return this.current;
  }

  private fold(index: number): ReadonlyMap<string, string> {
    const env = new Map(this.start);
    for (const i of this.instructions) {
      if (i.index >= index) break;
      if (!i.onbuild && (i.keyword === 'ENV' || i.keyword === 'ARG')) applyAssignments(this.model, i, env);
    }
    return env;
  }
}

function applyAssignments(model: DockerfileModel, i: Instruction, env: Map<string, string>): void {
  const values = i.args.map((a) => a.expanded);
  const legacy = i.keyword === 'ENV' && values.length > 0 && !values[0].includes('=');
  for (const [key, value] of parseAssignments(values, legacy)) {
    if (value !== null) env.set(key, unquote(value));
    else if (i.keyword === 'ARG' && model.globalArgs.get(key)) env.set(key, model.globalArgs.get(key) as string);
  }
}
