/**
 * Node.js: the build stage installs every dependency and runs the build script; the runtime stage, on the
 * slim (or alpine) variant of the same node image, installs production dependencies only and copies the
 * build output.
 */
import type { Instruction } from '../../../model/types';
import type { PackageManager } from '../../../shell/types';
import { resolvePath } from '../queries';
import { copyFromBuild, otherWorkNote, runtimePackageLines, slimVariant, stepsIn } from './common';
import { reviewNote, type Recipe, type SplitInput } from './types';

const defaultOutput = 'dist';

/** Files the package manager reads to install: copied alone, they keep the install layer cached. */
const manifestFile = /^(\.\/)?(package(-lock)?\.json|package\*\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml|\.npmrc|\.yarnrc(\.yml)?)$/;

const manifestCopy: Partial<Record<PackageManager, string>> = {
  npm: 'COPY package*.json ./',
  yarn: 'COPY package.json yarn.lock ./',
  pnpm: 'COPY package.json pnpm-lock.yaml ./',
};

export const nodeRecipe: Recipe = {
  ecosystem: 'node',
  plan(input) {
    const { stage, steps } = input;
    const build = steps.find((s) => s.kind === 'build');
    if (!build) return null;
    const install = steps.find((s) => s.kind === 'install');
    const runtimeText = slimVariant(stage.from.raw) ?? stage.from.raw;
    const runtimeExpanded = slimVariant(stage.from.expanded) ?? stage.from.expanded;
    const buildDir = input.workdirAt(build.instruction);
    const output = outputDirectory(input, buildDir);
    const isManifestCopy = (i: Instruction) => i.keyword === 'COPY' && !i.copy?.from && (i.copy?.sources.length ?? 0) > 0 && (i.copy?.sources ?? []).every((s) => manifestFile.test(s.value));
    const manifestsCopied = install !== undefined && stage.instructions.some((i) => i.index < install.instruction.index && isManifestCopy(i));
    const manager = install?.command.packageOp?.manager ?? 'npm';

    const productionInstall = (): string[] => {
      if (!install) return [reviewNote('the build stage installs no dependencies we recognise: install the production dependencies here')];
      const copy = manifestsCopied ? [] : [manifestCopy[manager] ?? 'COPY package*.json ./'];
      return [...copy, `RUN ${productionInstallCommand(manager, install.command.argv[1]?.value ?? 'install')}`];
    };

    return {
      summary: `Node.js: production dependencies and ${output.directory}/ on ${runtimeText}`,
      runtimeImage: { text: runtimeText, expanded: runtimeExpanded },
      runtimeHasShell: true,
      carriedInstructions: install ? [install.instruction] : [],
      runtime(instruction) {
        if (instruction.keyword === 'COPY' && isManifestCopy(instruction)) return [input.textOf(instruction)];
        if (instruction.keyword !== 'RUN') return undefined;
        const here = stepsIn(steps, instruction);
        if (here.length === 0) return runtimePackageLines(instruction).length > 0 ? runtimePackageLines(instruction) : undefined;
        const lines = [...runtimePackageLines(instruction), ...otherWorkNote(instruction, (c) => here.some((s) => s.command === c))];
        if (install && instruction === install.instruction) lines.push(...productionInstall());
        if (instruction === build.instruction) {
          if (!install) lines.push(...productionInstall());
          const source = resolvePath(buildDir, output.directory);
          const destination = buildDir === '/' ? source : `./${output.directory}`;
          lines.push(...(output.known ? [] : [reviewNote(`'${output.directory}' is a guess: copy the directory your build script writes and CMD runs`)]), copyFromBuild(input, source, destination));
        }
        return lines;
      },
    };
  },
};

/** The build output directory: the first path segment CMD/ENTRYPOINT run from under the build's WORKDIR. */
function outputDirectory(input: SplitInput, buildDir: string): { directory: string; known: boolean } {
  for (const start of input.start) {
    for (const word of start.argv.slice(1)) {
      if (word.startsWith('-') || !word.includes('/') || word.includes('$')) continue;
      const path = resolvePath(input.workdirAt(start.instruction), word);
      const prefix = buildDir === '/' ? '/' : `${buildDir}/`;
      if (path.startsWith(prefix) && path.slice(prefix.length).includes('/')) return { directory: path.slice(prefix.length).split('/')[0], known: true };
    }
  }
  return { directory: defaultOutput, known: false };
}

function productionInstallCommand(manager: PackageManager, verb: string): string {
  if (manager === 'yarn') return 'yarn install --production --frozen-lockfile && yarn cache clean';
  if (manager === 'pnpm') return 'pnpm install --prod --frozen-lockfile';
  return `npm ${verb === 'ci' ? 'ci' : 'install'} --omit=dev && npm cache clean --force`;
}
