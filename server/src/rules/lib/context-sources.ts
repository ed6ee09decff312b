/**
 * COPY/ADD sources seen from the build context: which instructions read it, which take all of it, and a
 * source written as the context-relative path that `BuildContext.exists`/`measure` expect.
 */
import type { Arg, Instruction } from '../../model/types';
import { trimSlashes } from '../../text/glob';

/** True for COPY/ADD that read the build context: no `--from`, no heredoc source. */
export function copiesFromContext(instruction: Instruction): boolean {
  return (instruction.keyword === 'COPY' || instruction.keyword === 'ADD') && !!instruction.copy && instruction.copy.from === null && instruction.heredocs.length === 0;
}

/** The source of a context COPY/ADD that takes the whole context (`.`, `./`, `*`, `./*`), or null. */
export function wholeContextSource(instruction: Instruction): Arg | null {
  if (!copiesFromContext(instruction)) return null;
  return instruction.copy?.sources.find((s) => s.expanded === '.' || s.expanded === './' || s.expanded === '*' || s.expanded === './*') ?? null;
}

/** A source as a context-relative path: `./src/` → `src`, `.` and `/` → ''. */
export function contextPath(source: string): string {
  const path = trimSlashes(source);
  return path === '.' ? '' : path;
}
