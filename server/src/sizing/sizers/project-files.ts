/**
 * Where a RUN's project files came from: the context folders that earlier COPY instructions of the stage
 * put into the folder a package manager runs in, so a sizer can read the lockfile or requirements file the
 * install will see (and the workspace's own node_modules next to it). Facts per model are memoised, so a
 * file with thousands of RUNs stays linear.
 */
import type { DockerfileModel, Instruction, Stage } from '../../model/types';
import type { ShellCommand } from '../../shell/types';
import { stageFacts, type StageFacts } from '../../rules/lib/stage-facts';
import { resolvePath } from '../../rules/lib/queries';
import { copiesFromContext } from '../../rules/lib/context-sources';
import { matchSegment } from '../../text/glob';
import { flagValue } from '../../shell/package-managers';

const factsByModel = new WeakMap<DockerfileModel, StageFacts>();
const copiesByStage = new WeakMap<Stage, Instruction[]>();

export function factsOf(model: DockerfileModel): StageFacts {
  let facts = factsByModel.get(model);
  if (!facts) factsByModel.set(model, (facts = stageFacts(model)));
  return facts;
}

/** The folder a command runs in: WORKDIR, a `cd /abs` earlier in the RUN, or the tool's own folder option. */
export function commandFolder(model: DockerfileModel, instruction: Instruction, commands: readonly ShellCommand[], command: ShellCommand, folderOptions: readonly string[]): string {
  let dir = factsOf(model).workdirAt(instruction);
  for (const c of commands) {
    if (c.index >= command.index) break;
    const target = c.name === 'cd' ? c.argv[1] : undefined;
    if (target && !target.dynamic) dir = resolvePath(dir, target.value);
  }
  for (const option of folderOptions) {
    const value = flagValue(command, option);
    if (value) return resolvePath(dir, value);
  }
  return dir;
}

export interface ProjectFile {
  /** Context-relative path of the file (e.g. `app/package-lock.json`). */
  contextPath: string;
  /** The COPY that brought it in. */
  copy: Instruction;
}

/**
 * The context file named `fileName` that a COPY before `instruction` put into `folder`, or null. Later
 * COPYs win, as they overwrite earlier ones. `exists` says whether the context holds (and sends) a path.
 */
export function copiedProjectFile(model: DockerfileModel, stage: Stage, instruction: Instruction, folder: string, fileName: string, exists: (contextPath: string) => boolean): ProjectFile | null {
  const copies = contextCopies(stage).filter((c) => c.index < instruction.index);
  const facts = factsOf(model);
  for (let i = copies.length - 1; i >= 0; i--) {
    const copy = copies[i];
    const destination = copy.copy?.destination;
    if (!destination || destination.expanded.includes('$')) continue;
    const copyDir = facts.workdirAt(copy);
    const target = resolvePath(copyDir, destination.expanded);
    const intoFolder = destination.expanded.endsWith('/') || destination.expanded === '.' || (copy.copy?.sources.length ?? 0) > 1 ? target : null;
    for (const source of copy.copy?.sources ?? []) {
      if (source.expanded.includes('$')) continue;
      const path = trimmed(source.expanded);
      const base = path.split('/').pop() ?? '';
      const parent = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
      // A file source (or glob) matching the name, copied into the folder or onto the file itself.
      if (base !== '' && matchSegment(base, fileName)) {
        const candidate = parent ? `${parent}/${fileName}` : fileName;
        const lands = intoFolder === folder || (intoFolder === null && (target === `${folder}/${fileName}` || target === folder));
        if (lands && exists(candidate)) return { contextPath: candidate, copy };
      }
      // A folder source: its content lands in the target folder.
      const folderTarget = intoFolder ?? target;
      const candidate = path === '' ? fileName : `${path}/${fileName}`;
      if (folderTarget === folder && !/[*?[]/.test(path) && exists(candidate)) return { contextPath: candidate, copy };
    }
  }
  return null;
}

function contextCopies(stage: Stage): Instruction[] {
  let copies = copiesByStage.get(stage);
  if (!copies) copiesByStage.set(stage, (copies = stage.instructions.filter((i) => !i.onbuild && copiesFromContext(i))));
  return copies;
}

function trimmed(source: string): string {
  let path = source;
  while (path.startsWith('./')) path = path.slice(2);
  while (path.endsWith('/')) path = path.slice(0, -1);
  while (path.startsWith('/')) path = path.slice(1);
  return path === '.' ? '' : path;
}
