import { execFileSync } from 'node:child_process';
import { existsSync, statSync, readdirSync } from 'node:fs';
import path from 'node:path';

export const repoRoot = path.resolve(__dirname, '..', '..');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path.join(entry.parentPath ?? (entry as any).path, entry.name)).mtimeMs);
  }
  return newest;
}

/** Builds the server and CLI bundles when missing or older than the sources, so tests run what ships. */
export function ensureBuilt(): { cli: string; server: string } {
  const cli = path.join(repoRoot, 'server/out/cli.js');
  const server = path.join(repoRoot, 'server/out/server.js');
  const stale = !existsSync(cli) || !existsSync(server) || !existsSync(path.join(repoRoot, 'server/out/server-main.js')) || Math.min(statSync(cli).mtimeMs, statSync(server).mtimeMs) < newestSource(path.join(repoRoot, 'server/src'));
  if (stale) execFileSync(process.execPath, [path.join(repoRoot, 'scripts/build.mjs'), '--only=server,cli'], { stdio: 'inherit' });
  return { cli: path.join(repoRoot, 'bin/dockerfile-lean.js'), server };
}
