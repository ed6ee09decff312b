/**
 * Per-stage, per-layer size estimates. Every figure carries its source and confidence; where nothing
 * supports a number the figure is null and the explanation says why.
 */
import type { DockerfileModel, Instruction, Stage } from '../model/types';
import type { EngineEnv } from '../engine-env';
import type { BaseEstimate, ImageEstimate, LayerEstimate, StageEstimate } from './types';
import { sumFigures, type Figure } from './figure';
import { estimateCopy } from './copy-layer';
import { estimateRun, type EarlierWriter } from './run-layer';
import { isBaseImageData, resolveBaseImage } from './base-images';
import { DebianIndex } from './debian';
import type { AptContext } from './apt-layer';
import { indexLayers } from './lookup';
import { stageFacts } from '../rules/lib/stage-facts';
import { TwoSlots } from '../model/stage-keys';
import { otherPlatform, platformNote } from './platform';

/** Instructions that change only image metadata, not the filesystem (buildah/BuildKit make no layer). */
const metadataKeywords = new Set(['ENV', 'ARG', 'LABEL', 'EXPOSE', 'CMD', 'ENTRYPOINT', 'USER', 'WORKDIR', 'VOLUME', 'STOPSIGNAL', 'HEALTHCHECK', 'SHELL', 'ONBUILD', 'MAINTAINER']);

/** What a stage hands to stages built FROM it, besides its size. */
interface StageState {
  estimate: StageEstimate;
  apt: AptContext | null;
  /** What COPY --from reads of this stage, as text (copySignature); worked out when first asked. */
  copied?: string;
}

/**
 * The stage estimates of a document's previous analysis, reused while a stage's inputs are unchanged: a
 * keystroke touches one stage, and re-sizing every apt install of the file on each one was most of an
 * edit's cost. Owned by the caller (one per open document), like the parse cache.
 *
 * A stage's estimate may depend only on what `stageInputs` lists: the stage's key (model/stage-keys.ts:
 * its lines, what the model resolved in them, file-wide facts), the states of the stages it builds on or
 * copies from (by identity: a stage estimated again is a new object, so what builds on it is estimated again),
 * the build context (by identity), the platform, and what it read from the data packs (asked again and
 * compared by identity). A sizer that reads anything else must add it there; the incremental-equals-fresh
 * fuzz test is the check.
 */
export class SizingMemo {
  private readonly entries = new TwoSlots<MemoEntry>();
  /** Stages estimated (not reused) by the latest call, for tests and benchmarks. */
  estimatedStages = 0;

  /** Stages whose layers were reused while their base moved (only base and totals worked out again). */
  relaidStages = 0;

  /** @internal */ lookup(index: number, inputs: readonly unknown[], env: EngineEnv): StageState | null {
    const entry = this.entries.find(index, (e) => sameInputs(e.inputs, inputs) && readsHold(e.reads, env));
    return entry ? entry.state : null;
  }

  /** @internal The previous estimate of the stage's layers, when they were made from these inputs and still hold. */
  layersFor(index: number, inputs: readonly unknown[], startApt: AptContext | null, env: EngineEnv): { layers: LayerEstimate[]; endApt: AptContext | null; reads: DataRead[] } | null {
    const entry = this.entries.find(index, (e) => sameInputs(e.layers.inputs, inputs) && sameApt(e.layers.startApt, startApt) && readsHold(e.reads, env));
    return entry ? { layers: entry.layers.layers, endApt: entry.layers.endApt, reads: entry.reads } : null;
  }

  /** @internal */ store(index: number, inputs: unknown[], reads: DataRead[], state: StageState, layers: LayersMade): void {
    this.entries.add(index, { inputs, reads, state, layers });
  }
}

interface MemoEntry { inputs: unknown[]; reads: DataRead[]; state: StageState; layers: LayersMade }
/** What a stage's layers were estimated from (besides the data reads), to reuse them when only the base's total moved. */
interface LayersMade { inputs: unknown[]; startApt: AptContext | null; layers: LayerEstimate[]; endApt: AptContext | null }

/** The data packs still give the same objects for every call the stage made. */
function readsHold(reads: readonly DataRead[], env: EngineEnv): boolean {
  for (const read of reads) {
    const member: unknown = env.data ? Reflect.get(env.data, read.method, env.data) : undefined;
    // An optional pack method the packs did not offer then (read.args null) must still be missing now.
    if (read.args === null) { if (member !== undefined) return false; continue; }
    if (typeof member !== 'function' || member.apply(env.data, read.args) !== read.value) return false;
  }
  return true;
}

/** Field by field (sets by their members), so a field added to AptContext is compared too. */
function sameApt(a: AptContext | null, b: AptContext | null): boolean {
  if (a === null || b === null) return a === b;
  const keys = Object.keys(a) as (keyof AptContext)[];
  if (keys.length !== Object.keys(b).length) return false;
  for (const key of keys) {
    const x: unknown = a[key];
    const y: unknown = b[key];
    if (x instanceof Set && y instanceof Set) {
      if (x.size !== y.size) return false;
      for (const member of x) if (!y.has(member)) return false;
    } else if (x !== y) {
      return false;
    }
  }
  return true;
}

function copyApt(apt: AptContext | null): AptContext | null {
  return apt ? { ...apt, installed: new Set(apt.installed) } : null;
}

/**
 * What a COPY --from of a stage reads of it (sizing/copy-layer.ts): its name, total and layer estimates,
 * and the words of the commands behind each layer — as text, compared by value, so an edit there that
 * changes none of it (a USER, a LABEL, a flag) leaves the stages copying from it with their layers.
 */
function copySignature(model: DockerfileModel, stageIndex: number, state: StageState | undefined): string | null {
  if (!state) return null;
  state.copied ??= JSON.stringify([
    model.stages[stageIndex]?.name ?? null, state.estimate.total,
    state.estimate.layers.map((layer) => {
      // Metadata instructions write nothing, so COPY --from never attributes a path to them.
      const producer = layer.metadataOnly ? undefined : model.instructions[layer.instructionIndex];
      const words = producer?.shell?.commands.map((c) => [c.argv.map((w) => w.value), c.writes.map((w) => w.value)]) ?? producer?.args.map((a) => a.expanded) ?? null;
      return [layer, words];
    }),
  ]);
  return state.copied;
}

/**
 * What a stage's layers are estimated from besides its own text (the key) and the data reads: the base's
 * identity as sizers see it (reference, OS and release, not its size), the environment and working
 * directory the stage starts with (set by the stages it is built on), what COPY --from reads of the stages
 * it copies from, the build context and the platform. The apt state it starts with is compared separately, by value.
 */
function layerInputs(model: DockerfileModel, stage: Stage, keys: readonly object[], base: BaseEstimate, states: readonly StageState[], env: EngineEnv): unknown[] {
  const inputs: unknown[] = [keys[stage.index], env.data !== null, env.context, env.platform ?? null, base.reference, base.match, base.os, base.osRelease, base.explanation];
  const first = stage.instructions[0];
  if (first) {
    const facts = stageFacts(model);
    const startEnv = facts.environmentAt(first);
    inputs.push(facts.workdirAt(first), startEnv.size);
    for (const [name, value] of startEnv) inputs.push(name, value);
  }
  for (const instruction of stage.instructions) {
    const from = instruction.copy?.fromStage;
    if (from !== undefined && from !== null) inputs.push(copySignature(model, from, states[from]));
  }
  return inputs;
}
/** One call on the data packs and what it returned; `args` null: an optional method that was missing. */
interface DataRead { method: string | symbol; args: unknown[] | null; value: unknown }

function sameInputs(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Everything a stage's estimate depends on, as values compared with ===; see SizingMemo. */
function stageInputs(stage: Stage, key: object, states: readonly StageState[], env: EngineEnv): unknown[] {
  const inputs: unknown[] = [key, env.data !== null, env.context, env.platform ?? null, stage.baseStage !== null ? states[stage.baseStage] : null];
  for (const instruction of stage.instructions) {
    const from = instruction.copy?.fromStage;
    if (from !== undefined && from !== null) inputs.push(states[from] ?? null);
  }
  return inputs;
}

/**
 * The data packs as the stage sees them, noting every call (whatever packs the interface offers) so a
 * reuse can ask again and check the answers are still the same objects.
 */
function recordingEnv(env: EngineEnv, reads: DataRead[]): EngineEnv {
  const data = env.data;
  if (!data) return env;
  const recorder = new Proxy(data, {
    get(target, key) {
      const member: unknown = Reflect.get(target, key, target);
      if (member === undefined) reads.push({ method: key, args: null, value: undefined });
      if (typeof member !== 'function') return member;
      return (...args: unknown[]) => {
        const value: unknown = member.apply(target, args);
        reads.push({ method: key, args, value });
        return value;
      };
    },
  });
  return { ...env, data: recorder };
}

/** `memo` with `keys` (one per stage, see model/stage-keys.ts) reuses the estimates of unchanged stages. */
export function estimateImage(model: DockerfileModel, env: EngineEnv, memo?: { sizing: SizingMemo; keys: readonly object[] }): ImageEstimate {
  const states: StageState[] = [];
  // Grown alongside `states`: copying the earlier estimates per stage was quadratic in stages.
  const stages: StageEstimate[] = [];
  const sizing = memo?.sizing;
  if (sizing) {
    sizing.estimatedStages = 0;
    sizing.relaidStages = 0;
  }
  for (const stage of model.stages) {
    let state: StageState | null = null;
    if (memo && sizing) {
      const inputs = stageInputs(stage, memo.keys[stage.index], states, env);
      state = sizing.lookup(stage.index, inputs, env);
      if (!state) {
        // No early cut-off (keeping the old state when the new estimate is equal): the stages built on or
        // copying from this one read more of it than its estimate (sizers ask for the environment and the
        // working directory of the base chain; COPY --from looks at the commands that wrote a path). But
        // when only the base's size moved (an edit in a stage this one is built on), the layers are kept
        // and only the base and the totals are worked out again.
        const reads: DataRead[] = [];
        const recording = recordingEnv(env, reads);
        const { base, apt } = estimateBase(stage, states, recording);
        const madeFrom = layerInputs(model, stage, memo.keys, base, states, env);
        const kept = sizing.layersFor(stage.index, madeFrom, apt, env);
        let made: LayersMade;
        if (kept) {
          for (const read of kept.reads) reads.push(read);
          made = { inputs: madeFrom, startApt: copyApt(apt), layers: kept.layers, endApt: kept.endApt };
          sizing.relaidStages++;
        } else {
          const startApt = copyApt(apt);
          made = { inputs: madeFrom, startApt, layers: estimateLayers(model, stage, stages, recording, base, apt), endApt: apt };
        }
        state = stageState(stage, base, made.layers, made.endApt);
        sizing.store(stage.index, inputs, reads, state, made);
        sizing.estimatedStages++;
      }
    } else {
      state = estimateStage(model, stage, states, stages, env);
    }
    states.push(state);
    stages.push(state.estimate);
  }
  const finalStage = model.finalStageIndex;
  return { stages, layersByInstruction: indexLayers(stages), finalStage, total: finalStage !== null ? stages[finalStage]?.total ?? null : null };
}

function estimateStage(model: DockerfileModel, stage: Stage, earlier: StageState[], earlierEstimates: readonly StageEstimate[], env: EngineEnv): StageState {
  const { base, apt } = estimateBase(stage, earlier, env);
  return stageState(stage, base, estimateLayers(model, stage, earlierEstimates, env, base, apt), apt);
}

/** The stage's layers in order; `apt` is updated as installs happen. */
function estimateLayers(model: DockerfileModel, stage: Stage, earlierEstimates: readonly StageEstimate[], env: EngineEnv, base: BaseEstimate, apt: AptContext | null): LayerEstimate[] {
  const layers: LayerEstimate[] = [];
  for (const instruction of stage.instructions) {
    if (!instruction.onbuild) layers.push(estimateLayer(model, stage, instruction, env, earlierEstimates, base, apt, writerIn(model, layers)));
  }
  return layers;
}

/** A stage's estimate from its base and layers: what it adds and, when the base and every layer are known, its total. */
function stageState(stage: Stage, base: BaseEstimate, layers: LayerEstimate[], apt: AptContext | null): StageState {
  const known = layers.filter((l) => l.figure !== null).map((l) => l.figure as Figure);
  const added = sumFigures(known, 'what this stage adds');
  const unknownLayers = layers.some((l) => l.figure === null);
  const total = base.figure && !unknownLayers ? sumFigures([base.figure, added], 'base plus layers') : null;
  return { estimate: { index: stage.index, base, layers, total, added }, apt };
}

function estimateBase(stage: Stage, earlier: StageState[], env: EngineEnv): { base: BaseEstimate; apt: AptContext | null } {
  if (stage.baseStage !== null) {
    const parent = earlier[stage.baseStage];
    const apt = parent?.apt ? { ...parent.apt, installed: new Set(parent.apt.installed) } : null;
    return {
      base: {
        reference: `stage ${stage.from.expanded}`, figure: parent?.estimate.total ?? null, match: 'stage',
        explanation: `built on stage '${stage.from.expanded}'`, smallerVariants: [], os: parent?.estimate.base.os ?? null, osRelease: parent?.estimate.base.osRelease ?? null,
      },
      apt,
    };
  }
  if (stage.scratch) {
    return { base: { reference: 'scratch', figure: { bytes: 0, source: 'image-manifest', confidence: 'high', note: 'scratch is empty' }, match: 'scratch', explanation: 'scratch is an empty image', smallerVariants: [], os: null, osRelease: null }, apt: null };
  }
  const data = env.data?.baseImages();
  if (!isBaseImageData(data)) {
    return { base: { reference: stage.from.expanded, figure: null, match: 'unknown', explanation: 'no base image data loaded', smallerVariants: [], os: null, osRelease: null }, apt: null };
  }
  if (stage.from.unresolved.length > 0) {
    return { base: { reference: stage.from.expanded, figure: null, match: 'unknown', explanation: `depends on build arg${stage.from.unresolved.length > 1 ? 's' : ''} ${stage.from.unresolved.join(', ')} with no default`, smallerVariants: [], os: null, osRelease: null }, apt: null };
  }
  const match = resolveBaseImage(stage.from, data);
  const platform = otherPlatform(stage.platform ?? env.platform);
  const base: BaseEstimate = {
    reference: stage.from.expanded, match: match.match, smallerVariants: match.smallerVariants, os: match.os, osRelease: match.osRelease,
    figure: platform && match.figure ? { ...match.figure, confidence: 'low', note: `${match.figure.note ? `${match.figure.note}; ` : ''}${platformNote(platform)}` } : match.figure,
    explanation: platform ? `${match.explanation} — ${platformNote(platform)}` : match.explanation,
  };
  const apt = aptContextFor(match, env);
  return { base, apt: apt && platform ? { ...apt, confidence: 'low' } : apt };
}

/** Debian-family bases get apt sizing; Ubuntu borrows Debian's data at lower confidence. */
function aptContextFor(match: ReturnType<typeof resolveBaseImage>, env: EngineEnv): AptContext | null {
  if (!match.entry || (match.os !== 'debian' && match.os !== 'ubuntu')) return null;
  const release = match.os === 'debian' && match.osRelease ? match.osRelease : 'bookworm';
  const loaded = env.data?.debian(release);
  if (!(loaded instanceof DebianIndex)) return null;
  const knownList = match.installedPackages;
  const installed = new Set(knownList ?? loaded.essentialPackages());
  const slim = /slim/.test(match.entry.tag) || /slim/.test(match.entry.resolvedTag);
  const confidence = match.os === 'ubuntu' ? 'low' : knownList ? 'medium' : 'low';
  // Official full language images (python:3.12, node:22, golang…) sit on buildpack-deps: compilers and
  // -dev packages are already there, so without their package list an install is only an upper bound.
  const upperBoundOnly = !knownList && !slim && match.entry.repository !== 'debian';
  return { index: loaded, installed, slim, confidence, release, upperBoundOnly };
}

/** Finds the latest earlier layer of the stage that wrote a path: a redirect target, an argument, or a COPY destination. */
function writerIn(model: DockerfileModel, layers: readonly LayerEstimate[]): EarlierWriter {
  return (path) => {
    for (let i = layers.length - 1; i >= 0; i--) {
      // A part that is exactly this file (written by dd, a go binary…) gives its own size, not the layer's.
      const part = layers[i].parts.find((p) => p.path === path);
      if (part) return { figure: part.figure, line: layers[i].line };
      const instruction = model.instructions[layers[i].instructionIndex];
      const commands = instruction.shell?.commands ?? [];
      const wrote = commands.some((c) => c.writes.some((w) => w.value === path) || c.argv.slice(1).some((w) => w.value === path))
        || (instruction.copy?.destination?.expanded === path);
      if (wrote) return { figure: layers[i].figure, line: layers[i].line };
    }
    return undefined;
  };
}

function estimateLayer(model: DockerfileModel, stage: Stage, instruction: Instruction, env: EngineEnv, earlier: readonly StageEstimate[], base: BaseEstimate, apt: AptContext | null, earlierWriter: EarlierWriter): LayerEstimate {
  const line = instruction.range.start.line;
  if (metadataKeywords.has(instruction.keyword)) {
    return {
      instructionIndex: instruction.index, line, keyword: instruction.keyword, metadataOnly: true, parts: [],
      figure: { bytes: 0, source: 'derived', confidence: 'high', note: 'metadata only: no filesystem layer' },
      explanation: 'metadata only: adds no bytes',
    };
  }
  const layer = { instructionIndex: instruction.index, line, keyword: instruction.keyword, metadataOnly: false };
  if (instruction.keyword === 'COPY' || instruction.keyword === 'ADD') return { ...layer, ...estimateCopy(model, instruction, env.context, earlier) };
  if (instruction.keyword === 'RUN') {
    const commands = instruction.shell?.commands ?? [];
    return { ...layer, ...estimateRun({ model, stage, instruction, commands, base, apt, env, earlierWriter }) };
  }
  return { ...layer, parts: [], figure: null, explanation: `unknown instruction ${instruction.keyword}` };
}
