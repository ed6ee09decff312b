/**
 * One key object per stage that stays the same object from one analysis of a document to the next while
 * nothing the stage is made of changed: its lines (FROM to its last instruction, comments between
 * included), where they sit, whether lines follow it, what the model resolved in it (expanded arguments,
 * COPY --from, the base stage, FROM's image, the global ARGs it takes) and the file-wide facts that reach
 * into every stage (escape character, line break style). Later passes key their per-stage memos
 * on it: the size estimates (sizing/estimate.ts) and the rules that report stage by stage (rules/runner.ts).
 *
 * A key says nothing about other stages: whoever depends on another stage adds that stage's key or result.
 */
import type { DockerfileModel, Stage } from './types';
import { lineBreakOf } from '../text/edits';

export class StageKeys {
  private readonly entries = new TwoSlots<{ inputs: unknown[]; key: object }>();

  /** The keys of `model`'s stages, by stage index. */
  update(model: DockerfileModel): object[] {
    const fileWide = fileWideInputs(model);
    const keys: object[] = [];
    for (const stage of model.stages) {
      const inputs = stageInputs(model, stage, fileWide);
      const known = this.entries.find(stage.index, (entry) => sameValues(entry.inputs, inputs));
      if (known) {
        keys.push(known.key);
        continue;
      }
      const key = { stage: stage.index };
      this.entries.add(stage.index, { inputs, key });
      keys.push(key);
    }
    return keys;
  }
}

/**
 * The latest two values per stage index. Per-stage memos keep two so that undoing an edit finds what was
 * there before it: an edit that broke a heredoc or a FROM changes every stage after it, and so does its
 * undo. Nothing is dropped when the file has fewer stages for a while (it may get them back).
 */
export class TwoSlots<T> {
  private readonly slots: ([T] | [T, T] | undefined)[] = [];

  /** The value at `index` that `matches`, moved to the front. */
  find(index: number, matches: (value: T) => boolean): T | undefined {
    const slot = this.slots[index];
    if (!slot) return undefined;
    if (matches(slot[0])) return slot[0];
    if (slot.length === 2 && matches(slot[1])) {
      this.slots[index] = [slot[1], slot[0]];
      return slot[1];
    }
    return undefined;
  }

  /** Adds a value in front; the older of the two goes. */
  add(index: number, value: T): void {
    const slot = this.slots[index];
    this.slots[index] = slot ? [value, slot[0]] : [value];
  }
}

const chainRoot = {};
const chains = new WeakMap<object, WeakMap<object, object>>();

/**
 * Per stage, an object that stays the same while the stage and every stage it is built on (FROM, up the
 * chain) keep their keys: a memo key for facts about a whole stage chain. Interned in WeakMaps, so chains
 * go away with the keys they are made of.
 */
export function chainKeys(model: DockerfileModel, keys: readonly object[]): object[] {
  const out: object[] = [];
  for (const stage of model.stages) {
    const base = stage.baseStage !== null && stage.baseStage < stage.index ? out[stage.baseStage] : chainRoot;
    let byKey = chains.get(base);
    if (!byKey) {
      byKey = new WeakMap();
      chains.set(base, byKey);
    }
    let chain = byKey.get(keys[stage.index]);
    if (!chain) {
      chain = { chain: stage.index };
      byKey.set(keys[stage.index], chain);
    }
    out.push(chain);
  }
  return out;
}

/** Fresh keys (nothing reused), for analyses without a cache. */
export function freshStageKeys(model: DockerfileModel): object[] {
  return model.stages.map((stage) => ({ stage: stage.index }));
}

export function sameValues(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function fileWideInputs(model: DockerfileModel): unknown[] {
  return [model.escapeChar, lineBreakOf(model.text)];
}

function stageInputs(model: DockerfileModel, stage: Stage, fileWide: readonly unknown[]): unknown[] {
  const first = stage.range.start.line;
  const last = Math.min(model.lines.length - 1, stage.range.end.line);
  // Whether lines follow the stage: deleting its last instruction takes the line break before or after it.
  const inputs: unknown[] = [...fileWide, first, last, last + 1 < model.lines.length];
  for (let line = first; line <= last; line++) inputs.push(model.lines[line]);
  inputs.push(
    stage.name, stage.baseStage, stage.scratch, stage.platform,
    stage.fromInstruction.index, stage.from.expanded, stage.from.unresolved.length, ...stage.from.unresolved,
  );
  for (const instruction of stage.instructions) {
    inputs.push(instruction.index, instruction.args.length);
    for (const arg of instruction.args) inputs.push(arg.expanded);
    const copy = instruction.copy;
    if (copy) inputs.push(copy.from, copy.fromStage);
    // Global ARGs reach a stage through what they expand to (above, and FROM's image and platform) and
    // through an `ARG NAME` without a default, which takes the global value.
    if (instruction.keyword === 'ARG') {
      for (const arg of instruction.args) {
        if (!arg.value.includes('=')) inputs.push(arg.value, model.globalArgs.get(arg.value) ?? null);
      }
    }
  }
  return inputs;
}
