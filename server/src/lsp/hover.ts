/**
 * Hover cards: on FROM, the base image and the stage's size, layer by layer; on other instructions, the
 * layer's estimate and why. Markdown is built from engine values only.
 */
import type { Report } from '../engine';
import type { Position } from '../model/types';
import type { Figure } from '../sizing/figure';
import { formatBytes } from '../sizing/figure';
import type { StageEstimate } from '../sizing/types';

export function hoverMarkdown(report: Report, position: Position): string | null {
  const { model, image } = report;
  const instruction = model.instructions.find((i) => i.range.start.line <= position.line && i.range.end.line >= position.line);
  if (!instruction || instruction.stageIndex < 0) return null;
  const stage = model.stages[instruction.stageIndex];
  const stageEstimate = image.stages[instruction.stageIndex];
  if (!stage || !stageEstimate) return null;
  if (instruction.keyword === 'FROM') return fromCard(report, stageEstimate);
  const layer = stageEstimate.layers.find((l) => l.instructionIndex === instruction.index);
  if (!layer) return null;
  const lines = [`**${instruction.keyword}** layer: ${layer.figure ? figureText(layer.figure) : 'no estimate'}`, '', layer.explanation];
  if (layer.parts.length > 1) {
    lines.push('', '| part | size |', '|---|---:|');
    for (const part of layer.parts) lines.push(`| ${escapeCell(part.label)} | ${figureText(part.figure)} |`);
  }
  return lines.join('\n');
}

function fromCard(report: Report, stage: StageEstimate): string {
  const { model, image } = report;
  const modelStage = model.stages[stage.index];
  const title = modelStage.name ? `stage \`${modelStage.name}\` (#${stage.index})` : `stage #${stage.index}`;
  const ships = model.finalStageIndex === stage.index ? 'final image' : model.shippedStageIndexes.has(stage.index) ? 'ships (a possible --target or a base of one)' : 'builder: ships only what is copied out';
  const lines = [
    `**${escapeCell(modelStage.from.expanded || modelStage.from.raw)}** — ${title}, ${ships}`,
    '',
    `- Base: ${stage.base.figure ? figureText(stage.base.figure) : 'unknown size'} — ${stage.base.explanation}`,
  ];
  if (modelStage.from.unresolved.length) lines.push(`- Depends on build args without a default: ${modelStage.from.unresolved.map((v) => `\`${v}\``).join(', ')}`);
  lines.push(`- This stage adds: ${figureText(stage.added)}`);
  lines.push(`- Stage total: ${stage.total ? figureText(stage.total) : 'unknown (some sizes are not known)'}`);
  if (image.finalStage !== null && image.finalStage !== stage.index) {
    lines.push(`- Final image: ${image.total ? figureText(image.total) : 'unknown'}`);
  }
  const biggest = stage.layers.filter((l) => l.figure && l.figure.bytes > 0).sort((a, b) => (b.figure as Figure).bytes - (a.figure as Figure).bytes).slice(0, 5);
  if (biggest.length) {
    lines.push('', '| line | layer | size |', '|---:|---|---:|');
    for (const l of biggest) lines.push(`| ${l.line + 1} | ${l.keyword} | ${figureText(l.figure as Figure)} |`);
  }
  if (stage.base.smallerVariants.length) {
    lines.push('', 'Smaller variants: ' + stage.base.smallerVariants.slice(0, 4).map((v) => `\`${v.reference}\` ${formatBytes(v.figure.bytes)} (−${formatBytes(v.savedBytes)})`).join(', '));
  }
  return lines.join('\n');
}

function figureText(f: Figure): string {
  return `~${formatBytes(f.bytes)} *(${f.confidence} confidence${f.source ? `, ${f.source.replace('-', ' ')}` : ''})*`;
}

function escapeCell(text: string): string {
  return text.replace(/[|\\`*_]/g, (c) => `\\${c}`);
}
