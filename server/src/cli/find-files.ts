import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** File names the CLI and the extension treat as Dockerfiles. */
export function isDockerfileName(name: string): boolean {
  return /^(Dockerfile|Containerfile)$/i.test(name) || /\.(Dockerfile|dockerfile|Containerfile)$/.test(name) || /^(Dockerfile|Containerfile)\.[^/]+$/i.test(name);
}

const skippedDirectories = new Set(['node_modules', '.git', '.hg', '.svn', 'vendor', '.venv', 'venv', '__pycache__', 'dist', 'out', 'target']);

/** Expands the CLI's PATH arguments: files as given, directories searched (bounded) for Dockerfiles. */
export function findDockerfiles(paths: readonly string[], limit = 10000): { files: string[]; errors: string[] } {
  const files: string[] = [];
  const errors: string[] = [];
  const walk = (dir: string, depth: number) => {
    if (depth > 20 || files.length >= limit) return;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      errors.push(`cannot read directory ${dir}: ${(error as Error).message}`);
      return;
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!skippedDirectories.has(entry.name) && !entry.name.startsWith('.')) walk(full, depth + 1);
      } else if (entry.isFile() && isDockerfileName(entry.name)) {
        files.push(full);
      }
    }
  };
  for (const p of paths) {
    let stats;
    try {
      stats = statSync(p);
    } catch {
      errors.push(`no such file or directory: ${p}`);
      continue;
    }
    if (stats.isDirectory()) walk(p, 0);
    else files.push(p);
  }
  return { files, errors };
}
