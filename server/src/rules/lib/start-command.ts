/**
 * What a container runs when it starts: the effective ENTRYPOINT and CMD of a stage chain, whether that
 * needs a shell or an interpreter, and how to write it in exec form.
 */
import type { DockerfileModel, Instruction } from '../../model/types';
import { stageChain } from './queries';

export interface StartInstruction {
  instruction: Instruction;
  /** The words as written (exec form: the JSON strings). */
  argv: string[];
  shellForm: boolean;
}

/** The last ENTRYPOINT and CMD of a stage chain (ONBUILD triggers left out). */
export function startInstructions(model: DockerfileModel, stageIndex: number): StartInstruction[] {
  const all = stageChain(model, stageIndex).flatMap((s) => model.stages[s].instructions).filter((i) => !i.onbuild);
  const last = (keyword: string) => [...all].reverse().find((i) => i.keyword === keyword);
  return [last('ENTRYPOINT'), last('CMD')]
    .filter((i): i is Instruction => i !== undefined && i.args.length > 0)
    .map((instruction) => ({ instruction, argv: instruction.args.map((a) => a.value), shellForm: !instruction.jsonForm }));
}

/** A shell word that means the same without a shell: no quotes, variables, globs, operators or redirections. */
const plainWord = /^[A-Za-z0-9_./:=@%+,-]+$/;

/** The exec-form argv of a shell-form instruction when a shell adds nothing to it, else null. */
export function plainExecArgv(start: StartInstruction): string[] | null {
  if (!start.shellForm) return start.argv;
  return start.argv.length > 0 && start.argv.every((w) => plainWord.test(w)) ? start.argv : null;
}

/** `CMD ["a", "b"]`, as Docker's documentation writes exec form. */
export function execFormLine(keyword: string, argv: readonly string[]): string {
  return `${keyword} [${argv.map((w) => JSON.stringify(w)).join(', ')}]`;
}

/** `/usr/bin/python3.12` → `python`; `bash` → `sh`: the program family a command needs, or null for others. */
export function interpreterOf(argv0: string): 'sh' | 'python' | 'node' | 'java' | 'ruby' | 'php' | 'perl' | null {
  const name = argv0.split('/').pop() ?? '';
  if (/^(sh|bash|ash|dash|zsh)$/.test(name)) return 'sh';
  if (/^python(\d+(\.\d+)?)?$/.test(name) || /^(gunicorn|uvicorn|flask|django-admin|celery)$/.test(name)) return 'python';
  if (/^(node|nodejs|npm|npx|yarn|pnpm)$/.test(name)) return 'node';
  if (name === 'java') return 'java';
  if (/^(ruby|bundle|rails|rake|puma)$/.test(name)) return 'ruby';
  if (/^php(\d+(\.\d+)?)?(-fpm)?$/.test(name)) return 'php';
  if (name === 'perl') return 'perl';
  return null;
}
