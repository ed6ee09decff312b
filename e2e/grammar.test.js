// Tokenizes Dockerfiles with VS Code's own TextMate engine (vscode-textmate + vscode-oniguruma, from the
// code-server install) using the built-in Dockerfile and shell grammars plus our injection grammar, and
// checks the scopes: heredoc bodies are shell, our directive comments are recognised.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { codeServerVscodeDir } = require('./harness');

const root = path.resolve(__dirname, '..');

function loadEngine() {
  const vscodeDir = codeServerVscodeDir();
  const req = (m) => require(path.join(vscodeDir, 'node_modules', m));
  const textmate = req('vscode-textmate');
  const onig = req('vscode-oniguruma');
  const wasm = fs.readFileSync(path.join(vscodeDir, 'node_modules', 'vscode-oniguruma', 'release', 'onig.wasm'));
  const ready = onig.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const ours = manifest.contributes.grammars.find((g) => g.injectTo && g.injectTo.includes('source.dockerfile'));
  assert.ok(ours, 'package.json contributes a grammar injected into source.dockerfile');
  const files = {
    'source.dockerfile': path.join(vscodeDir, 'extensions/docker/syntaxes/docker.tmLanguage.json'),
    'source.shell': path.join(vscodeDir, 'extensions/shellscript/syntaxes/shell-unix-bash.tmLanguage.json'),
    [ours.scopeName]: path.join(root, ours.path),
  };
  const registry = new textmate.Registry({
    onigLib: ready.then(() => ({ createOnigScanner: (p) => new onig.OnigScanner(p), createOnigString: (s) => new onig.OnigString(s) })),
    loadGrammar: async (scope) => files[scope] ? textmate.parseRawGrammar(fs.readFileSync(files[scope], 'utf8'), files[scope]) : null,
    getInjections: (scope) => (scope === 'source.dockerfile' ? [ours.scopeName] : []),
  });
  return { registry, textmate };
}

let engine;
async function tokenize(text) {
  engine ??= loadEngine();
  const grammar = await engine.registry.loadGrammar('source.dockerfile');
  let state = engine.textmate.INITIAL;
  const out = [];
  text.split('\n').forEach((line, lineNo) => {
    const r = grammar.tokenizeLine(line, state);
    for (const t of r.tokens) out.push({ line: lineNo, text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes });
    state = r.ruleStack;
  });
  return out;
}
const scopesOf = (tokens, line, text) => {
  const t = tokens.find((x) => x.line === line && x.text.includes(text));
  assert.ok(t, `no token containing ${JSON.stringify(text)} on line ${line}: ${JSON.stringify(tokens.filter((x) => x.line === line))}`);
  return t.scopes.join(' ');
};

test('RUN <<EOF heredoc body is embedded shell; the delimiter ends it', async () => {
  const t = await tokenize([
    'FROM debian:12',
    'RUN <<EOF',
    'apt-get update && apt-get install -y "curl"',
    'if [ -f /x ]; then rm -rf /var/lib/apt/lists/*; fi',
    'EOF',
    'RUN echo after',
  ].join('\n'));
  assert.match(scopesOf(t, 1, 'RUN'), /keyword\.other\.special-method\.dockerfile/);
  assert.match(scopesOf(t, 1, '<<'), /keyword\.operator\.heredoc/);
  assert.match(scopesOf(t, 1, 'EOF'), /keyword\.control\.heredoc-token/);
  assert.match(scopesOf(t, 2, 'curl'), /meta\.embedded\.block\.shellscript.*string\.quoted\.double\.shell/);
  assert.match(scopesOf(t, 3, 'if'), /meta\.embedded\.block\.shellscript.*keyword\.control.*\.shell/);
  assert.match(scopesOf(t, 4, 'EOF'), /keyword\.control\.heredoc-token\.dockerfile/);
  assert.doesNotMatch(scopesOf(t, 4, 'EOF'), /shellscript/);
  assert.doesNotMatch(scopesOf(t, 5, 'echo'), /heredoc|shellscript/, 'the heredoc ended at EOF');
  assert.match(scopesOf(t, 5, 'RUN'), /keyword\.other\.special-method\.dockerfile/);
});

test('<<-EOF with tab-indented delimiter, quoted delimiters, flags and bash', async () => {
  const t = await tokenize([
    'RUN --mount=type=cache,target=/var/cache/apt bash -e <<-"SCRIPT"',
    '\techo "$HOME"',
    '\tSCRIPT',
    "RUN <<'EOF'",
    'echo $NOT_EXPANDED',
    'EOF',
    'ONBUILD RUN <<EOF',
    'ls',
    'EOF',
    'USER app',
  ].join('\n'));
  assert.match(scopesOf(t, 0, '<<-'), /keyword\.operator\.heredoc/);
  assert.match(scopesOf(t, 0, 'SCRIPT'), /heredoc-token/);
  assert.match(scopesOf(t, 1, 'HOME'), /shellscript.*variable/);
  assert.match(scopesOf(t, 2, 'SCRIPT'), /heredoc-token\.dockerfile/);
  assert.match(scopesOf(t, 4, 'NOT_EXPANDED'), /shellscript/);
  assert.doesNotMatch(scopesOf(t, 5, 'EOF'), /shellscript/);
  assert.match(scopesOf(t, 6, 'ONBUILD'), /keyword\.control\.dockerfile/);
  assert.match(scopesOf(t, 7, 'ls'), /shellscript/);
  assert.doesNotMatch(scopesOf(t, 9, 'USER'), /heredoc/);
});

test('COPY heredocs and heredocs fed to other programs are text, not shell', async () => {
  const t = await tokenize([
    'COPY <<EOF /etc/app.conf',
    'if = then',
    'EOF',
    'RUN python3 <<PY',
    'print("hi")',
    'PY',
    'RUN echo ok',
  ].join('\n'));
  assert.match(scopesOf(t, 1, 'if'), /string\.unquoted\.heredoc\.dockerfile/);
  assert.doesNotMatch(scopesOf(t, 1, 'if'), /shellscript/);
  assert.match(scopesOf(t, 4, 'print'), /string\.unquoted\.heredoc/);
  assert.doesNotMatch(scopesOf(t, 6, 'echo'), /heredoc/);
});

test('# dockerfile-lean ignore=… directive comments; ordinary comments stay comments', async () => {
  const t = await tokenize([
    '# dockerfile-lean ignore=apt-lists-not-cleaned, apt-no-install-recommends',
    '#dockerfile-lean ignore-file=pip-no-cache',
    '# just a comment mentioning <<EOF',
    'RUN echo "<<EOF"',
    'RUN echo done',
  ].join('\n'));
  assert.match(scopesOf(t, 0, 'dockerfile-lean'), /comment\.line\.number-sign\.directive\.dockerfile-lean.*keyword\.other\.directive/);
  assert.match(scopesOf(t, 0, 'ignore'), /keyword\.control\.directive/);
  assert.match(scopesOf(t, 0, 'apt-lists-not-cleaned'), /constant\.other\.rule-id/);
  assert.match(scopesOf(t, 0, 'apt-no-install-recommends'), /constant\.other\.rule-id/);
  assert.match(scopesOf(t, 1, 'pip-no-cache'), /constant\.other\.rule-id/);
  assert.match(scopesOf(t, 2, 'just'), /^source\.dockerfile comment\.line\.number-sign\.dockerfile$/);
  assert.doesNotMatch(scopesOf(t, 4, 'done'), /heredoc/, 'a quoted "<<EOF" does not open a heredoc');
});
