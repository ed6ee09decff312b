/**
 * dockerfile-lean — the CLI on the same engine as the editor (argument parsing and the run itself).
 *
 *   dockerfile-lean [--format text|json|sarif] [--fix] [--rule ID=off|error|warning|info|hint]... PATH...
 *   dockerfile-lean lsp --stdio
 *
 * Exit codes (a stable contract): 0 clean (only info/hint left), 1 a warning or error remains,
 * 2 usage or I/O error.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { analyze, ParseCache, type EngineConfig, type Report } from '../engine';
import { allRules } from '../rules';
import type { RuleSetting } from '../rules/types';
import { isSuppressionFix } from '../rules/runner';
import { applyEdits } from '../text/edits';
import { findDockerfiles } from './find-files';
import { formatJson, formatSarif, formatText, type FileResult } from './formats';
import { FileSystemEnvironment } from '../io/environment';

const version = '0.1.0';

const usage = `Usage: dockerfile-lean [options] PATH...
       dockerfile-lean lsp --stdio

Finds where Dockerfiles waste image space, says how many MB, and fixes what it safely can.
PATH may be files or directories (searched for Dockerfile, Containerfile, *.Dockerfile, Dockerfile.*).

Options:
  --format text|json|sarif   output format (default: text)
  --fix                      apply safe fixes in place, then report what is left
  --fix-suggestions          with --fix, also apply fixes that may change behaviour (e.g. --no-install-recommends)
  --rule ID=SEVERITY         set a rule to off, error, warning, info or hint (repeatable)
  --build-arg NAME=VALUE     value for an ARG, as docker build --build-arg (repeatable)
  --context DIR              build context folder for COPY sizes (default: the Dockerfile's folder)
  --max-file-size KB         skip files larger than this (default 2048)
  --list-rules               print the rules and exit
  --no-color                 plain text output
  -h, --help                 this help
  -v, --version              print the version

Project settings are read from .dockerfile-lean.json (nearest folder up from each Dockerfile);
command-line flags override them.

Exit codes: 0 no warnings or errors, 1 warnings or errors found, 2 usage or I/O error.`;

interface Options {
  format: 'text' | 'json' | 'sarif';
  fix: boolean;
  fixSuggestions: boolean;
  rules: Record<string, RuleSetting>;
  buildArgs: Record<string, string>;
  maxFileKB: number;
  /** Build context folder (default: each Dockerfile's folder). */
  context: string | null;
  color: boolean;
  paths: string[];
}

class UsageError extends Error {}

export function parseArguments(argv: readonly string[]): Options | 'help' | 'version' | 'list-rules' {
  const options: Options = { format: 'text', fix: false, fixSuggestions: false, rules: {}, buildArgs: {}, maxFileKB: 2048, context: null, color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR, paths: [] };
  const valueOf = (i: number, flag: string): string => {
    const value = argv[i + 1];
    if (value === undefined || value.startsWith('--')) throw new UsageError(`${flag} needs a value`);
    return value;
  };
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i];
    let inline: string | null = null;
    const eq = arg.indexOf('=');
    if (arg.startsWith('--') && eq > 0) { inline = arg.slice(eq + 1); arg = arg.slice(0, eq); }
    const take = (flag: string) => { if (inline !== null) return inline; const v = valueOf(i, flag); i++; return v; };
    switch (arg) {
      case '-h': case '--help': return 'help';
      case '-v': case '--version': return 'version';
      case '--list-rules': return 'list-rules';
      case '--fix': options.fix = true; break;
      case '--fix-suggestions': options.fix = true; options.fixSuggestions = true; break;
      case '--no-color': options.color = false; break;
      case '--format': {
        const format = take('--format');
        if (format !== 'text' && format !== 'json' && format !== 'sarif') throw new UsageError(`--format must be text, json or sarif, not '${format}'`);
        options.format = format;
        break;
      }
      case '--rule': {
        const value = take('--rule');
        const [id, setting] = value.split('=');
        if (!id || !setting) throw new UsageError(`--rule takes ID=SEVERITY, e.g. --rule apt-no-install-recommends=off (got '${value}')`);
        if (!allRules.some((r) => r.meta.id === id)) throw new UsageError(`--rule: unknown rule id '${id}' (see --list-rules)`);
        if (!['off', 'error', 'warning', 'info', 'hint'].includes(setting)) throw new UsageError(`--rule ${id}: severity must be off, error, warning, info or hint, not '${setting}'`);
        options.rules[id] = setting as RuleSetting;
        break;
      }
      case '--build-arg': {
        const value = take('--build-arg');
        const at = value.indexOf('=');
        if (at <= 0) throw new UsageError(`--build-arg takes NAME=VALUE (got '${value}')`);
        options.buildArgs[value.slice(0, at)] = value.slice(at + 1);
        break;
      }
      case '--context': options.context = take('--context'); break;
      case '--max-file-size': {
        const value = Number(take('--max-file-size'));
        if (!Number.isFinite(value) || value <= 0) throw new UsageError('--max-file-size takes a positive number of KB');
        options.maxFileKB = value;
        break;
      }
      default:
        if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option '${argv[i]}' (see --help)`);
        options.paths.push(argv[i]);
    }
  }
  if (options.paths.length === 0) throw new UsageError('no PATH given: name Dockerfiles or folders to check');
  return options;
}

function analyzeFile(file: string, options: Options, environment: FileSystemEnvironment, reportedProblems: Set<string>): FileResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return { path: file, report: null, error: `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` };
  }
  const { env, project } = environment.prepare(file, { buildContext: options.context ?? undefined });
  for (const problem of project.problems) {
    if (!reportedProblems.has(problem)) process.stderr.write(`dockerfile-lean: ${problem}\n`);
    reportedProblems.add(problem);
  }
  // Command-line flags win over the project's .dockerfile-lean.json.
  const config: EngineConfig = {
    rules: { ...project.rules, ...options.rules },
    buildArgs: { ...project.buildArgs, ...options.buildArgs },
    maxFileBytes: options.maxFileKB * 1024,
  };
  const cache = new ParseCache();
  let report: Report = analyze(text, { config, env, cache });
  if (options.fix && !report.skipped) {
    // Fixes may touch the same instruction; apply in passes until nothing is left to apply.
    let fixed = text;
    for (let pass = 0; pass < 10; pass++) {
      const edits = report.findings.flatMap((f) => f.fixes.find((x) => !isSuppressionFix(x) && (x.safe || options.fixSuggestions))?.edits ?? []);
      if (edits.length === 0) break;
      const next = applyEdits(fixed, edits).text;
      if (next === fixed) break;
      fixed = next;
      report = analyze(fixed, { config, env, cache });
    }
    if (fixed !== text) {
      try {
        writeFileSync(file, fixed);
      } catch (error) {
        return { path: file, report: null, error: `cannot write ${file}: ${(error as Error).message}` };
      }
    }
  }
  for (const internal of report.internalErrors) process.stderr.write(`dockerfile-lean: internal error in ${file}: ${internal}\n`);
  return { path: file, report, error: null };
}

export function run(argv: readonly string[]): number {
  let parsed;
  try {
    parsed = parseArguments(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`dockerfile-lean: ${error.message}\n\n${usage}\n`);
      return 2;
    }
    throw error;
  }
  if (parsed === 'help') { process.stdout.write(usage + '\n'); return 0; }
  if (parsed === 'version') { process.stdout.write(version + '\n'); return 0; }
  if (parsed === 'list-rules') {
    for (const r of allRules) process.stdout.write(`${r.meta.id.padEnd(34)} ${r.meta.defaultSeverity.padEnd(8)} ${r.meta.docs.description}\n`);
    return 0;
  }
  const options = parsed;
  const { files, errors } = findDockerfiles(options.paths);
  for (const error of errors) process.stderr.write(`dockerfile-lean: ${error}\n`);
  if (files.length === 0) {
    process.stderr.write(`dockerfile-lean: no Dockerfiles found in ${options.paths.join(', ')}\n`);
    return 2;
  }
  const environment = new FileSystemEnvironment();
  const reportedProblems = new Set<string>();
  const results = files.map((file) => analyzeFile(file, options, environment, reportedProblems));
  const output = options.format === 'json' ? formatJson(results)
    : options.format === 'sarif' ? formatSarif(results, version, (p) => path.relative(process.cwd(), p).split(path.sep).join('/'))
      : formatText(results, options.color);
  process.stdout.write(output + '\n');
  if (errors.length > 0 || results.some((r) => r.error)) return 2;
  const blocking = results.some((r) => r.report?.findings.some((f) => f.severity === 'error' || f.severity === 'warning') || r.report?.problems.some((p) => p.severity === 'error'));
  return blocking ? 1 : 0;
}
