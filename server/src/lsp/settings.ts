/**
 * The `dockerfileLean.*` settings as the client sends them, checked and turned into engine config.
 * Bad values never crash anything: they are reported once and the defaults are used.
 */
import type { EngineConfig } from '../engine';
import { allRules } from '../rules';
import type { RuleSetting } from '../rules/types';

export interface Settings {
  enable: boolean;
  rules: Record<string, RuleSetting>;
  inlineSizes: { enabled: boolean };
  statusBar: { enabled: boolean };
  platform: string;
  buildContext: string;
  dataFile: string;
  maxFileSizeKB: number;
}

export const defaultSettings: Settings = {
  enable: true,
  rules: {},
  inlineSizes: { enabled: true },
  statusBar: { enabled: true },
  platform: 'linux/amd64',
  buildContext: '',
  dataFile: '',
  maxFileSizeKB: 2048,
};

const ruleSettings = new Set(['off', 'error', 'warning', 'info', 'hint']);

/** Merges raw settings over the defaults, keeping only well-typed values; problems say what was ignored. */
export function readSettings(raw: unknown): { settings: Settings; problems: string[] } {
  const problems: string[] = [];
  const input = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const settings: Settings = structuredClone(defaultSettings);
  if (typeof input.enable === 'boolean') settings.enable = input.enable;
  if (input.rules && typeof input.rules === 'object') {
    for (const [id, value] of Object.entries(input.rules as Record<string, unknown>)) {
      if (!allRules.some((r) => r.meta.id === id)) { problems.push(`dockerfileLean.rules: unknown rule id '${id}' (ignored)`); continue; }
      if (typeof value !== 'string' || !ruleSettings.has(value)) { problems.push(`dockerfileLean.rules.${id}: '${String(value)}' is not one of off, error, warning, info, hint (ignored)`); continue; }
      settings.rules[id] = value as RuleSetting;
    }
  }
  const nested = (key: 'inlineSizes' | 'statusBar') => {
    const v = input[key] as Record<string, unknown> | undefined;
    if (v && typeof v.enabled === 'boolean') settings[key].enabled = v.enabled;
  };
  nested('inlineSizes');
  nested('statusBar');
  for (const key of ['platform', 'buildContext', 'dataFile'] as const) if (typeof input[key] === 'string') settings[key] = input[key] as string;
  if (typeof input.maxFileSizeKB === 'number' && input.maxFileSizeKB > 0) settings.maxFileSizeKB = input.maxFileSizeKB;
  else if (input.maxFileSizeKB !== undefined) problems.push(`dockerfileLean.maxFileSizeKB: '${String(input.maxFileSizeKB)}' is not a positive number (using ${defaultSettings.maxFileSizeKB})`);
  return { settings, problems };
}

export function engineConfigOf(settings: Settings): EngineConfig {
  return { rules: settings.rules, maxFileBytes: settings.maxFileSizeKB * 1024, platform: settings.platform };
}
