/**
 * The language server: a thin adapter from LSP to the engine. It keeps, per open document, a parse cache
 * (so an edit re-parses only the instructions it touched) and the last report; everything it answers is
 * recomputed from the document when the report is stale.
 *
 * Scheduling: analysis is synchronous and cheap, so a change is analysed on the next turn of the event
 * loop (setImmediate). Changes that arrive in one burst are coalesced into one analysis of the newest
 * text; a result for an outdated version is never published.
 */
import {
  CodeActionKind, DidChangeConfigurationNotification, DidChangeWatchedFilesNotification, TextDocumentSyncKind, TextDocuments,
  type CodeAction, type Connection, type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze, AnalysisCache, type Report } from '../engine';
import type { EngineEnv } from '../engine-env';
import { isSuppressionFix } from '../rules/runner';
import type { RuleSetting } from '../rules/types';
import { nonOverlapping } from '../text/edits';
import { hoverMarkdown } from './hover';
import { layerInlayHints, stageCodeLenses } from './inline-sizes';
import { fixToCodeAction, problemToDiagnostic, rangesOverlap, skippedDiagnostic, toDiagnostic, toWorkspaceEdit } from './convert';
import { defaultSettings, engineConfigOf, readSettings, type Settings } from './settings';
import { imageJson, type ImageJson } from '../report/image-json';

export const fixAllKind = `${CodeActionKind.SourceFixAll}.dockerfile-lean`;

interface DocumentState {
  cache: AnalysisCache;
  report: Report | null;
  reportVersion: number;
  scheduled: boolean;
}

export interface ServerHooks {
  /**
   * Supplies data packs, the build context and the project config for a document (IO lives outside the
   * engine). `trusted` is false in an untrusted workspace: then nothing outside the open file may be read.
   */
  prepare?(uri: string, settings: Settings, trusted: boolean): { env: EngineEnv; rules: Record<string, RuleSetting>; buildArgs: Record<string, string>; problems: string[] };
  /** Files changed on disk (build context, config): drop what was cached from them. */
  filesChanged?(uris: string[]): void;
  /** Registers what to do when a data pack has finished loading in the background (analyse again). */
  onDataLoaded?(callback: () => void): void;
}

export function startServer(connection: Connection, hooks: ServerHooks = {}): void {
  const documents = new TextDocuments(TextDocument);
  const states = new Map<string, DocumentState>();
  const settingsByUri = new Map<string, Promise<Settings>>();
  const reportedSettingProblems = new Set<string>();
  let canPullConfiguration = false;
  let canWatchFiles = false;
  let globalSettings = defaultSettings;
  // The client says whether the workspace is trusted (initializationOptions); other clients are trusted.
  let trusted = true;

  const log = (message: string) => connection.console.log(message);
  const logError = (message: string, error?: unknown) =>
    connection.console.error(`${message}${error ? `: ${error instanceof Error ? error.stack ?? error.message : String(error)}` : ''}`);

  connection.onInitialize((params): InitializeResult => {
    canPullConfiguration = Boolean(params.capabilities.workspace?.configuration);
    canWatchFiles = Boolean(params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration);
    const init = params.initializationOptions as { workspaceTrusted?: boolean } | undefined;
    if (init && init.workspaceTrusted === false) trusted = false;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        hoverProvider: true,
        inlayHintProvider: true,
        codeLensProvider: { resolveProvider: false },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite, fixAllKind] },
      },
      serverInfo: { name: 'dockerfile-lean' },
    };
  });

  connection.onInitialized(() => {
    if (canPullConfiguration) {
      connection.client.register(DidChangeConfigurationNotification.type, { section: 'dockerfileLean' }).catch(() => undefined);
    }
    // Build contexts and configs are cached until files change: ask the editor to tell us when they do.
    if (canWatchFiles) {
      connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*' }] }).catch(() => undefined);
    }
  });

  connection.onDidChangeConfiguration((change) => {
    settingsByUri.clear();
    if (!canPullConfiguration) globalSettings = checkedSettings((change.settings as Record<string, unknown> | undefined)?.dockerfileLean);
    for (const document of documents.all()) schedule(document.uri, true);
    refreshInlineSizes();
  });

  /** Asks the client to re-request hints and lenses (settings or files on disk changed). */
  function refreshInlineSizes(): void {
    connection.languages.inlayHint.refresh().catch(() => undefined);
    connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
  }

  function checkedSettings(raw: unknown): Settings {
    const { settings, problems } = readSettings(raw);
    problems.forEach(reportOnce);
    return settings;
  }

  function settingsFor(uri: string): Promise<Settings> {
    if (!canPullConfiguration) return Promise.resolve(globalSettings);
    let pending = settingsByUri.get(uri);
    if (!pending) {
      pending = connection.workspace.getConfiguration({ scopeUri: uri, section: 'dockerfileLean' })
        .then(checkedSettings, (error) => { logError('could not read settings', error); return defaultSettings; });
      settingsByUri.set(uri, pending);
    }
    return pending;
  }

  function stateOf(uri: string): DocumentState {
    let state = states.get(uri);
    if (!state) {
      state = { cache: new AnalysisCache(), report: null, reportVersion: -1, scheduled: false };
      states.set(uri, state);
    }
    return state;
  }

  function schedule(uri: string, force = false): void {
    const state = stateOf(uri);
    if (force) state.reportVersion = -1;
    if (state.scheduled) return;
    state.scheduled = true;
    setImmediate(() => {
      state.scheduled = false;
      validate(uri).catch((error) => logError(`analysis of ${uri} failed`, error));
    });
  }

  /** Analyses the document's current text (synchronously) and returns the report, reusing a fresh one. */
  function reportFor(document: TextDocument, settings: Settings): Report {
    const state = stateOf(document.uri);
    if (state.report && state.reportVersion === document.version) return state.report;
    const prepared = safePrepare(document.uri, settings);
    const config = engineConfigOf(settings);
    // VS Code settings win over the project's .dockerfile-lean.json.
    config.rules = { ...prepared.rules, ...config.rules };
    config.buildArgs = prepared.buildArgs;
    const report = analyze(document.getText(), { config, env: prepared.env, cache: state.cache });
    for (const error of report.internalErrors) logError(`internal error in ${document.uri}: ${error}`);
    state.report = report;
    state.reportVersion = document.version;
    return report;
  }

  function safePrepare(uri: string, settings: Settings) {
    const none = { env: { data: null, context: null } as EngineEnv, rules: {}, buildArgs: {}, problems: [] as string[] };
    try {
      const prepared = hooks.prepare?.(uri, settings, trusted) ?? none;
      for (const problem of prepared.problems) reportOnce(problem);
      return prepared;
    } catch (error) {
      logError('could not prepare data packs, build context or project config', error);
      return none;
    }
  }

  function reportOnce(problem: string): void {
    if (reportedSettingProblems.has(problem)) return;
    reportedSettingProblems.add(problem);
    connection.window.showWarningMessage(`Dockerfile Lean: ${problem}`);
    log(problem);
  }

  async function validate(uri: string): Promise<void> {
    const before = documents.get(uri);
    if (!before) return;
    const settings = await settingsFor(uri);
    const document = documents.get(uri);
    // A newer version arrived while settings were fetched: its own scheduled run publishes.
    if (!document || document.version !== before.version) return;
    if (!settings.enable) {
      connection.sendDiagnostics({ uri, version: document.version, diagnostics: [] });
      return;
    }
    const report = reportFor(document, settings);
    const diagnostics = report.skipped
      ? [skippedDiagnostic(report.skipped)]
      : [...report.problems.map(problemToDiagnostic), ...report.findings.map(toDiagnostic)];
    if (report.skipped) log(report.skipped.replace('this file', uri));
    connection.sendDiagnostics({ uri, version: document.version, diagnostics });
  }

  connection.onDidChangeWatchedFiles((params) => {
    hooks.filesChanged?.(params.changes.map((c) => c.uri));
    for (const document of documents.all()) schedule(document.uri, true);
    refreshInlineSizes();
  });

  hooks.onDataLoaded?.(() => {
    for (const document of documents.all()) schedule(document.uri, true);
    refreshInlineSizes();
  });

  documents.onDidOpen((event) => schedule(event.document.uri));
  documents.onDidChangeContent((event) => schedule(event.document.uri));
  documents.onDidClose((event) => {
    states.delete(event.document.uri);
    settingsByUri.delete(event.document.uri);
    connection.sendDiagnostics({ uri: event.document.uri, diagnostics: [] });
  });

  connection.onHover(async (params) => {
    try {
      const document = documents.get(params.textDocument.uri);
      if (!document) return null;
      const settings = await settingsFor(document.uri);
      if (!settings.enable) return null;
      const markdown = hoverMarkdown(reportFor(document, settings), params.position);
      return markdown ? { contents: { kind: 'markdown', value: markdown } } : null;
    } catch (error) {
      logError('hover failed', error);
      return null;
    }
  });

  connection.onCodeAction(async (params) => {
    try {
      const document = documents.get(params.textDocument.uri);
      if (!document) return [];
      const settings = await settingsFor(document.uri);
      if (!settings.enable) return [];
      const report = reportFor(document, settings);
      const only = params.context.only;
      const wants = (kind: string) => !only || only.some((o) => kind === o || kind.startsWith(o + '.'));
      const actions: CodeAction[] = [];
      for (const finding of report.findings) {
        if (!rangesOverlap(finding.range, params.range)) continue;
        for (const fix of finding.fixes) {
          const action = fixToCodeAction(fix, finding, document.uri, document.version);
          if (wants(action.kind as string)) actions.push(action);
        }
      }
      const safeEdits = nonOverlapping(report.findings.flatMap((f) => f.fixes.filter((x) => x.safe && !isSuppressionFix(x)).flatMap((x) => x.edits)));
      if (safeEdits.length > 0) {
        const edit = toWorkspaceEdit(document.uri, document.version, safeEdits);
        if (wants(fixAllKind)) actions.push({ title: 'Fix all auto-fixable Dockerfile Lean problems', kind: fixAllKind, edit });
        if (!only && actions.length > 0) actions.push({ title: 'Fix all auto-fixable problems in this file', kind: CodeActionKind.QuickFix, edit });
      }
      return actions;
    } catch (error) {
      logError('code actions failed', error);
      return [];
    }
  });

  connection.languages.inlayHint.on(async (params) => {
    try {
      const document = documents.get(params.textDocument.uri);
      if (!document) return [];
      const settings = await settingsFor(document.uri);
      if (!settings.enable || !settings.inlineSizes.enabled) return [];
      return layerInlayHints(reportFor(document, settings), params.range);
    } catch (error) {
      logError('inlay hints failed', error);
      return [];
    }
  });

  connection.onCodeLens(async (params) => {
    try {
      const document = documents.get(params.textDocument.uri);
      if (!document) return [];
      const settings = await settingsFor(document.uri);
      if (!settings.enable || !settings.inlineSizes.enabled) return [];
      return stageCodeLenses(reportFor(document, settings), document.uri);
    } catch (error) {
      logError('code lenses failed', error);
      return [];
    }
  });

  // The client's status bar and breakdown view ask for the image estimate of a document.
  connection.onRequest('dockerfileLean/imageSummary', async (params: { uri: string }): Promise<ImageJson | null> => {
    try {
      const document = documents.get(params.uri);
      if (!document) return null;
      const settings = await settingsFor(document.uri);
      return imageJson(reportFor(document, settings));
    } catch (error) {
      logError('image summary failed', error);
      return null;
    }
  });

  documents.listen(connection);
  connection.listen();
}
