/**
 * Paths a stage's RUN commands create: what a later stage can only get with `COPY --from`, never from
 * the build context. Only well-known outputs count (a venv, `go build -o`, `npm run build` → dist…).
 */
import type { DockerfileModel, Instruction } from '../../model/types';
import type { ShellCommand } from '../../shell/types';
import { flagValue } from '../../shell/package-managers';
import { commandsOf, resolvePath } from './queries';
import { stageFacts, type StageFacts } from './stage-facts';
import { buildStepOf } from './stages';

export interface ProducedPath {
  /** Absolute path in the stage's filesystem. */
  path: string;
  stageIndex: number;
  instruction: Instruction;
  /** The WORKDIR the command ran in. */
  workdir: string;
  /** What made it, for messages: `go build -o`, `python -m venv`, `npm run build`. */
  producer: string;
  /** True when the path is a guess among several usual outputs (`npm run build` → dist or build). */
  guessed: boolean;
}

/** Directories JavaScript build scripts usually write to. */
const jsBuildOutputs = ['dist', 'build', '.next', 'out'];

export function pathsProducedBy(model: DockerfileModel, stageIndex: number, facts: StageFacts = stageFacts(model)): ProducedPath[] {
  const stage = model.stages[stageIndex];
  if (!stage) return [];
  const produced: ProducedPath[] = [];
  for (const run of stage.instructions) {
    if (run.keyword !== 'RUN' || run.onbuild || !run.shell) continue;
    const workdir = facts.workdirAt(run);
    for (const command of commandsOf(run)) {
      for (const output of outputsOf(command, () => facts.environmentAt(run))) {
        produced.push({ path: resolvePath(workdir, output.path), stageIndex, instruction: run, workdir, producer: output.producer, guessed: output.guessed ?? false });
      }
    }
  }
  return produced;
}

interface Output { path: string; producer: string; guessed?: boolean }

function outputsOf(command: ShellCommand, env: () => ReadonlyMap<string, string>): Output[] {
  const words = command.argv.map((w) => w.value);
  if (/^python(\d+(\.\d+)?)?$/.test(command.name) && words[1] === '-m' && (words[2] === 'venv' || words[2] === 'virtualenv')) {
    const target = words.slice(3).find((w) => !w.startsWith('-'));
    return target ? [{ path: target, producer: `python -m ${words[2]}` }] : [];
  }
  if (command.name === 'virtualenv' || (command.name === 'uv' && words[1] === 'venv')) {
    const target = words.slice(command.name === 'uv' ? 2 : 1).find((w) => !w.startsWith('-'));
    return [{ path: target ?? '.venv', producer: command.name === 'uv' ? 'uv venv' : 'virtualenv' }];
  }
  const step = buildStepOf(command);
  const op = command.packageOp;
  if (!step || !op) return [];
  switch (op.manager) {
    case 'pip': {
      const target = flagValue(command, '--target') ?? flagValue(command, '-t') ?? flagValue(command, '--prefix') ?? flagValue(command, '--root');
      if (target) return [{ path: target, producer: 'pip install' }];
      return words.includes('--user') ? [{ path: '/root/.local', producer: 'pip install --user' }] : [];
    }
    case 'npm': case 'yarn': case 'pnpm':
      if (step.kind === 'install') return [{ path: 'node_modules', producer: `${op.manager} install` }];
      return jsBuildOutputs.map((dir) => ({ path: dir, producer: `${op.manager} build`, guessed: true }));
    case 'go': {
      if (step.kind === 'install') return [{ path: env().get('GOBIN') ?? `${env().get('GOPATH') ?? '/go'}/bin`, producer: 'go install' }];
      const output = flagValue(command, '-o');
      return output ? [{ path: output, producer: 'go build -o' }] : [];
    }
    case 'mvn':
      return step.kind === 'build' ? [{ path: 'target', producer: 'mvn package' }] : [];
    case 'gradle':
      return step.kind === 'build' ? [{ path: 'build', producer: 'gradle build' }] : [];
    case 'cargo': {
      if (op.verb === 'install') return [{ path: `${flagValue(command, '--root') ?? env().get('CARGO_HOME') ?? '/usr/local/cargo'}/bin`, producer: 'cargo install' }];
      return [{ path: flagValue(command, '--target-dir') ?? 'target', producer: 'cargo build' }];
    }
    default:
      return [];
  }
}
