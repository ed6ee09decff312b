import type { ShellScript } from '../shell/types';

/** 0-based, as in LSP. `character` counts UTF-16 code units, as dockerfile-ast and VS Code do. */
export interface Position { line: number; character: number }
export interface Range { start: Position; end: Position }

export interface Flag {
  name: string;            // without dashes: 'from', 'mount', 'platform', 'chown'
  value: string | null;    // raw value text, null for a bare flag
  range: Range;
}

export interface Arg {
  value: string;           // argument text with variables left as written
  expanded: string;        // ARG/ENV-expanded where the value is known
  range: Range;
}

export interface Heredoc {
  delimiter: string;
  /** The body text (lines between the opening line and the delimiter). */
  content: string;
  contentRange: Range | null;
  terminated: boolean;
}

export interface Mount {
  type: string;            // bind | cache | tmpfs | secret | ssh
  target: string | null;
  from: string | null;
  source: string | null;
}

export interface Instruction {
  /** Position in the whole file's instruction list. */
  index: number;
  keyword: string;         // upper-case: RUN, COPY, FROM, ...
  range: Range;            // keyword to end of the last continuation line (and heredoc bodies)
  keywordRange: Range;
  /** -1 for instructions before the first FROM (global ARGs). */
  stageIndex: number;
  flags: Flag[];
  args: Arg[];
  heredocs: Heredoc[];
  /** Exec form (`["a","b"]`) for RUN/CMD/ENTRYPOINT/SHELL. */
  jsonForm: boolean;
  /** For ONBUILD triggers: the trigger instruction is modelled with this set. */
  onbuild: boolean;
  /** RUN only: the shell script (shell form, or each heredoc body fed to the shell). */
  shell?: ShellScript;
  /** RUN only: parsed --mount flags. */
  mounts?: Mount[];
  /** COPY/ADD only. */
  copy?: CopySpec;
}

export interface CopySpec {
  /** Stage index when --from names an earlier stage; null when it names an image or nothing. */
  fromStage: number | null;
  /** Raw --from value (stage name, index or image). */
  from: string | null;
  sources: Arg[];
  destination: Arg | null;
}

export interface ImageRef {
  raw: string;             // as written, e.g. ${BASE}:3.12
  expanded: string;        // after ARG expansion, e.g. python:3.12
  registry: string | null; // docker.io when written out, else null
  repository: string;      // e.g. library/python -> python (docker.io/library prefix stripped)
  tag: string | null;
  digest: string | null;
  /** Variables whose value is unknown (no default), so the reference may be wrong. */
  unresolved: string[];
  range: Range;
}

export interface Stage {
  index: number;
  name: string | null;
  nameRange: Range | null;
  from: ImageRef;
  /** When FROM names an earlier stage, its index. */
  baseStage: number | null;
  scratch: boolean;
  platform: string | null;
  fromInstruction: Instruction;
  /** Instructions of the stage after its FROM. */
  instructions: Instruction[];
  range: Range;
}

export type StageEdgeKind = 'from' | 'copy' | 'mount';
export interface StageEdge { from: number; to: number; kind: StageEdgeKind; instructionIndex: number }

export interface ParseProblem { message: string; range: Range; severity: 'error' | 'warning' | 'info' }

export interface DockerfileModel {
  text: string;
  lines: string[];
  escapeChar: string;
  /** Instructions in file order, including global ARGs before the first FROM. */
  instructions: Instruction[];
  stages: Stage[];
  /** ARGs declared before the first FROM, with their defaults (null when none). */
  globalArgs: Map<string, string | null>;
  /** Stage dependencies: `to` builds on or copies from `from`. */
  edges: StageEdge[];
  finalStageIndex: number | null;
  /** Stages whose filesystem ships: the final stage and the stages it is built FROM (transitively). */
  shippedStageIndexes: Set<number>;
  /** Comment directives such as `# dockerfile-lean ignore=...`; kept for the runner. */
  comments: { text: string; range: Range }[];
  problems: ParseProblem[];
}
