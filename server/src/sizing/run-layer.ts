/**
 * What a RUN adds. Commands are read from the shell AST and handed to the command sizers
 * (./sizers/): package installs are sized from package data, caches they leave are separate parts (so
 * rules can quote them), and commands known to write next to nothing cost ~0. A command no sizer can
 * size makes the whole layer unknown rather than guessed.
 */
import { formatBytes, sumFigures, weakest, type Figure } from './figure';
import type { LayerSizing } from './copy-layer';
import { commandSizers } from './sizers';
import type { LayerPart, RunSizingContext } from './sizers/types';
import type { ShellCommand } from '../shell/types';
import { describeCommand } from './sizers/describe';

export type { EarlierWriter } from './sizers/types';

export function estimateRun(context: RunSizingContext): LayerSizing {
  const { instruction, commands } = context;
  if (instruction.jsonForm) return { figure: null, explanation: 'exec-form RUN: its effect is not known', parts: [] };
  if (commands.length === 0) return { figure: { bytes: 0, source: 'derived', confidence: 'medium', note: 'no commands' }, explanation: 'runs no command', parts: [] };

  const claimedBy = new Map<(typeof commandSizers)[number], ShellCommand[]>();
  const unclaimed: ShellCommand[] = [];
  for (const command of commands) {
    const sizer = commandSizers.find((s) => s.claims(command, context));
    if (sizer) claimedBy.set(sizer, [...(claimedBy.get(sizer) ?? []), command]);
    else unclaimed.push(command);
  }
  const parts: LayerPart[] = [];
  const unsized: string[] = [];
  const notes: string[] = [];
  const caps: Figure['confidence'][] = [];
  const sizersUsed: string[] = [];
  for (const [sizer, claimed] of claimedBy) {
    const result = sizer.size(claimed, context);
    parts.push(...result.parts.filter((p) => p.figure.bytes !== 0));
    unsized.push(...result.unsized);
    notes.push(...(result.notes ?? []));
    if (result.confidenceCap) caps.push(result.confidenceCap);
    if (result.parts.length > 0) sizersUsed.push(sizer.name);
  }
  unsized.push(...unclaimed.map(describeCommand));
  const sorted = sortParts(parts);
  if (unsized.length > 0) {
    return { figure: null, explanation: `no size data for: ${unique(unsized).slice(0, 4).join(', ')}`, parts: sorted };
  }
  if (sorted.length > 0) {
    const figure = sumFigures(sorted.map((p) => p.figure), sizersUsed.join(' + '));
    const confidence = weakest(figure.confidence, ...caps);
    return {
      figure: { ...figure, bytes: Math.max(0, figure.bytes), low: Math.max(0, figure.low ?? figure.bytes), confidence },
      explanation: `${sorted.map((p) => `${p.label} ~${formatBytes(p.figure.bytes)}`).join(', ')}${notes.length ? ` — ${notes.join('; ')}` : ''}`,
      parts: sorted,
    };
  }
  const removes = commands.some((c) => c.name === 'rm' || c.name === 'rmdir');
  const changedNothing = claimedBy.size > 0 && [...claimedBy.keys()].some((s) => s.name === 'apt');
  const figure: Figure = { bytes: 0, source: 'derived', confidence: 'medium', note: 'commands that write next to nothing' };
  return {
    figure: sumFigures([figure]),
    explanation: changedNothing ? 'apt changes next to nothing'
      : removes
        ? 'deletes files: a later layer cannot shrink the image — the files stay in the layer that created them'
        : 'only commands that write next to nothing (users, permissions, links, folders)',
    parts: [],
  };
}

function sortParts(parts: LayerPart[]): LayerPart[] {
  return [...parts].sort((a, b) => b.figure.bytes - a.figure.bytes);
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
