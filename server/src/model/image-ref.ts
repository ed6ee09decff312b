import type { ImageRef, Range } from './types';

/**
 * Splits an image reference the way the Docker CLI does: the first path component is a registry only
 * when it has a dot or a port, or is `localhost`; Docker Hub's implicit `library/` is dropped.
 */
export function parseImageReference(raw: string, expanded: string, unresolved: string[], range: Range): ImageRef {
  let rest = expanded.trim();
  let digest: string | null = null;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1) || null;
    rest = rest.slice(0, at);
  }
  let tag: string | null = null;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1) || null;
    rest = rest.slice(0, colon);
  }
  let registry: string | null = null;
  const firstSlash = rest.indexOf('/');
  if (firstSlash > 0) {
    const first = rest.slice(0, firstSlash);
    if (first.includes('.') || first.includes(':') || first === 'localhost') {
      registry = first;
      rest = rest.slice(firstSlash + 1);
    }
  }
  const dockerHub = registry === null || registry === 'docker.io' || registry === 'index.docker.io' || registry === 'registry-1.docker.io';
  if (dockerHub && rest.startsWith('library/')) rest = rest.slice('library/'.length);
  return { raw, expanded, registry, repository: rest.toLowerCase(), tag, digest, unresolved, range };
}
