/**
 * Multi-stage questions: is a build single-stage, does a stage take anything from a builder, which
 * ecosystem's build runs in it, and which steps install, compile or bundle.
 */
import type { DockerfileModel, ImageRef, Instruction } from '../../model/types';
import type { ShellCommand } from '../../shell/types';
import { commandsOf, runsOfStages, stageChain } from './queries';
import { buildToolsInstalled } from './build-packages';

export type Ecosystem = 'python' | 'node' | 'go' | 'java' | 'rust' | 'native';

export const ecosystemLabels: Record<Ecosystem, string> = {
  python: 'Python', node: 'Node.js', go: 'Go', java: 'Java', rust: 'Rust', native: 'native (make)',
};

/** `install` fetches dependencies; `build` compiles or bundles. */
export interface BuildStep {
  ecosystem: Ecosystem;
  kind: 'install' | 'build';
  instruction: Instruction;
  command: ShellCommand;
}

export function isSingleStage(model: DockerfileModel): boolean {
  return model.stages.length === 1;
}

/** True when a stage (or a stage it is built FROM) copies or mounts files from another stage. */
export function takesFromOtherStage(model: DockerfileModel, stageIndex: number): boolean {
  const chain = stageChain(model, stageIndex);
  return model.edges.some((e) => e.kind !== 'from' && chain.includes(e.to) && !chain.includes(e.from));
}

/** The ecosystem step a command is, if any: dependency installs and compile/bundle steps. */
export function buildStepOf(command: ShellCommand): Pick<BuildStep, 'ecosystem' | 'kind'> | null {
  const op = command.packageOp;
  if (command.name === 'make' || (command.name === 'cmake' && command.argv.some((w) => w.value === '--build'))) return { ecosystem: 'native', kind: 'build' };
  if (!op) return null;
  switch (op.manager) {
    case 'pip': case 'uv': case 'poetry':
      return op.verb === 'install' ? { ecosystem: 'python', kind: 'install' } : null;
    case 'npm': case 'yarn': case 'pnpm':
      return op.verb === 'build' ? { ecosystem: 'node', kind: 'build' } : op.verb === 'install' && op.packages.length === 0 ? { ecosystem: 'node', kind: 'install' } : null;
    case 'go':
      return op.verb === 'build' ? { ecosystem: 'go', kind: 'build' } : op.verb === 'install' ? { ecosystem: 'go', kind: 'install' } : null;
    case 'mvn': case 'gradle':
      return op.verb === 'build' ? { ecosystem: 'java', kind: 'build' } : op.verb === 'install' ? { ecosystem: 'java', kind: 'install' } : null;
    case 'cargo':
      if (op.verb === 'build') return { ecosystem: 'rust', kind: 'build' };
      // `cargo install --path .` compiles the project; `cargo fetch` only downloads.
      return op.verb === 'install' && command.argv.some((w) => w.value === '--path') ? { ecosystem: 'rust', kind: 'build' } : op.verb === 'install' ? { ecosystem: 'rust', kind: 'install' } : null;
    default:
      return null;
  }
}

/** Ecosystem steps of the given stages, in file order. */
export function buildStepsOf(model: DockerfileModel, stageIndexes: readonly number[]): BuildStep[] {
  return runsOfStages(model, stageIndexes)
    .filter((run) => !run.onbuild)
    .flatMap((run) => commandsOf(run).flatMap((command) => {
      const step = buildStepOf(command);
      return step ? [{ ...step, instruction: run, command }] : [];
    }));
}

/** A `python:<tag>` base that is neither slim nor alpine: it carries gcc and the headers. */
export function isFullPythonImage(ref: ImageRef): boolean {
  return imageName(ref) === 'python' && !/slim|alpine/.test(ref.tag ?? '');
}

/** The image's last path segment: `docker.io/library/python` → `python`. */
export function imageName(ref: ImageRef): string {
  return ref.repository.split('/').pop() ?? '';
}

/**
 * The ecosystem whose build a stage chain runs, or null: a compile/bundle step, or a pip install that can
 * compile (a compiler is installed, or the base is a full python image).
 */
export function compilingEcosystem(model: DockerfileModel, stageIndex: number): { ecosystem: Ecosystem; steps: BuildStep[] } | null {
  const chain = stageChain(model, stageIndex);
  const steps = buildStepsOf(model, chain);
  const built = steps.find((s) => s.kind === 'build' && s.ecosystem !== 'native');
  if (built) return { ecosystem: built.ecosystem, steps: steps.filter((s) => s.ecosystem === built.ecosystem) };
  const pipSteps = steps.filter((s) => s.ecosystem === 'python');
  if (pipSteps.length > 0) {
    const root = model.stages[chain[0]];
    const compilers = buildToolsInstalled(runsOfStages(model, chain)).length > 0;
    const requirementsOnFullBase = root !== undefined && isFullPythonImage(root.from) && pipSteps.some((s) => installsRequirements(s.command));
    if (compilers || requirementsOnFullBase) return { ecosystem: 'python', steps: pipSteps };
  }
  const native = steps.filter((s) => s.ecosystem === 'native');
  return native.length > 0 ? { ecosystem: 'native', steps: native } : null;
}

function installsRequirements(command: ShellCommand): boolean {
  return command.argv.some((w) => w.value === '-r' || w.value === '--requirement' || w.value.startsWith('--requirement=') || w.value === '.');
}
