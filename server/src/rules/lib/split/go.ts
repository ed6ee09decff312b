/**
 * Go: the build stage compiles a static binary (CGO_ENABLED=0); the runtime stage is distroless/static
 * (or scratch with the CA bundle) holding only that binary, at the path CMD/ENTRYPOINT already use.
 */
import type { Instruction } from '../../../model/types';
import { flagValue } from '../../../shell/package-managers';
import { environmentAt, isRootUser, resolvePath } from '../queries';
import { insertAfterWord, verbWord } from '../edits';
import { copyFromBuild, otherWorkNote, startsBinary, stepsIn, textWithEdits } from './common';
import { reviewNote, type Recipe } from './types';

const defaultBinary = '/out/app';
const distroless = 'gcr.io/distroless/static-debian12';

export const goRecipe: Recipe = {
  ecosystem: 'go',
  plan(input) {
    const builds = input.steps.filter((s) => s.kind === 'build');
    if (builds.length === 0) return null;
    const scratch = input.variant === 'scratch';
    const runtime = scratch ? 'scratch' : distroless;
    const firstBuild = builds[0].instruction;
    const cgo = environmentAt(input.model, firstBuild).get('CGO_ENABLED');
    const startProgram = input.start.map((s) => s.argv[0] ?? '').find((p) => p.includes('/') && !p.includes('$'));
    // A build without -o writes into the WORKDIR under the module's name, which we cannot see: name it.
    const binaries = builds.map((s, i) => {
      const output = flagValue(s.command, '-o');
      if (output && !output.endsWith('/')) return { step: s, path: resolvePath(input.workdirAt(s.instruction), output), added: false };
      const fallback = i === 0 && startProgram ? resolvePath(input.workdirAt(input.start[0].instruction), startProgram) : i === 0 ? defaultBinary : `${defaultBinary}${i + 1}`;
      return { step: s, path: fallback, added: true };
    });
    const startsAny = input.start.some((s) => binaries.some((b) => startsBinary(input, s, b.path)));

    return {
      summary: scratch ? 'Go: static binary on scratch' : 'Go: static binary on distroless',
      runtimeImage: { text: runtime, expanded: runtime },
      runtimeHasShell: false,
      runtimeStart: scratch ? [copyFromBuild(input, '/etc/ssl/certs/ca-certificates.crt', '/etc/ssl/certs/')] : [],
      carriedInstructions: [],
      variants: scratch ? [] : ['scratch'],
      builderBefore(instruction) {
        if (instruction !== firstBuild || cgo === '0') return [];
        return cgo === '1'
          ? [reviewNote(`CGO_ENABLED=1 makes a binary that needs libc, which ${runtime} does not have: build without cgo or run on gcr.io/distroless/base-debian12`)]
          : ['ENV CGO_ENABLED=0'];
      },
      builderText(instruction) {
        const edits = binaries.filter((b) => b.added && b.step.instruction === instruction).flatMap((b) => {
          const verb = verbWord(b.step.command, ['build']);
          return verb ? [insertAfterWord(verb, `-o ${b.path}`)] : [];
        });
        return edits.length > 0 ? textWithEdits(input, instruction, edits) : undefined;
      },
      runtime(instruction) {
        if (instruction.keyword === 'USER') return runtimeUser(instruction, input.textOf(instruction), scratch);
        if (instruction.keyword !== 'RUN' || stepsIn(input.steps, instruction).length === 0) return undefined;
        const built = binaries.filter((b) => b.step.instruction === instruction);
        const isStep = (c: { index: number }) => stepsIn(input.steps, instruction).some((s) => s.command.index === c.index);
        return [...otherWorkNote(instruction, isStep), ...built.map((b) => copyFromBuild(input, b.path, b.path))];
      },
      runtimeEnd() {
        if (input.start.length === 0) return [`ENTRYPOINT ["${binaries[0].path}"]`];
        return startsAny ? [] : [reviewNote(`CMD/ENTRYPOINT do not start ${binaries.map((b) => b.path).join(' or ')}: check they run on ${runtime}`)];
      },
    };
  },
};

/** distroless knows `root` and `nonroot` (65532); scratch has no /etc/passwd, so only numeric ids work there. */
function runtimeUser(instruction: Instruction, text: string, scratch: boolean): string[] {
  const user = instruction.args[0]?.value ?? '';
  if (/^\d+(:\d+)?$/.test(user)) return [text];
  if (isRootUser(user)) return scratch ? [] : [text];
  if (!scratch && /^nonroot(:nonroot)?$/.test(user)) return [text];
  const replacement = scratch ? 'USER 65532:65532' : 'USER nonroot:nonroot';
  return [reviewNote(`user '${user}' does not exist in ${scratch ? 'scratch' : 'distroless'}: running as ${replacement.slice(5)} instead`), replacement];
}
