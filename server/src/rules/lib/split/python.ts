/**
 * Python: the build stage keeps the original base and build packages and installs into a virtualenv;
 * the runtime stage, on the slim variant of the same image, gets the venv, the runtime libraries and the app.
 */
import type { Instruction } from '../../../model/types';
import type { ShellCommand } from '../../../shell/types';
import { hasFlag } from '../../../shell/package-managers';
import { commandsOf } from '../queries';
import { imageName } from '../stages';
import { pathsProducedBy } from '../stage-outputs';
import { copyFromBuild, otherWorkNote, runtimePackageLines, slimVariant, stepsIn } from './common';
import { reviewNote, type Recipe } from './types';

const defaultVenv = '/opt/venv';

/** Files only pip reads: the runtime stage does not need them. */
const requirementsFile = /^(\.\/)?([\w.-]*\/)?(requirements[\w.-]*\.txt|constraints[\w.-]*\.txt|Pipfile(\.lock)?|poetry\.lock)$/;

export const pythonRecipe: Recipe = {
  ecosystem: 'python',
  plan(input) {
    const { model, stage, steps } = input;
    const officialPython = imageName(stage.from) === 'python';
    const python = officialPython ? 'python' : 'python3';
    const userVenv = pathsProducedBy(model, stage.index).find((p) => p.producer.includes('venv') || p.producer === 'virtualenv');
    const venv = userVenv?.path ?? defaultVenv;
    const venvBin = `${venv}/bin`;
    const firstPip = steps[0].instruction;
    const lastPip = steps[steps.length - 1].instruction;
    const runtimeText = slimVariant(stage.from.raw) ?? stage.from.raw;
    const runtimeExpanded = slimVariant(stage.from.expanded) ?? stage.from.expanded;
    const pathMentionsVenv = stage.instructions.some((i) => i.keyword === 'ENV' && i.args.some((a) => a.value.includes(venvBin)));
    const isPipPart = (c: ShellCommand) => c.packageOp?.manager === 'pip' || c.packageOp?.manager === 'uv' || c.packageOp?.manager === 'poetry' || /^python/.test(c.name) || c.name === 'virtualenv';
    const hasVenvPackage = model.instructions.some((i) => i.stageIndex === stage.index && commandsOf(i).some((c) => c.packageOp?.packages.some((p) => /^python3-venv|^virtualenv|^python3-virtualenv/.test(p.value))));

    const pipNotes = (run: Instruction): string[] => stepsIn(steps, run)
      .filter((s) => hasFlag(s.command, '--user', '--target', '-t', '--prefix', '--root'))
      .map(() => reviewNote(`pip installs outside the venv here (--user/--target/--prefix): install into ${venv} so the runtime stage gets the packages`));

    return {
      summary: `Python: venv on ${runtimeText}`,
      runtimeImage: { text: runtimeText, expanded: runtimeExpanded },
      runtimeHasShell: true,
      carriedInstructions: steps.map((s) => s.instruction),
      builderBefore(instruction) {
        const notes = stepsIn(steps, instruction).length > 0 ? pipNotes(instruction) : [];
        if (instruction !== firstPip || userVenv) return notes;
        const needsVenvPackage = !officialPython && !hasVenvPackage
          ? [reviewNote(`${python} -m venv needs the python3-venv package on ${stage.from.raw}: install it with the build packages`)]
          : [];
        return [...notes, ...needsVenvPackage, `RUN ${python} -m venv ${venv}`, `ENV PATH=${venvBin}:$PATH`];
      },
      runtime(instruction) {
        if (instruction.keyword === 'RUN') {
          // Python's own headers build extensions; the interpreter they belong to is already in the runtime.
          const packages = runtimePackageLines(instruction, (name) => /^(lib)?python3?(\.\d+)?-dev$/.test(name));
          const isStep = stepsIn(steps, instruction).length > 0 || instruction === userVenv?.instruction;
          if (!isStep) return packages.length > 0 ? packages : undefined;
          const venvLines = instruction === lastPip
            ? [copyFromBuild(input, venv, venv), ...(pathMentionsVenv ? [] : [`ENV PATH=${venvBin}:$PATH`])]
            : [];
          return [...packages, ...otherWorkNote(instruction, isPipPart), ...venvLines];
        }
        if ((instruction.keyword === 'COPY' || instruction.keyword === 'ADD') && !instruction.copy?.from && instruction.heredocs.length === 0) {
          const sources = instruction.copy?.sources ?? [];
          return sources.length > 0 && sources.every((s) => requirementsFile.test(s.value)) ? [] : [input.textOf(instruction)];
        }
        return undefined;
      },
    };
  },
};
