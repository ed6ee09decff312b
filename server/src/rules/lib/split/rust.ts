/**
 * Rust: the build stage runs cargo on the rust image; the runtime stage is debian slim (alpine for musl
 * builds) with CA certificates and the one binary, in /usr/local/bin.
 */
import type { Instruction } from '../../../model/types';
import { flagValue, hasFlag } from '../../../shell/package-managers';
import { environmentAt, resolvePath } from '../queries';
import { installLine } from '../build-packages';
import { interpreterOf } from '../start-command';
import { copyFromBuild, isStartInstruction, otherWorkNote, restartWith, runtimePackageLines, startsBinary, stepsIn } from './common';
import { reviewNote, type Recipe } from './types';

const defaultBinaryName = 'app';

export const rustRecipe: Recipe = {
  ecosystem: 'rust',
  plan(input) {
    const build = input.steps.find((s) => s.kind === 'build');
    if (!build) return null;
    const { stage } = input;
    const tag = stage.from.tag ?? '';
    const alpine = /alpine/.test(tag);
    const runtime = alpine ? 'alpine:3.20' : `debian:${/bullseye/.test(tag) ? 'bullseye' : 'bookworm'}-slim`;
    const command = build.command;
    const startProgram = input.start.map((s) => s.argv[0] ?? '').find((p) => p && !p.includes('$') && interpreterOf(p) === null);
    const named = flagValue(command, '--bin') ?? (startProgram ? startProgram.split('/').pop() ?? null : null);
    const name = named ?? defaultBinaryName;
    const buildDir = input.workdirAt(build.instruction);
    const built = command.packageOp?.verb === 'install'
      ? `${flagValue(command, '--root') ?? environmentAt(input.model, build.instruction).get('CARGO_HOME') ?? '/usr/local/cargo'}/bin/${name}`
      : resolvePath(buildDir, [flagValue(command, '--target-dir') ?? 'target', flagValue(command, '--target'), hasFlag(command, '--release', '-r') ? 'release' : 'debug', name].filter(Boolean).join('/'));
    const installed = `/usr/local/bin/${name}`;
    const startsIt = (s: (typeof input.start)[number]) => startsBinary(input, s, built) || startsBinary(input, s, installed);
    // CA certificates join the first runtime package install, or get their own RUN.
    const firstPackageRun = stage.instructions.find((i) => i.keyword === 'RUN' && runtimePackageLines(i).length > 0);
    const packageLines = (run: Instruction) => runtimePackageLines(run, undefined, run === firstPackageRun ? ['ca-certificates'] : []);

    return {
      summary: `Rust: release binary on ${runtime}`,
      runtimeImage: { text: runtime, expanded: runtime },
      runtimeHasShell: true,
      runtimeStart: firstPackageRun ? [] : [installLine(alpine ? 'apk' : 'apt', ['ca-certificates'])],
      carriedInstructions: [],
      runtime(instruction) {
        if (isStartInstruction(instruction)) {
          const start = input.start.find((s) => s.instruction === instruction);
          return start && startsIt(start) && !startsBinary(input, start, installed) ? restartWith(input, start, installed) : undefined;
        }
        if (instruction.keyword !== 'RUN') return undefined;
        const steps = stepsIn(input.steps, instruction);
        if (steps.length === 0) return packageLines(instruction).length > 0 ? packageLines(instruction) : undefined;
        if (instruction !== build.instruction) return [];
        return [
          ...packageLines(instruction),
          ...otherWorkNote(instruction, (c) => steps.some((s) => s.command.index === c.index)),
          ...(named ? [] : [reviewNote(`'${name}' is a guess: use the binary name from Cargo.toml`)]),
          copyFromBuild(input, built, installed),
        ];
      },
      runtimeEnd() {
        if (input.start.length === 0) return [`ENTRYPOINT ["${installed}"]`];
        return input.start.some(startsIt) ? [] : [reviewNote(`CMD/ENTRYPOINT do not start ${installed}: check they still work`)];
      },
    };
  },
};
