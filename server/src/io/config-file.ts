/**
 * `.dockerfile-lean.json`: project settings read by both the CLI and the language server, found by
 * walking up from the Dockerfile's folder (stopping at the repository root). A malformed file never stops
 * the analysis: its problems are reported and the valid parts used.
 *
 *   { "rules": { "apt-no-install-recommends": "off" }, "buildArgs": { "PY": "3.12" }, "buildContext": ".." }
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { allRules } from '../rules';
import type { RuleSetting } from '../rules/types';

export const configFileName = '.dockerfile-lean.json';

export interface ProjectConfig {
  /** Where the config came from, or null when none was found. */
  file: string | null;
  rules: Record<string, RuleSetting>;
  buildArgs: Record<string, string>;
  /** Absolute build context folder, when the config names one. */
  buildContext: string | null;
  problems: string[];
}

const settings = new Set(['off', 'error', 'warning', 'info', 'hint']);

export function findConfigFile(startDir: string): string | null {
  let dir = path.resolve(startDir);
  for (let depth = 0; depth < 64; depth++) {
    const candidate = path.join(dir, configFileName);
    if (existsSync(candidate)) return candidate;
    if (existsSync(path.join(dir, '.git'))) return null;
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
  return null;
}

export function readProjectConfig(file: string | null): ProjectConfig {
  const config: ProjectConfig = { file, rules: {}, buildArgs: {}, buildContext: null, problems: [] };
  if (!file) return config;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    config.problems.push(`${file}: not valid JSON (${(error as Error).message}); using defaults`);
    return config;
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    config.problems.push(`${file}: expected a JSON object; using defaults`);
    return config;
  }
  const input = raw as Record<string, unknown>;
  for (const key of Object.keys(input)) {
    if (!['rules', 'buildArgs', 'buildContext', '$schema'].includes(key)) config.problems.push(`${file}: unknown key '${key}' (ignored)`);
  }
  if (input.rules !== undefined) {
    if (typeof input.rules !== 'object' || input.rules === null) config.problems.push(`${file}: "rules" must be an object`);
    else {
      for (const [id, value] of Object.entries(input.rules as Record<string, unknown>)) {
        if (!allRules.some((r) => r.meta.id === id)) config.problems.push(`${file}: unknown rule id '${id}' (ignored)`);
        else if (typeof value !== 'string' || !settings.has(value)) config.problems.push(`${file}: rule '${id}': '${String(value)}' is not off, error, warning, info or hint (ignored)`);
        else config.rules[id] = value as RuleSetting;
      }
    }
  }
  if (input.buildArgs !== undefined) {
    if (typeof input.buildArgs !== 'object' || input.buildArgs === null) config.problems.push(`${file}: "buildArgs" must be an object`);
    else for (const [name, value] of Object.entries(input.buildArgs as Record<string, unknown>)) {
      if (typeof value === 'string' || typeof value === 'number') config.buildArgs[name] = String(value);
      else config.problems.push(`${file}: build arg '${name}' must be a string (ignored)`);
    }
  }
  if (input.buildContext !== undefined) {
    if (typeof input.buildContext === 'string') config.buildContext = path.resolve(path.dirname(file), input.buildContext);
    else config.problems.push(`${file}: "buildContext" must be a string path (ignored)`);
  }
  return config;
}

/** Caches configs per folder for one run or one server session; `invalidate` on file changes. */
export class ProjectConfigCache {
  private readonly byDir = new Map<string, ProjectConfig>();

  forDockerfile(dockerfilePath: string): ProjectConfig {
    const dir = path.dirname(path.resolve(dockerfilePath));
    let config = this.byDir.get(dir);
    if (!config) {
      config = readProjectConfig(findConfigFile(dir));
      this.byDir.set(dir, config);
    }
    return config;
  }

  invalidate(): void { this.byDir.clear(); }
}
