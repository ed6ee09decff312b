/**
 * Loads the package-manager data packs (npm-packages.json.gz, python-wheels.json) lazily, once per process.
 * They are small (well under a MB); a missing or corrupt one gives null and a problem message, like the
 * other packs, and the sizers then leave npm/pip layers unknown.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { isNpmPackData, type NpmPackData } from '../sizing/sizers/node-packages';
import { isPythonWheelData, type PythonWheelData } from '../sizing/sizers/python-wheels';

export interface PackageDataLoad<T> { value: T | null; problem: string | null }

const loaded = new Map<string, PackageDataLoad<unknown>>();

function loadJson<T>(file: string, valid: (raw: unknown) => raw is T, what: string): PackageDataLoad<T> {
  const cached = loaded.get(file);
  if (cached) return cached as PackageDataLoad<T>;
  let result: PackageDataLoad<T>;
  try {
    if (!existsSync(file)) result = { value: null, problem: `${what} not found: ${file}` };
    else {
      const bytes = readFileSync(file);
      const raw: unknown = JSON.parse((file.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8'));
      result = valid(raw) ? { value: raw, problem: null } : { value: null, problem: `${what} is not in the expected format (format 1): ${file}` };
    }
  } catch (error) {
    result = { value: null, problem: `${what} is corrupt or unreadable: ${file}: ${(error as Error).message}` };
  }
  loaded.set(file, result);
  return result;
}

export function loadNpmPackData(dataDir: string | null): PackageDataLoad<NpmPackData> {
  if (!dataDir) return { value: null, problem: 'data folder (server/data with base-images.json) not found' };
  return loadJson(path.join(dataDir, 'npm-packages.json.gz'), isNpmPackData, 'npm package data');
}

export function loadPythonWheelData(dataDir: string | null): PackageDataLoad<PythonWheelData> {
  if (!dataDir) return { value: null, problem: 'data folder (server/data with base-images.json) not found' };
  return loadJson(path.join(dataDir, 'python-wheels.json'), isPythonWheelData, 'Python wheel data');
}
