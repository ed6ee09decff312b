// Pure scoring functions of the size-accuracy benchmark (no I/O), shared by compare.mjs and
// unit tests. Inputs: the measured results.json object and, per case, the `image` object of the
// CLI's JSON output (`dockerfile-lean --format json`), or an error string.

/** RUN layers smaller than this (real bytes) are not scored: their percentage errors are noise. */
export const MIN_RUN_LAYER_BYTES = 1_000_000;
/** --check thresholds (percent). */
export const THRESHOLDS = { medianTotalPct: 10, medianRunLayerPct: 20 };

/** Absolute percentage error, or null when there is no estimate or no real size to compare with. */
export function absPctError(estimate, actual) {
	if (typeof estimate !== 'number' || !Number.isFinite(estimate)) return null;
	if (typeof actual !== 'number' || !(actual > 0)) return null;
	return (Math.abs(estimate - actual) / actual) * 100;
}

/** Linear-interpolated percentile (p in 0..100) of numbers; null for an empty list. */
export function percentile(values, p) {
	const v = values.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
	if (v.length === 0) return null;
	if (v.length === 1) return v[0];
	const pos = (Math.min(100, Math.max(0, p)) / 100) * (v.length - 1);
	const lo = Math.floor(pos);
	const hi = Math.ceil(pos);
	return v[lo] + (v[hi] - v[lo]) * (pos - lo);
}

/** The stage of a CLI `image` a measured case is about: a named target stage, or the final one. */
export function selectStage(image, target) {
	if (!image || !Array.isArray(image.stages)) return null;
	if (target) return image.stages.find((s) => (s.name ?? '').toLowerCase() === target.toLowerCase()) ?? null;
	return image.stages.find((s) => s.index === image.finalStage) ?? image.stages[image.finalStage] ?? null;
}

function summary(errors, nulls, n) {
	return { n, scored: errors.length, nulls, median: percentile(errors, 50), p90: percentile(errors, 90) };
}

/**
 * @param {{cases: any[]}} results  the parsed results.json
 * @param {Map<string, {image?: any, error?: string}> | Record<string, {image?: any, error?: string}>} estimates  keyed by case name
 * @param {{minRunLayerBytes?: number, thresholds?: typeof THRESHOLDS}} [opts]
 */
export function scoreResults(results, estimates, opts = {}) {
	const minRun = opts.minRunLayerBytes ?? MIN_RUN_LAYER_BYTES;
	const thresholds = { ...THRESHOLDS, ...(opts.thresholds ?? {}) };
	const get = (name) => (estimates instanceof Map ? estimates.get(name) : estimates?.[name]);
	const rows = []; // every compared item, for the misses table
	const totalErr = [];
	const runErr = [];
	const copyErr = [];
	let totalN = 0, totalNulls = 0, runN = 0, runNulls = 0, copyN = 0, copyNulls = 0;
	let runSkippedSmall = 0;
	const caseProblems = [];
	const cases = (results?.cases ?? []).filter((c) => !c.error && Array.isArray(c.layers));
	for (const c of cases) {
		const est = get(c.name);
		const image = est?.image ?? null;
		const stage = image ? selectStage(image, c.target) : null;
		if (!image || !stage) caseProblems.push({ case: c.name, problem: est?.error ?? (image ? `no stage ${c.target ?? 'final'} in the CLI output` : 'no estimate') });

		// image totals: final-stage cases only (a target stage is not an image the user ships)
		if (!c.target) {
			totalN++;
			const e = image ? image.estimatedBytes : null;
			const err = absPctError(e, c.totalBytes);
			if (err === null) totalNulls++;
			else totalErr.push(err);
			rows.push({ case: c.name, kind: 'total', line: null, instruction: 'IMAGE', actual: c.totalBytes, estimate: e ?? null, errorPct: err, confidence: image?.confidence ?? null });
		}

		const byLine = new Map((stage?.layers ?? []).map((l) => [l.line, l]));
		for (const l of c.layers) {
			const el = byLine.get(l.line);
			const e = el ? el.estimatedBytes : null;
			const err = absPctError(e, l.bytes);
			const row = { case: c.name, kind: 'layer', line: l.line, instruction: l.instruction, actual: l.bytes, estimate: e ?? null, errorPct: err, confidence: el?.confidence ?? null, matched: !!el };
			if (l.instruction === 'RUN') {
				if (l.bytes < minRun) {
					runSkippedSmall++;
					continue;
				}
				runN++;
				if (err === null) runNulls++;
				else runErr.push(err);
			} else {
				copyN++;
				if (err === null) copyNulls++;
				else copyErr.push(err);
			}
			rows.push(row);
		}
	}
	const totals = summary(totalErr, totalNulls, totalN);
	const runLayers = { ...summary(runErr, runNulls, runN), skippedSmall: runSkippedSmall, minBytes: minRun };
	const copyLayers = summary(copyErr, copyNulls, copyN);
	const misses = rows
		.filter((r) => r.errorPct !== null)
		.sort((a, b) => b.errorPct - a.errorPct || b.actual - a.actual);
	const unestimated = rows.filter((r) => r.errorPct === null);
	const failures = [];
	if (totals.median === null) failures.push('no image total could be scored (all estimates null or missing)');
	else if (totals.median > thresholds.medianTotalPct) failures.push(`median image-total error ${totals.median.toFixed(1)}% > ${thresholds.medianTotalPct}%`);
	if (runLayers.median === null) failures.push('no RUN layer could be scored (all estimates null or missing)');
	else if (runLayers.median > thresholds.medianRunLayerPct) failures.push(`median RUN-layer error ${runLayers.median.toFixed(1)}% > ${thresholds.medianRunLayerPct}%`);
	return { cases: cases.length, totals, runLayers, copyLayers, misses, unestimated, caseProblems, thresholds, pass: failures.length === 0, failures };
}
