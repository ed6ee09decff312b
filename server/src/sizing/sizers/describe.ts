import type { ShellCommand } from '../../shell/types';

/** "pip install", "apt-get curl", "make": a command as a reason in "no size data for: …". */
export function describeCommand(command: ShellCommand): string {
  const op = command.packageOp;
  return op ? `${command.name} ${command.argv.find((w, i) => i > 0 && !w.value.startsWith('-'))?.value ?? ''}`.trim() : command.name;
}
