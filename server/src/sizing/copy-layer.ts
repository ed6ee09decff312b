/**
 * What a COPY or ADD adds: measured from the build context on disk (after .dockerignore), from heredoc
 * text, or — for `--from=<stage>` — derived from that stage's estimate of the copied paths. ADD unpacks
 * the local tar archives it names, so those count at their unpacked size (see server/src/io/archive.ts).
 */
import type { DockerfileModel, Instruction } from '../model/types';
import type { BuildContext } from '../engine-env';
import type { StageEstimate } from './types';
import { formatBytes, sumFigures, type Figure } from './figure';
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
  const unsized: string[] = [];
  const unpackedNotes: string[] = [];
  let truncated = false;
  for (const source of copy.sources) {
    const measured = context.measure(source.expanded);
    if (!measured) continue;
    truncated ||= measured.truncated;
    // ADD unpacks the local tar archives a source names directly: those files cost their unpacked content.
    const unpacked = instruction.keyword === 'ADD' ? addedArchives(source.expanded, context) : { parts: [], replacedBytes: 0, replacedFiles: 0, unsized: [], notes: [] };
    parts.push(...unpacked.parts);
    unsized.push(...unpacked.unsized);
    unpackedNotes.push(...unpacked.notes);
    const restBytes = measured.bytes - unpacked.replacedBytes;
    const restFiles = measured.files - unpacked.replacedFiles;
    if (restFiles > 0 || unpacked.parts.length === 0) {
      parts.push({
        label: source.expanded,
        figure: {
          bytes: restBytes,
          source: 'measured',
          confidence: measured.truncated ? 'low' : 'high',
          note: `${restFiles} file${restFiles === 1 ? '' : 's'} in the build context${context.dockerignore ? ' after .dockerignore' : ' (no .dockerignore)'}`,
        },
      });
    }
  }
  if (unsized.length > 0) return { figure: null, explanation: unsized.join('; '), parts };
  if (parts.length === 0) return { figure: null, explanation: 'no source matched in the build context', parts };
  const figure = sumFigures(parts.map((p) => p.figure), unpackedNotes.length ? 'measured in the build context; archives as ADD unpacks them' : 'measured in the build context');
  const files = parts.map((p) => p.figure.note).join('; ');
  const explanation = `${files}${truncated ? ' — the walk hit its limit, so this is a lower bound' : ''}`;
  return { figure, explanation, parts: parts.sort((a, b) => b.figure.bytes - a.figure.bytes) };
}

interface AddedArchives {
  parts: { label: string; figure: Figure }[];
  /** Bytes and files of the archives themselves, which the layer holds unpacked instead. */
  replacedBytes: number;
  replacedFiles: number;
  unsized: string[];
  notes: string[];
}

/** The archives an ADD source names, each as the layer holds it once unpacked. */
function addedArchives(source: string, context: BuildContext): AddedArchives {
  const result: AddedArchives = { parts: [], replacedBytes: 0, replacedFiles: 0, unsized: [], notes: [] };
  if (!context.archives) {
    if (archiveLikeName.test(source)) result.unsized.push(`ADD unpacks ${source}, and this build context cannot read archives`);
    return result;
  }
  for (const archive of context.archives(source)) {
    if (archive.handling === 'copied') continue;
    // An unreadable file ADD would only copy stays measured as it is; one named like a tar cannot be sized.
    if (archive.handling === 'unknown' && archive.compression === 'none' && !archiveLikeName.test(archive.path)) continue;
    if (archive.handling === 'unknown') {
      result.unsized.push(`${archive.path} (${formatBytes(archive.archiveBytes)}): ${archive.compression === 'none' ? 'could not be read' : `${archive.compression} data that ADD unpacks if it holds a tar, which cannot be told without unpacking it`}`);
      continue;
    }
    result.replacedBytes += archive.archiveBytes;
    result.replacedFiles += 1;
    if (archive.contentBytes !== null) {
      result.parts.push({
        label: `${archive.path} unpacked`,
        figure: {
          bytes: archive.contentBytes,
          source: 'measured',
          // A limit means the walk stopped early: the sum is then a lower bound.
          confidence: archive.limit ? 'low' : 'high',
          ...(archive.limit ? { low: archive.contentBytes, high: archive.streamBytes ?? undefined } : {}),
          note: `${archive.entries} entr${archive.entries === 1 ? 'y' : 'ies'} read from the ${archive.compression === 'none' ? 'tar' : `${archive.compression} tar`} (${formatBytes(archive.archiveBytes)} archive)${archive.limit ? `; ${archive.limit}` : ''}`,
        },
      });
      result.notes.push(archive.path);
    } else if (archive.streamBytes !== null) {
      result.parts.push({
        label: `${archive.path} unpacked`,
        figure: {
          bytes: archive.streamBytes, high: archive.streamBytes, source: 'measured', confidence: 'low',
          note: `at most ${formatBytes(archive.streamBytes)}: the unpacked tar stream, headers and padding included (${archive.limit ?? archive.compression})`,
        },
      });
      result.notes.push(archive.path);
    } else {
      result.unsized.push(`ADD unpacks ${archive.path} (${formatBytes(archive.archiveBytes)} ${archive.compression}), whose unpacked size is not known here${archive.limit ? `: ${archive.limit}` : ''} — at least the archive's size`);
    }
  }
  return result;
}

const archiveLikeName = /\.(tar|tgz|tbz2?|txz|tzst|tar\.(gz|bz2|xz|zst))$/i;

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
  // Files that a layer sized one by one (written by dd, a go binary…) give their own size.
  const fileParts = source.layers.flatMap((layer) => layer.parts.filter((part) => part.path !== undefined && paths.some((p) => mentionsPath(part.path as string, p))).map((part) => ({ part, layer })));
  const fileLayers = new Set(fileParts.map((f) => f.layer));
  // Other copied paths are attributed to the layers of the source stage whose commands name them.
  const producing = source.layers.filter((layer) => {
    // WORKDIR and other metadata name paths but write nothing.
    if (fileLayers.has(layer) || layer.metadataOnly) return false;
    const producer = model.instructions[layer.instructionIndex];
    const words = producer?.shell?.commands.flatMap((c) => [...c.argv.slice(1), ...c.writes].map((w) => w.value)) ?? producer?.args.map((a) => a.expanded) ?? [];
    return layer.figure && paths.some((p) => words.some((w) => mentionsPath(w, p)));
  });
  if (producing.length === 0 && fileParts.length === 0) return { figure: null, explanation: `copies ${paths.join(', ')} from stage '${stageName}': no layer there is known to produce it`, parts: [] };
  const exact = producing.length === 0 && paths.every((p) => fileParts.some((f) => f.part.path === p));
  const figure = sumFigures([...fileParts.map((f) => f.part.figure), ...producing.map((l) => l.figure as Figure)], `from stage '${stageName}'`);
  const lines = [...new Set([...fileParts.map((f) => f.layer.line), ...producing.map((l) => l.line)])].sort((a, b) => a - b).map((l) => l + 1);
  return exact
    ? { figure: { ...figure, source: 'derived' }, explanation: `${fileParts.map((f) => f.part.label).join(', ')} from stage '${stageName}' (line${lines.length > 1 ? 's' : ''} ${lines.join(', ')})`, parts: [] }
    : {
      figure: { ...figure, source: 'derived', confidence: 'low', low: 0 },
      explanation: `at most what stage '${stageName}' wrote there (lines ${lines.join(', ')}); the copied part may be smaller`,
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
