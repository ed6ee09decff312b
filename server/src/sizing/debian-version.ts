/**
 * Debian version order (deb-version(7)), shared by the engine (versioned Provides against versioned
 * relations) and scripts/gen-debian-data.mjs (the newest of a package's versions across suites wins).
 */

/** Whether Debian version `version` meets `op wanted` (deb-version(7) order). */
export function versionSatisfies(version: string, op: string, wanted: string): boolean {
  const c = compareDebianVersions(version, wanted);
  switch (op) {
    case '<<': return c < 0;
    case '<=': return c <= 0;
    case '=': return c === 0;
    case '>=': return c >= 0;
    case '>>': return c > 0;
    default: return false;
  }
}

/** dpkg's version order: epoch, then upstream and revision, each compared as alternating text and digit runs. */
export function compareDebianVersions(a: string, b: string): number {
  const split = (v: string): [number, string, string] => {
    const colon = v.indexOf(':');
    const epoch = colon >= 0 ? Number(v.slice(0, colon)) : 0;
    const rest = colon >= 0 ? v.slice(colon + 1) : v;
    const dash = rest.lastIndexOf('-');
    return [epoch, dash >= 0 ? rest.slice(0, dash) : rest, dash >= 0 ? rest.slice(dash + 1) : ''];
  };
  // '~' sorts before everything, even the end of the string; letters before other symbols.
  const order = (ch: string) => (ch === '~' ? -1 : ch === '' ? 0 : /[A-Za-z]/.test(ch) ? ch.charCodeAt(0) : ch.charCodeAt(0) + 256);
  const isDigit = (ch: string | undefined) => ch !== undefined && ch >= '0' && ch <= '9';
  const part = (x: string, y: string): number => {
    let i = 0;
    let j = 0;
    while (i < x.length || j < y.length) {
      while ((i < x.length && !isDigit(x[i])) || (j < y.length && !isDigit(y[j]))) {
        const cx = i < x.length && !isDigit(x[i]) ? x[i] : '';
        const cy = j < y.length && !isDigit(y[j]) ? y[j] : '';
        const d = order(cx) - order(cy);
        if (d !== 0) return d;
        if (cx) i++;
        if (cy) j++;
      }
      let nx = '';
      let ny = '';
      while (isDigit(x[i])) nx += x[i++];
      while (isDigit(y[j])) ny += y[j++];
      const d = Number(nx || 0) - Number(ny || 0);
      if (d !== 0) return d;
    }
    return 0;
  };
  const [ea, ua, ra] = split(a);
  const [eb, ub, rb] = split(b);
  return ea - eb || part(ua, ub) || part(ra, rb);
}
