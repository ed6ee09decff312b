/**
 * The image breakdown as Markdown. Pure presentation of the server's `dockerfileLean/imageSummary`
 * answer (the same shape as the CLI's `--format json` `image` object): no estimates are made here.
 */
import type * as vscode from 'vscode';

// The server's own types and byte formatting: the client shows exactly what the server computed.
import type { ImageJson, LayerJson, StageJson } from '../../server/src/report/image-json';
import { formatBytes } from '../../server/src/sizing/figure';

export type ImageSummary = ImageJson;
export type StageSummary = StageJson;
export type LayerSummary = LayerJson;
export { formatBytes };

const size = (bytes: number | null, confidence: string | null) =>
  bytes === null ? 'unknown' : `~${formatBytes(bytes)}${confidence ? ` (${confidence})` : ''}`;
const cell = (text: string) => text.replace(/[|\\`*_<>]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');

export function breakdownMarkdown(source: vscode.Uri, summary: ImageSummary | null): string {
  const name = source.path.split('/').pop() || source.toString();
  const lines = [`# Image breakdown: ${cell(name)}`, ''];
  if (!summary) {
    lines.push('No estimate is available: the file is not open, Dockerfile Lean is disabled for it, or the language server is not running.');
    return lines.join('\n') + '\n';
  }
  lines.push(`**Final image: ${size(summary.estimatedBytes, summary.confidence)}**`, '');
  for (const stage of summary.stages) {
    const role = summary.finalStage === stage.index ? 'final stage' : stage.ships ? 'ships' : 'builder (ships only what is copied out)';
    lines.push(`## Stage ${stage.index}${stage.name ? ` \`${stage.name}\`` : ''}: ${cell(stage.from)} — ${role}`, '');
    lines.push(`Stage total: ${size(stage.estimatedBytes, stage.confidence)}`, '');
    lines.push('| line | instruction | size | why |', '|---:|---|---:|---|');
    // Each line number links to that line of the Dockerfile (Ctrl+click in the editor, click in the preview).
    const at = (line: number) => `[${line + 1}](${source.with({ fragment: `L${line + 1}` }).toString()})`;
    lines.push(`| ${at(stage.line)} | FROM | ${size(stage.baseBytes, stage.baseConfidence)} | ${cell(stage.baseExplanation)} |`);
    // Biggest layers first, as in dive; unknown sizes after the known ones, metadata-only last.
    const rank = (l: LayerSummary) => (l.metadataOnly ? -2 : l.estimatedBytes === null ? -1 : l.estimatedBytes);
    for (const layer of [...stage.layers].sort((a, b) => rank(b) - rank(a) || a.line - b.line)) {
      const layerSize = layer.metadataOnly ? 'metadata' : size(layer.estimatedBytes, layer.confidence);
      lines.push(`| ${at(layer.line)} | ${cell(layer.instruction)} | ${layerSize} | ${cell(layer.explanation)} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}
