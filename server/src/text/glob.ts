/**
 * Docker's COPY source globs (Go's filepath.Match), one path segment at a time, without regular
 * expressions. Pure: shared by the build context reader (io) and the rules that reason about sources.
 */

/**
 * One path segment against a filepath.Match pattern, without regular expressions: the classic wildcard
 * walk that remembers only the last `*`, so it runs in O(pattern × text) whatever the input. A malformed
 * class (`[z-a]`, an unclosed `[`) matches nothing, as Go's ErrBadPattern makes Docker reject it.
 */
export function matchSegment(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let starP = -1;
  let starT = 0;
  while (t < text.length) {
    if (p < pattern.length && pattern[p] === '*') {
      starP = p++;
      starT = t;
      continue;
    }
    if (p < pattern.length) {
      const step = matchOne(pattern, p, text[t]);
      if (step === null) return false;
      if (step > 0) { p += step; t++; continue; }
    }
    if (starP < 0) return false;
    p = starP + 1;
    t = ++starT;
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}

/** Length of the pattern token at `p` when it matches `ch`; 0 when it does not; null when malformed. */
function matchOne(pattern: string, p: number, ch: string): number | null {
  const c = pattern[p];
  if (c === '?') return 1;
  if (c === '\\' && p + 1 < pattern.length) return pattern[p + 1] === ch ? 2 : 0;
  if (c !== '[') return c === ch ? 1 : 0;
  let i = p + 1;
  const negated = pattern[i] === '^' || pattern[i] === '!';
  if (negated) i++;
  let matched = false;
  let first = true;
  while (i < pattern.length && (pattern[i] !== ']' || first)) {
    first = false;
    let low = pattern[i];
    if (low === '\\') low = pattern[++i] ?? '';
    let high = low;
    if (pattern[i + 1] === '-' && pattern[i + 2] !== undefined && pattern[i + 2] !== ']') {
      high = pattern[i + 2] === '\\' ? pattern[i + 3] ?? '' : pattern[i + 2];
      i += pattern[i + 2] === '\\' ? 3 : 2;
      if (high < low) return null;
    }
    if (low <= ch && ch <= high) matched = true;
    i++;
  }
  if (i >= pattern.length) return null;
  return matched !== negated ? i - p + 1 : 0;
}

/** Drops leading `./` and `/` and trailing `/` with plain loops (a regex here backtracks on long runs of `/`). */
export function trimSlashes(value: string): string {
  let start = 0;
  let end = value.length;
  for (;;) {
    if (value.startsWith('./', start)) start += 2;
    else if (value[start] === '/') start += 1;
    else break;
  }
  while (end > start && value[end - 1] === '/') end--;
  return value.slice(start, end);
}
