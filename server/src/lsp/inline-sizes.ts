/**
 * Inline size estimates.
 * - Per layer: an inlay hint at the end of the instruction's first line ("+12 MB"). Hints annotate
 *   without moving text, so the file keeps its shape while the user types.
 * - Per stage: a CodeLens above each FROM ("stage 'build' ≈ 310 MB · builder"), a heading that can be
 *   clicked to open the breakdown view — CodeLens is the right tool for a line above a block.
 */
import type { CodeLens, InlayHint } from 'vscode-languageserver/node';
import type { Report } from '../engine';
import type { Range } from '../model/types';
import { formatBytes, type Figure } from '../sizing/figure';

export const showBreakdownCommand = 'dockerfileLean.showBreakdown';

export function layerInlayHints(report: Report, range: Range): InlayHint[] {
  const hints: InlayHint[] = [];
  for (const stage of report.image.stages) {
    for (const layer of stage.layers) {
      if (layer.metadataOnly || layer.line < range.start.line || layer.line > range.end.line) continue;
      const lineText = report.model.lines[layer.line] ?? '';
      const label = layer.figure ? `+${formatBytes(layer.figure.bytes)}${layer.figure.confidence === 'low' ? ' ?' : ''}` : '+? MB';
      hints.push({
        position: { line: layer.line, character: lineText.length },
        label: ` ${label}`,
        paddingLeft: true,
        tooltip: { kind: 'markdown', value: layerTooltip(layer.figure, layer.explanation) },
      });
    }
  }
  return hints;
}

function layerTooltip(figure: Figure | null, explanation: string): string {
  if (!figure) return `Layer size unknown: ${explanation}`;
  return `Layer adds ~${formatBytes(figure.bytes)} (${figure.confidence} confidence, ${figure.source.replace('-', ' ')})\n\n${explanation}`;
}

export function stageCodeLenses(report: Report, uri: string): CodeLens[] {
  const { model, image } = report;
  return image.stages.map((stage) => {
    const modelStage = model.stages[stage.index];
    const line = modelStage.fromInstruction.range.start.line;
    const name = modelStage.name ? `'${modelStage.name}'` : `#${stage.index}`;
    const role = model.finalStageIndex === stage.index ? 'final image' : model.shippedStageIndexes.has(stage.index) ? 'ships' : 'builder';
    const unknownLayers = stage.layers.filter((l) => !l.figure).length;
    const total = stage.total
      ? `≈ ${formatBytes(stage.total.bytes)}`
      : `≥ ${formatBytes((stage.base.figure?.bytes ?? 0) + stage.added.bytes)} (${[stage.base.figure ? '' : 'base size unknown', unknownLayers ? `${unknownLayers} layer${unknownLayers === 1 ? '' : 's'} unknown` : ''].filter(Boolean).join(', ')})`;
    return {
      range: { start: { line, character: 0 }, end: { line, character: 0 } },
      command: { title: `Stage ${name} ${total} · ${role}`, command: showBreakdownCommand, arguments: [uri, stage.index] },
    };
  });
}
