/**
 * The "split into build and runtime stages" refactoring: rewrites one stage into a build stage (the
 * original base, toolchain and build steps) and a runtime stage on a slim base that copies only the
 * results. Pure: model in, one text edit out. Ecosystem specifics live in split/<ecosystem>.ts.
 *
 * Placement: the build stage keeps every instruction up to the last build step except run-time metadata;
 * the runtime stage walks the same instructions in order and keeps metadata, app files and start command,
 * so the user's order and comments survive. Where the result is uncertain a `# dockerfile-lean review:`
 * comment says what to check.
 */
import type { DockerfileModel, Instruction } from '../../model/types';
import type { TextEdit } from '../types';
import { lineBreakOf } from '../../text/edits';
import { parseAssignments } from '../../model/variables';
import { commandsOf } from './queries';
import { stageFacts } from './stage-facts';
import { textOf } from './edits';
import { buildStepsOf, type Ecosystem } from './stages';
import { isSystemManager } from './build-packages';
import { execFormLine, plainExecArgv, startInstructions } from './start-command';
import { reviewNote, reviewPrefix, type Recipe, type RecipePlan, type SplitInput } from './split/types';
import { pythonRecipe } from './split/python';
import { nodeRecipe } from './split/node';
import { goRecipe } from './split/go';
import { javaRecipe } from './split/java';
import { rustRecipe } from './split/rust';

const recipes: readonly Recipe[] = [pythonRecipe, nodeRecipe, goRecipe, javaRecipe, rustRecipe];

/** Instructions that only describe the running container: they belong to the runtime stage alone. */
const runtimeOnlyKeywords = new Set(['EXPOSE', 'CMD', 'ENTRYPOINT', 'LABEL', 'HEALTHCHECK', 'VOLUME', 'STOPSIGNAL', 'USER', 'MAINTAINER']);

/** ENV names that only steer a build (compilers, package managers): the runtime stage does not need them. */
const buildOnlyEnv = /^(CGO_ENABLED|GO(OS|ARCH|ARM|AMD64|FLAGS|PROXY|PRIVATE|NOSUMDB|CACHE|MODCACHE)|PIP_\w+|POETRY_\w+|UV_\w+|npm_config_\w+|NPM_CONFIG_\w+|YARN_\w+|CARGO_\w+|RUSTFLAGS|RUSTUP_\w+|MAVEN_\w+|GRADLE_\w+|DEBIAN_FRONTEND|CC|CXX|CFLAGS|CXXFLAGS|LDFLAGS|PKG_CONFIG_PATH)$/;

/** Commands that only set up users and directories: the runtime stage needs them for its USER. */
const setupCommands = new Set(['useradd', 'adduser', 'groupadd', 'addgroup', 'usermod', 'mkdir', 'chown', 'chmod']);

export interface SplitResult {
  ecosystem: Ecosystem;
  edit: TextEdit;
  /** The new text of the stage (both stages). */
  text: string;
  summary: string;
  runtimeImage: { text: string; expanded: string };
  /** True when the output carries review comments. */
  review: boolean;
  /** Instructions whose layers the runtime stage still carries (verbatim or as the recipe's copy). */
  keptInstructions: Instruction[];
  variant: string | null;
  variants: string[];
}

/** Splits a stage whose ecosystem has a recipe, or returns null. */
export function splitStage(model: DockerfileModel, stageIndex: number, ecosystem: Ecosystem, variant: string | null = null): SplitResult | null {
  const stage = model.stages[stageIndex];
  const recipe = recipes.find((r) => r.ecosystem === ecosystem);
  if (!stage || !recipe || stage.scratch || stage.baseStage !== null) return null;
  const steps = buildStepsOf(model, [stageIndex]).filter((s) => s.ecosystem === ecosystem);
  if (steps.length === 0) return null;
  const input: SplitInput = {
    model, stage, steps, variant,
    builderName: uniqueStageName(model, 'build'),
    lastStepIndex: Math.max(...steps.map((s) => s.instruction.index)),
    start: startInstructions(model, stageIndex),
    workdirAt: stageFacts(model).workdirAt,
    textOf: (instruction) => textOf(model, instruction.range),
  };
  const plan = recipe.plan(input);
  return plan ? render(input, plan, ecosystem) : null;
}

function render(input: SplitInput, plan: RecipePlan, ecosystem: Ecosystem): SplitResult {
  const { model, stage } = input;
  const eol = lineBreakOf(model.text);
  const flags = stage.fromInstruction.flags.map((f) => textOf(model, f.range)).join(' ');
  const fromPrefix = flags ? `FROM ${flags} ` : 'FROM ';
  const builder = [`${fromPrefix}${stage.from.raw} AS ${input.builderName}`];
  const runtime = [`${fromPrefix}${plan.runtimeImage.text}${stage.name ? ` AS ${stage.name}` : ''}`, ...(plan.runtimeStart ?? [])];
  const kept: Instruction[] = [...plan.carriedInstructions];
  let previousEnd = stage.fromInstruction.range.end.line;
  for (const instruction of stage.instructions) {
    const comments = model.lines.slice(previousEnd + 1, instruction.range.start.line).filter((l) => l.trim().startsWith('#'));
    previousEnd = instruction.range.end.line;
    const text = input.textOf(instruction);
    const inBuilder = !instruction.onbuild && instruction.index <= input.lastStepIndex && !runtimeOnlyKeywords.has(instruction.keyword);
    const runtimeLines = plan.runtime?.(instruction) ?? genericRuntime(input, plan, instruction, text);
    const verbatimInRuntime = runtimeLines.includes(text);
    if (verbatimInRuntime) kept.push(instruction);
    // The user's comments travel with the instruction: to the runtime stage when it is kept there as written.
    const commentsToRuntime = verbatimInRuntime || (!inBuilder && runtimeLines.length > 0);
    if (inBuilder) builder.push(...(plan.builderBefore?.(instruction) ?? []), ...(commentsToRuntime ? [] : comments), plan.builderText?.(instruction) ?? text);
    runtime.push(...(commentsToRuntime ? comments : []), ...runtimeLines);
  }
  runtime.push(...(plan.runtimeEnd?.() ?? []));
  const text = [...builder, '', ...runtime].join(eol);
  const range = { start: { line: stage.range.start.line, character: 0 }, end: stage.range.end };
  return {
    ecosystem, text, edit: { range, newText: text }, summary: plan.summary, runtimeImage: plan.runtimeImage,
    review: [...builder, ...runtime].some((l) => l.startsWith(reviewPrefix)), keptInstructions: kept,
    variant: input.variant, variants: plan.variants ?? [],
  };
}

/** Where an instruction goes in the runtime stage when the recipe has nothing special to say. */
function genericRuntime(input: SplitInput, plan: RecipePlan, instruction: Instruction, text: string): string[] {
  const line = instruction.range.start.line + 1;
  if (instruction.onbuild) return [text];
  switch (instruction.keyword) {
    case 'ENV':
      return runtimeEnv(instruction, text);
    case 'CMD': case 'ENTRYPOINT': {
      if (plan.runtimeHasShell || instruction.jsonForm) return [text];
      const argv = plainExecArgv({ instruction, argv: instruction.args.map((a) => a.value), shellForm: true });
      return argv ? [execFormLine(instruction.keyword, argv)] : [reviewNote(`${plan.runtimeImage.text} has no shell to run this shell-form ${instruction.keyword}: write it in exec form`), text];
    }
    case 'HEALTHCHECK':
      return plan.runtimeHasShell || instruction.args[0]?.value.toUpperCase() === 'NONE'
        ? [text]
        : [reviewNote(`${plan.runtimeImage.text} has no shell or tools: the health check's program must be in the image`), text];
    case 'RUN':
      return runtimeRun(input, plan, instruction, text, line);
    case 'COPY': case 'ADD':
      // Files from other stages or images, and heredoc files, do not come from the build context.
      if (instruction.copy?.from || instruction.heredocs.length > 0) return [text];
      return instruction.index > input.lastStepIndex ? [text] : [];
    default:
      return [text];
  }
}

function runtimeRun(input: SplitInput, plan: RecipePlan, run: Instruction, text: string, line: number): string[] {
  const commands = commandsOf(run);
  if (input.steps.some((s) => s.instruction === run)) return [];
  if (commands.length > 0 && commands.every((c) => isSystemManager(c.packageOp?.manager) || c.name === 'rm')) return [];
  if (commands.length > 0 && commands.every((c) => setupCommands.has(c.name))) return plan.runtimeHasShell ? [text] : [];
  if (run.index > input.lastStepIndex && plan.runtimeHasShell) return [text];
  const summary = commands.map((c) => c.name).filter((n, i, all) => all.indexOf(n) === i).join(', ') || 'RUN';
  return run.index > input.lastStepIndex
    ? [reviewNote(`${plan.runtimeImage.text} has no shell for the RUN at line ${line} (${summary}): do that work in the build stage and copy the result`)]
    : [reviewNote(`the RUN at line ${line} (${summary}) now runs only in the build stage: repeat it here if the running image needs what it did`)];
}

/** ENV in the runtime stage: build-only variables left out; the instruction kept as written when nothing is. */
function runtimeEnv(instruction: Instruction, text: string): string[] {
  const values = instruction.args.map((a) => a.value);
  const legacy = values.length > 0 && !values[0].includes('=');
  const names = parseAssignments(values, legacy).map(([name]) => name);
  const runtimeArgs = instruction.args.filter((_, i) => !buildOnlyEnv.test(names[i] ?? ''));
  if (runtimeArgs.length === instruction.args.length || (legacy && !buildOnlyEnv.test(names[0] ?? ''))) return [text];
  if (legacy || runtimeArgs.length === 0) return [];
  return [`ENV ${runtimeArgs.map((a) => a.value).join(' ')}`];
}

function uniqueStageName(model: DockerfileModel, wanted: string): string {
  const taken = new Set(model.stages.map((s) => s.name?.toLowerCase()));
  for (let n = 1; ; n++) {
    const name = n === 1 ? wanted : `${wanted}-${n}`;
    if (!taken.has(name)) return name;
  }
}
