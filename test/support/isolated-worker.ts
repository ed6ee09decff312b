// Worker side of isolated.ts: runs one job and posts its result (and, for regex jobs, progress).
import { parentPort, workerData } from 'node:worker_threads';
import { analyze } from '../../server/src/engine';
import type { AnalyzeSummary, IsolatedJob } from './isolated';
import { rangesOutside } from './invariants';

const job = workerData as IsolatedJob;

if (job.kind === 'analyze') {
  const started = performance.now();
  const report = analyze(job.text, { config: { maxFileBytes: job.maxFileBytes }, rules: job.noRules ? [] : undefined });
  const ms = performance.now() - started;
  const result: AnalyzeSummary = {
    ms,
    skipped: report.skipped,
    findings: report.findings.map((f) => ({ ruleId: f.ruleId, line: f.range.start.line })),
    problems: report.problems.map((p) => ({ message: p.message, line: p.range.start.line })),
    internalErrors: report.internalErrors,
    rangesOutside: rangesOutside(report).slice(0, 10),
    lineCount: report.model.lines.length,
  };
  parentPort!.postMessage({ result });
} else {
  job.cases.forEach((c, index) => {
    parentPort!.postMessage({ progress: { started: index, finished: index - 1 } });
    const pattern = new RegExp(c.source, c.flags);
    for (const input of c.inputs) {
      pattern.lastIndex = 0;
      if (pattern.global) [...input.matchAll(pattern)];
      else pattern.exec(input);
      input.replace(pattern, '');
      input.split(pattern);
    }
  });
  parentPort!.postMessage({ result: { done: job.cases.length } });
}
