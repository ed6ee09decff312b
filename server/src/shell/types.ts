import type { Range } from '../model/types';

export interface ShellWord {
  /** The word with quotes removed; expansions are kept as written (`$HOME`, `$(cmd)`). */
  value: string;
  /** The word as written in the document. */
  raw: string;
  range: Range;
  /** True when the word contains a parameter expansion, command substitution or glob we cannot resolve. */
  dynamic: boolean;
}

export type PackageManager =
  | 'apt' | 'apk' | 'dnf' | 'yum' | 'microdnf' | 'zypper'
  | 'pip' | 'uv' | 'poetry' | 'conda'
  | 'npm' | 'yarn' | 'pnpm'
  | 'go' | 'cargo' | 'mvn' | 'gradle' | 'gem' | 'bundle' | 'composer';

export type PackageVerb =
  | 'install' | 'update' | 'upgrade' | 'remove' | 'purge' | 'autoremove' | 'clean' | 'cache-clean' | 'build' | 'run' | 'other';

export interface PackageOperation {
  manager: PackageManager;
  verb: PackageVerb;
  /** Package arguments (not flags), e.g. ['gcc', 'libpq-dev']. */
  packages: ShellWord[];
}

export interface ShellCommand {
  /** argv[0] after `sudo`, `env X=Y`, `time`, `exec` prefixes are stripped. */
  name: string;
  argv: ShellWord[];
  range: Range;
  /** Commands of the same RUN are ordered; `&&`, `;`, `||`, `|` all keep them in one layer. */
  index: number;
  /** Within a subshell or if/loop body (still the same layer). */
  nested: boolean;
  /** Connected to the previous command with `||` (runs only when it failed). */
  afterOr: boolean;
  packageOp: PackageOperation | null;
  /** Files the command writes through output redirections (`> file`, `>> file`, `&> file`). */
  writes: ShellWord[];
}

export interface ShellScript {
  commands: ShellCommand[];
  /** Set when the shell text could not be parsed; commands then come from a best-effort split. */
  parseError: string | null;
}
