// Test harness: a real VS Code (code-server, from npm) in Debian's Chromium, driven by playwright-core.
// See /work/shared/notes/vscode-e2e-in-browser.md. Each session gets a fresh temp profile, workspace and
// port; stop() ends code-server's whole process group (server, file watcher, extension host) and Chromium.
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const util = require('node:util');

const root = path.resolve(__dirname, '..');
const artifactsDir = path.join(__dirname, 'artifacts');

const baseSettings = {
  'workbench.startupEditor': 'none',
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'editor.hover.delay': 100,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'files.autoSave': 'off',
  'chat.disableAIFeatures': true,
  'git.enabled': false,
};

function fail(message) {
  throw new Error(`e2e harness: ${message}`);
}

/** The code-server launcher: $CODE_SERVER, or the default cache of scripts/install-code-server.sh. */
function codeServerPath() {
  const candidate = process.env.CODE_SERVER || path.join(os.homedir(), '.cache/code-server/node_modules/.bin/code-server');
  if (!fs.existsSync(candidate)) {
    fail(`code-server not found at ${candidate}. Install it with: CODE_SERVER=$(bash scripts/install-code-server.sh "$HOME/.cache/code-server" | tail -n1) (or run e2e/run.sh)`);
  }
  return candidate;
}

/** code-server's bundled VS Code (lib/vscode): built-in extensions, vscode-textmate, vscode-oniguruma. */
function codeServerVscodeDir() {
  const launcher = fs.realpathSync(codeServerPath());
  // node_modules/.bin/code-server -> ../code-server/out/node/entry.js
  let dir = path.dirname(launcher);
  while (dir !== path.dirname(dir)) {
    const candidate = path.join(dir, 'lib', 'vscode');
    if (fs.existsSync(path.join(candidate, 'extensions'))) return candidate;
    dir = path.dirname(dir);
  }
  return fail(`cannot find lib/vscode next to ${launcher}`);
}

function chromiumPath() {
  const candidates = [process.env.CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean);
  const found = candidates.find((c) => fs.existsSync(c));
  if (!found) fail(`Chromium not found (tried ${candidates.join(', ')}). Install it with apt-get install chromium, or set CHROMIUM.`);
  return found;
}

/**
 * A fresh temp dir: user-data/User/settings.json, extensions/, workspace/ (with `files` written into it).
 * Returns paths; nothing is started.
 */
function makeProfile({ files = {}, settings = {} } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dfl-e2e-'));
  const userData = path.join(dir, 'user-data');
  const extensions = path.join(dir, 'extensions');
  const workspace = path.join(dir, 'workspace');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.mkdirSync(extensions, { recursive: true });
  fs.mkdirSync(workspace, { recursive: true });
  fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify({ ...baseSettings, ...settings }, null, 2));
  fs.writeFileSync(path.join(dir, 'config.yaml'), 'auth: none\n');
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(workspace, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    if (typeof content === 'string') fs.writeFileSync(file, content);
    else fs.copyFileSync(content.copyFrom, file);
  }
  return { dir, userData, extensions, workspace, config: path.join(dir, 'config.yaml') };
}

/** `code-server --install-extension <vsix>` into the profile. */
function installVsix(profile, vsix) {
  if (!fs.existsSync(vsix)) fail(`VSIX not found: ${vsix} (build it with e2e/run.sh, or set DFL_VSIX)`);
  const r = spawnSync(codeServerPath(), ['--user-data-dir', profile.userData, '--extensions-dir', profile.extensions,
    '--install-extension', vsix], { encoding: 'utf8', timeout: 120000 });
  if (r.status !== 0) fail(`--install-extension ${vsix} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** Starts code-server on 127.0.0.1 with a free port; resolves with { url, proc, log() }. */
function startCodeServer(profile) {
  const args = ['--auth', 'none', '--bind-addr', '127.0.0.1:0', '--config', profile.config,
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override',
    '--user-data-dir', profile.userData, '--extensions-dir', profile.extensions, profile.workspace];
  const proc = spawn(codeServerPath(), args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let log = '';
  const onData = (d) => { log += d; };
  proc.stdout.on('data', onData);
  proc.stderr.on('data', onData);
  const started = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`code-server did not start within 60 s:\n${log}`)), 60000);
    const check = () => {
      const m = /HTTP server listening on (http:\/\/\S+)/.exec(log);
      if (m) { clearTimeout(timer); resolve(m[1].replace(/\/$/, '')); }
    };
    proc.stdout.on('data', check);
    proc.stderr.on('data', check);
    proc.on('error', (e) => { clearTimeout(timer); reject(e); });
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`code-server exited ${code}\n${log}`)); });
  });
  return started.then((url) => ({ url, proc, log: () => log }));
}

function stopProcessGroup(proc) {
  if (!proc || proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => { try { process.kill(-proc.pid, 'SIGKILL'); } catch { /* gone */ } resolve(); }, 5000);
    proc.once('exit', () => { clearTimeout(timer); resolve(); });
    try { process.kill(-proc.pid, 'SIGTERM'); } catch { clearTimeout(timer); resolve(); }
  });
}

const harmlessConsole = [/vsda/, /Failed to load resource/, /marketplace|gallery|extensionGallery/i, /ERR_CONNECTION_REFUSED/, /net::ERR_/];

/**
 * A full session: profile, optional VSIX install, code-server, Chromium page.
 * Options: files, settings, vsix, name (for screenshots).
 */
async function openSession(options = {}) {
  const { chromium } = require('playwright-core');
  const profile = makeProfile(options);
  if (options.vsix) installVsix(profile, options.vsix);
  const server = await startCodeServer(profile);
  let browser;
  try {
    browser = await chromium.launch({
      executablePath: chromiumPath(),
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
        '--disable-sync', '--no-first-run', '--disable-quic'],
    });
  } catch (error) {
    await stopProcessGroup(server.proc);
    throw error;
  }
  const page = await browser.newPage({ viewport: { width: 1400, height: 800 } });
  page.setDefaultTimeout(30000);
  const consoleErrors = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !harmlessConsole.some((r) => r.test(m.text()))) consoleErrors.push(m.text());
  });
  fs.mkdirSync(artifactsDir, { recursive: true });
  const name = options.name || 'session';
  const session = {
    profile, page, browser, url: server.url, consoleErrors,
    serverLog: server.log,
    workbenchUrl: (query = {}) => `${server.url}/?${new URLSearchParams({ folder: profile.workspace, ...query }).toString()}`,
    async screenshot(step) {
      const file = path.join(artifactsDir, `${name}-${step}.png`);
      await page.screenshot({ path: file });
      return file;
    },
    /** The extension host's logs (activation, errors) and our output channel, for failure messages. */
    extensionLogs() {
      const logsRoot = path.join(profile.userData, 'logs');
      const out = [];
      const walk = (dir) => {
        for (const entry of fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }) : []) {
          const full = path.join(dir, entry.name);
          if (entry.isDirectory()) walk(full);
          else if (/remoteexthost\.log$|Dockerfile Lean\.log$/.test(entry.name)) out.push(`--- ${path.relative(logsRoot, full)}\n${fs.readFileSync(full, 'utf8')}`);
        }
      };
      walk(logsRoot);
      return out.join('\n');
    },
    /** Stops everything. The temp profile (logs, workspace) is kept only with DFL_E2E_KEEP=1; returns a note for the report. */
    async close({ failed = false } = {}) {
      await browser.close().catch(() => undefined);
      await stopProcessGroup(server.proc);
      if (process.env.DFL_E2E_KEEP) return `kept the profile: ${profile.dir}`;
      fs.rmSync(profile.dir, { recursive: true, force: true });
      return failed ? 'set DFL_E2E_KEEP=1 to keep the temp profile (logs, workspace) of a failing run' : '';
    },
  };
  return session;
}

/** The text a console message carries from the extension host (`%c INFO`, style, fmt, ...args) → formatted text. */
async function extensionHostConsoleText(message) {
  const values = await Promise.all(message.args().map((a) => a.jsonValue().catch(() => '<unserialisable>')));
  if (typeof values[0] === 'string' && values[0].startsWith('%c') && values.length >= 3) {
    return { level: values[0].replace('%c', '').trim(), text: util.format(...values.slice(2)) };
  }
  return { level: message.type(), text: message.text() };
}

/** A VS Code remote URI for a local path, as the extension host expects in `payload`. */
function remoteUri(serverUrl, fsPath) {
  const host = new URL(serverUrl).host;
  return `vscode-remote://${host}${fsPath.split(path.sep).map(encodeURIComponent).join('/')}`;
}

module.exports = {
  root, artifactsDir, baseSettings, codeServerPath, codeServerVscodeDir, chromiumPath, makeProfile, installVsix,
  startCodeServer, stopProcessGroup, openSession, extensionHostConsoleText, remoteUri,
};
