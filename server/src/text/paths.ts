/**
 * Trailing `/` and `/*` trimming for paths taken from user text, with loops: the patterns they replace
 * (`/\/+$/`, `/\/+\**$/`) retry a run of slashes from every slash, seconds on 100,000 slashes.
 */

/** `path` without its trailing run of `/`, as `path.replace(/\/+$/, '')` but linear. */
export function trimTrailingSlashes(path: string): string {
  let end = path.length;
  while (end > 0 && path[end - 1] === '/') end--;
  return end === path.length ? path : path.slice(0, end);
}

/** Where the trailing run of `*` starts. */
function starsStart(path: string): number {
  let end = path.length;
  while (end > 0 && path[end - 1] === '*') end--;
  return end;
}

/** Drops a trailing `/+` followed by `*`s (`a//**` → `a`), as `path.replace(/\/+\**$/, '')`. */
export function trimSlashesStars(path: string): string {
  const stars = starsStart(path);
  return stars > 0 && path[stars - 1] === '/' ? trimTrailingSlashes(path.slice(0, stars)) : path;
}

/** Drops one `/` followed by one or more `*`s (`a//*` → `a/`), as `path.replace(/\/\*+$/, '')`. */
export function trimSlashStar(path: string): string {
  const stars = starsStart(path);
  return stars < path.length && stars > 0 && path[stars - 1] === '/' ? path.slice(0, stars - 1) : path;
}
