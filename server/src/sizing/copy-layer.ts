/**
 * What a COPY or ADD adds: measured from the build context on disk (after .dockerignore), from heredoc
 * text, or — for `--from=<stage>` — derived from that stage's estimate of the copied paths.
 */
import type { DockerfileModel, Instruction } from '../model/types';
import type { BuildContext } from '../engine-env';
import type { StageEstimate } from './types';
import { sumFigures, type Figure } from './figure';
import { trimTrailingSlashes } from '../text/paths';

export interface LayerSizing { figure: Figure | null; explanation: string; parts: { label: string; figure: Figure }[] }

export function estimateCopy(model: DockerfileModel, instruction: Instruction, context: BuildContext | null, earlierStages: readonly StageEstimate[]): LayerSizing {
  const copy = instruction.copy;
  if (!copy) return { figure: null, explanation: 'no sources', parts: [] };
  if (instruction.heredocs.length > 0) {
    const bytes = instruction.heredocs.reduce((s, h) => s + utf8Length(h.content) + 1, 0);
    const figure: Figure = { bytes, source: 'measured', confidence: 'high', note: 'inline heredoc content' };
    return { figure, explanation: 'inline heredoc content', parts: [{ label: 'heredoc files', figure }] };
  }
  if (copy.fromStage !== null) return copyFromStage(model, instruction, copy.fromStage, earlierStages);
  if (copy.from !== null) return { figure: null, explanation: `copies from image '${copy.from}': its files are not known here`, parts: [] };
  const remote = copy.sources.find((s) => /^(https?|git):\/\//.test(s.expanded) || s.expanded.startsWith('git@'));
  if (remote) return { figure: null, explanation: `downloads ${remote.expanded} at build time: size unknown until built`, parts: [] };
  if (!context) return { figure: null, explanation: 'build context not available (untrusted workspace or not on disk)', parts: [] };
  const parts: { label: string; figure: Figure }[] = [];
  let truncated = false;
  let anyArchive = false;
  for (const source of copy.sources) {
    const measured = context.measure(source.expanded);
    if (!measured) continue;
    truncated ||= measured.truncated;
    const isArchive = instruction.keyword === 'ADD' && /\.(tar(\.(gz|bz2|xz|zst))?|tgz|tbz2?|txz)$/.test(source.expanded);
    anyArchive ||= isArchive;
    parts.push({
      label: source.expanded,
      figure: {
        bytes: measured.bytes,
        source: 'measured',
        // ADD unpacks local archives: the layer holds the unpacked files, larger than the archive.
        confidence: measured.truncated || isArchive ? 'low' : 'high',
        note: `${measured.files} file${measured.files === 1 ? '' : 's'} in the build context${context.dockerignore ? ' after .dockerignore' : ' (no .dockerignore)'}`,
        ...(isArchive ? { low: measured.bytes } : {}),
      },
    });
  }
  if (parts.length === 0) return { figure: null, explanation: 'no source matched in the build context', parts };
  const figure = sumFigures(parts.map((p) => p.figure), 'measured in the build context');
  const files = parts.map((p) => p.figure.note).join('; ');
  const explanation = `${files}${truncated ? ' — the walk hit its limit, so this is a lower bound' : ''}${anyArchive ? ' — ADD unpacks the archive, so the layer is larger' : ''}`;
  return { figure, explanation, parts: parts.sort((a, b) => b.figure.bytes - a.figure.bytes) };
}

function copyFromStage(model: DockerfileModel, instruction: Instruction, fromStage: number, earlierStages: readonly StageEstimate[]): LayerSizing {
  const source = earlierStages[fromStage];
  const stageName = model.stages[fromStage]?.name ?? `#${fromStage}`;
  if (!source) return { figure: null, explanation: `copies from stage '${stageName}', which has no estimate`, parts: [] };
  const paths = instruction.copy?.sources.map((s) => s.expanded) ?? [];
  if (paths.some((p) => p === '/' || p === '/.')) {
    return source.total
      ? { figure: { ...source.total, source: 'derived', note: `the whole filesystem of stage '${stageName}'` }, explanation: `copies the whole filesystem of stage '${stageName}'`, parts: [] }
      : { figure: null, explanation: `copies the whole filesystem of stage '${stageName}', whose size is unknown`, parts: [] };
  }
  // Attribute the copied paths to the layers of the source stage whose commands name them.
  const producing = source.layers.filter((layer) => {
    const producer = model.instructions[layer.instructionIndex];
    const words = producer?.shell?.commands.flatMap((c) => c.argv.map((w) => w.value)) ?? producer?.args.map((a) => a.expanded) ?? [];
    return layer.figure && paths.some((p) => words.some((w) => mentionsPath(w, p)));
  });
  if (producing.length === 0) return { figure: null, explanation: `copies ${paths.join(', ')} from stage '${stageName}': no layer there is known to produce it`, parts: [] };
  const figure = sumFigures(producing.map((l) => l.figure as Figure), `from stage '${stageName}'`);
  return {
    figure: { ...figure, source: 'derived', confidence: 'low', low: 0 },
    explanation: `at most what stage '${stageName}' wrote there (lines ${producing.map((l) => l.line + 1).join(', ')}); the copied part may be smaller`,
    parts: [],
  };
}

function mentionsPath(word: string, path: string): boolean {
  const clean = (s: string) => trimTrailingSlashes(s).replace(/^\.\//, '');
  const w = clean(word.includes('=') ? word.slice(word.indexOf('=') + 1) : word);
  const p = clean(path);
  return w !== '' && p !== '' && (w === p || w.startsWith(p + '/') || p.startsWith(w + '/'));
}

function utf8Length(text: string): number {
  let bytes = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0) as number;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}
