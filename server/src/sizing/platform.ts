/**
 * The size data (repo-info base sizes, Debian packs) is for linux/amd64 only. When a build targets another
 * platform (FROM --platform, or the dockerfileLean.platform setting) the estimate stays the amd64 one,
 * says so, and is trusted less: other architectures' images and packages differ by a few percent to a
 * few tens of percent.
 */
const amd64Names = new Set(['amd64', 'x86_64', 'x86-64']);

/** The requested platform when it is not linux/amd64 (normalised, e.g. `linux/arm64`); null otherwise or when unresolved. */
export function otherPlatform(requested: string | null | undefined): string | null {
  const text = requested?.trim().toLowerCase() ?? '';
  if (text === '' || text.includes('$')) return null;
  const parts = text.split('/');
  const [os, arch] = parts.length === 1 ? ['linux', parts[0]] : [parts[0], parts[1] ?? ''];
  if (os === 'linux' && amd64Names.has(arch)) return null;
  return parts.length === 1 ? `linux/${text}` : text;
}

export function platformNote(platform: string): string {
  return `sizes are for linux/amd64: there is no data for ${platform}, so this is an approximation`;
}
