/**
 * Commands that write a file whose size their arguments give: `dd if=/dev/zero of=F bs=1M count=8`,
 * `head -c 3M /dev/urandom > F`, `fallocate -l 16M F`, `truncate -s 32M F`. A layer counts a file at its
 * apparent size, holes included: a sparse file from truncate costs its full length (measured with buildah:
 * `truncate -s 32M` made a 32 MiB layer), and so does its copy when a later layer changes it.
 * Each file is a part that carries its path, so a later chmod/touch can find what it copies up.
 * What the arguments do not settle (input from another file, relative sizes, no count) stays unknown.
 */
import type { ShellCommand, ShellWord } from '../../shell/types';
import type { Figure } from '../figure';
import { formatBytes } from '../figure';
import type { CommandSizer, LayerPart, RunSizingContext } from './types';
import { trimTrailingSlashes } from '../../text/paths';

const writerNames = new Set(['dd', 'head', 'fallocate', 'truncate']);
/** Inputs that give as many bytes as asked. */
const endlessInputs = new Set(['/dev/zero', '/dev/urandom', '/dev/random']);

type Written = { path: string; bytes: number; how: string } | { path: null; bytes: 0; how: string } | { unknown: string };

export const writesSizer: CommandSizer = {
  name: 'file writes',
  claims: (command) => writerNames.has(command.name),
  size(claimed, context) {
    const files = new Map<string, { bytes: number; how: string; index: number }>();
    const unsized: string[] = [];
    for (const command of claimed) {
      const written = writtenBy(command);
      if ('unknown' in written) { unsized.push(written.unknown); continue; }
      if (written.path === null || outsideLayer(written.path, context)) continue;
      // A later write of the same path in this RUN sets its final size.
      files.set(written.path, { bytes: written.bytes, how: written.how, index: command.index });
    }
    const parts: LayerPart[] = [];
    for (const [path, file] of files) {
      if (removedLater(path, file.index, context.commands)) continue;
      const figure: Figure = { bytes: file.bytes, source: 'derived', confidence: 'high', note: `${formatBytes(file.bytes)} from the arguments of ${file.how}` };
      parts.push({ label: path, figure, path });
    }
    return { parts, unsized };
  },
};

/** The file a command writes and its size, from its arguments; path null when it writes to standard output. */
export function writtenBy(command: ShellCommand): Written {
  switch (command.name) {
    case 'dd': return ddWrite(command);
    case 'head': return headWrite(command);
    case 'fallocate': return fallocateWrite(command);
    case 'truncate': return truncateWrite(command);
    default: return { unknown: command.name };
  }
}

function ddWrite(command: ShellCommand): Written {
  const operands = new Map<string, string>();
  for (const word of command.argv.slice(1)) {
    if (word.dynamic) return { unknown: `dd ${word.value} (a variable)` };
    const eq = word.value.indexOf('=');
    if (eq > 0) operands.set(word.value.slice(0, eq), word.value.slice(eq + 1));
  }
  const input = operands.get('if');
  if (!input || !endlessInputs.has(input)) return { unknown: `dd if=${input ?? '(standard input)'} (its size is not known here)` };
  const count = operands.get('count');
  if (count === undefined) return { unknown: `dd if=${input} without count= (writes until the disk is full)` };
  if (/append/.test(operands.get('oflag') ?? '') || /notrunc/.test(operands.get('conv') ?? '')) return { unknown: 'dd appending to a file' };
  const inputBlock = parseSize(operands.get('ibs') ?? operands.get('bs') ?? '512', 'dd');
  const outputBlock = parseSize(operands.get('obs') ?? operands.get('bs') ?? '512', 'dd');
  const countValue = parseSize(count, 'dd');
  const seekText = operands.get('seek') ?? operands.get('oseek') ?? '0';
  const seek = parseSize(seekText, 'dd');
  if (inputBlock === null || outputBlock === null || countValue === null || seek === null) return { unknown: 'dd with sizes it cannot read' };
  const countBytes = /count_bytes/.test(operands.get('iflag') ?? '') ? countValue : countValue * inputBlock;
  const seekBytes = /seek_bytes/.test(operands.get('oflag') ?? '') ? seek : seek * outputBlock;
  const bytes = seekBytes + countBytes;
  const output = operands.get('of') ?? command.writes[0]?.value ?? null;
  const how = `dd (${countText(count, operands)}${seek > 0 ? `, seek=${seekText}` : ''})`;
  return output === null ? { path: null, bytes: 0, how } : { path: output, bytes, how };
}

function countText(count: string, operands: Map<string, string>): string {
  const bs = operands.get('ibs') ?? operands.get('bs');
  return bs ? `bs=${bs} count=${count}` : `count=${count} of 512-byte blocks`;
}

function headWrite(command: ShellCommand): Written {
  // Without a redirection head only prints: whatever reads its output decides what reaches the layer.
  if (lastWrite(command) === null) return { path: null, bytes: 0, how: 'head' };
  const args = command.argv.slice(1);
  let sizeText: string | null = null;
  const inputs: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const value = args[i].value;
    if (args[i].dynamic) return { unknown: 'head with a variable argument' };
    if (value === '-c' || value === '--bytes') sizeText = args[++i]?.value ?? null;
    else if (value.startsWith('--bytes=')) sizeText = value.slice('--bytes='.length);
    else if (/^-c./.test(value)) sizeText = value.slice(2);
    else if (value.startsWith('-')) { if (value !== '-q' && value !== '--quiet' && value !== '--silent') return { unknown: `head ${value}` }; }
    else inputs.push(value);
  }
  if (sizeText === null) return { unknown: 'head without -c (line counts have no known size)' };
  if (sizeText.startsWith('-')) return { unknown: `head -c ${sizeText} (all but the last bytes of its input)` };
  if (inputs.length !== 1 || !endlessInputs.has(inputs[0])) return { unknown: `head -c ${sizeText} ${inputs.join(' ') || '(standard input)'} (its input's size is not known here)` };
  const bytes = parseSize(sizeText, 'coreutils');
  if (bytes === null) return { unknown: `head -c ${sizeText}` };
  return { path: lastWrite(command) as string, bytes, how: `head -c ${sizeText}` };
}

function fallocateWrite(command: ShellCommand): Written {
  const args = command.argv.slice(1);
  let length: number | null = null;
  let offset = 0;
  let lengthText = '';
  const files: ShellWord[] = [];
  for (let i = 0; i < args.length; i++) {
    const value = args[i].value;
    if (args[i].dynamic) return { unknown: 'fallocate with a variable argument' };
    const takeValue = (flag: string): string | null => (value === flag ? args[++i]?.value ?? null : value.startsWith(flag + '=') ? value.slice(flag.length + 1) : value.slice(flag.length));
    if (value === '-l' || value.startsWith('--length') || /^-l./.test(value)) { lengthText = takeValue(value.startsWith('--') ? '--length' : '-l') ?? ''; length = parseSize(lengthText, 'util-linux'); }
    else if (value === '-o' || value.startsWith('--offset') || /^-o./.test(value)) { const o = parseSize(takeValue(value.startsWith('--') ? '--offset' : '-o') ?? '', 'util-linux'); if (o === null) return { unknown: 'fallocate with an offset it cannot read' }; offset = o; }
    else if (value === '-x' || value === '--posix' || value === '-v' || value === '--verbose') continue;
    else if (value.startsWith('-')) return { unknown: `fallocate ${value} (keeps, punches or collapses space)` };
    else files.push(args[i]);
  }
  if (length === null) return { unknown: `fallocate -l ${lengthText || '?'}` };
  if (files.length !== 1) return { unknown: 'fallocate without one file' };
  return { path: files[0].value, bytes: offset + length, how: `fallocate -l ${lengthText}` };
}

function truncateWrite(command: ShellCommand): Written {
  const args = command.argv.slice(1);
  let sizeText: string | null = null;
  const files: ShellWord[] = [];
  for (let i = 0; i < args.length; i++) {
    const value = args[i].value;
    if (args[i].dynamic) return { unknown: 'truncate with a variable argument' };
    if (value === '-s' || value === '--size') sizeText = args[++i]?.value ?? null;
    else if (value.startsWith('--size=')) sizeText = value.slice('--size='.length);
    else if (/^-s./.test(value)) sizeText = value.slice(2);
    else if (value === '-c' || value === '--no-create') continue;
    else if (value.startsWith('-')) return { unknown: `truncate ${value}` };
    else files.push(args[i]);
  }
  if (sizeText === null) return { unknown: 'truncate without -s' };
  if (/^[-+<>/%]/.test(sizeText)) return { unknown: `truncate -s ${sizeText} (relative to the file's current size)` };
  const bytes = parseSize(sizeText, 'coreutils');
  if (bytes === null || files.length !== 1) return { unknown: `truncate -s ${sizeText}${files.length !== 1 ? ' of several files' : ''}` };
  return { path: files[0].value, bytes, how: `truncate -s ${sizeText} (sparse: counted at its full length)` };
}

function lastWrite(command: ShellCommand): string | null {
  return command.writes.length > 0 ? command.writes[command.writes.length - 1].value : null;
}

const powers: Record<string, number> = { K: 1, M: 2, G: 3, T: 4, P: 5, E: 6 };

/**
 * A size with the suffixes of GNU coreutils (dd, head, truncate) and util-linux (fallocate): K/KiB = 1024,
 * KB = 1000 (and so on up to E), b = 512, c = 1, w = 2 (dd); dd also multiplies with `x` (`1Mx2`).
 */
export function parseSize(text: string, tool: 'dd' | 'coreutils' | 'util-linux'): number | null {
  if (tool === 'dd' && text.includes('x')) {
    const factors = text.split('x').map((f) => parseSize(f, 'coreutils'));
    return factors.some((f) => f === null) ? null : factors.reduce((a, b) => (a as number) * (b as number), 1);
  }
  const match = /^(\d+)([a-zA-Z]*)$/.exec(text);
  if (!match) return null;
  const value = Number(match[1]);
  const suffix = match[2];
  let multiplier: number | null = null;
  if (suffix === '') multiplier = 1;
  else if (suffix === 'c' && tool !== 'util-linux') multiplier = 1;
  else if (suffix === 'w' && tool === 'dd') multiplier = 2;
  else if (suffix === 'b' && tool !== 'util-linux') multiplier = 512;
  else {
    const unit = /^([kKmMgGtTpPeE])(iB|B)?$/.exec(suffix);
    if (unit) {
      const power = powers[unit[1].toUpperCase()];
      multiplier = unit[2] === 'B' ? 1000 ** power : 1024 ** power;
    }
  }
  if (multiplier === null) return null;
  const bytes = value * multiplier;
  return Number.isSafeInteger(bytes) ? bytes : null;
}

/** Paths that never reach the layer: devices, kernel filesystems, cache and tmpfs mounts. */
function outsideLayer(path: string, context: RunSizingContext): boolean {
  if (/^\/(dev|proc|sys)(\/|$)/.test(path)) return true;
  return (context.instruction.mounts ?? []).some((m) => (m.type === 'cache' || m.type === 'tmpfs' || m.type === 'bind') && m.target !== null && isUnder(path, m.target));
}

/** True when an `rm` after the write (in the same RUN) deletes the file or a folder holding it. */
function removedLater(path: string, writtenAt: number, commands: readonly ShellCommand[]): boolean {
  return commands.some((c) => c.index > writtenAt && c.name === 'rm' && c.argv.slice(1).some((w) => !w.value.startsWith('-') && isUnder(path, w.value)));
}

function isUnder(path: string, folder: string): boolean {
  const base = trimTrailingSlashes(folder);
  return path === base || path.startsWith(base === '' ? '/' : base + '/');
}
