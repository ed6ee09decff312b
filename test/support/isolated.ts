/**
 * Runs engine work in a worker thread that is terminated when it runs past a generous bound. A hang then
 * fails one test with a clear message instead of freezing the whole suite. The bound is a hang detector,
 * not a speed check: expected run times are far below it.
 */
import { Worker } from 'node:worker_threads';
import path from 'node:path';

export type IsolatedJob =
  | { kind: 'analyze'; text: string; maxFileBytes?: number; noRules?: boolean }
  | { kind: 'regex'; cases: { source: string; flags: string; inputs: string[] }[] };

export interface AnalyzeSummary {
  ms: number;
  skipped: string | null;
  findings: { ruleId: string; line: number }[];
  problems: { message: string; line: number }[];
  internalErrors: string[];
  /** Ranges (findings, problems, fix edits) that do not lie inside the document. */
  rangesOutside: string[];
  lineCount: number;
}

export interface RegexProgress { started: number; finished: number }

const workerFile = path.join(__dirname, 'isolated-worker.ts');

/** Runs `job` in a fresh worker; rejects with `what did not finish within N s` when it does not return. */
export function runIsolated<T>(job: IsolatedJob, boundMs: number, onProgress?: (message: RegexProgress) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    // tsx registers in the worker too, so the worker runs the engine's TypeScript sources as the tests do.
    const worker = new Worker(`require('tsx/cjs'); require(${JSON.stringify(workerFile)});`, { eval: true, workerData: job });
    const timer = setTimeout(() => {
      void worker.terminate();
      reject(new Error(`did not finish within ${boundMs / 1000} s (a hang or super-linear slowdown)`));
    }, boundMs);
    worker.on('message', (message: { progress?: RegexProgress; result?: T }) => {
      if (message.progress) { onProgress?.(message.progress); return; }
      clearTimeout(timer);
      void worker.terminate();
      resolve(message.result as T);
    });
    worker.on('error', (error) => { clearTimeout(timer); reject(error); });
  });
}

export function analyzeIsolated(text: string, options: { maxFileBytes?: number; noRules?: boolean } = {}, boundMs = 60000): Promise<AnalyzeSummary> {
  return runIsolated<AnalyzeSummary>({ kind: 'analyze', text, ...options }, boundMs);
}
