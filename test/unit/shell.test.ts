import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDockerfile } from '../../server/src/model/parse';
import { hasFlag } from '../../server/src/shell/package-managers';

const commandsOf = (run: string) => parseDockerfile(`FROM debian\nRUN ${run}`).instructions[1].shell!;
const ops = (run: string) => commandsOf(run).commands.map((c) => c.packageOp ? `${c.packageOp.manager}:${c.packageOp.verb}:${c.packageOp.packages.map((p) => p.value).join(',')}` : `-${c.name}`);

test('commands with argv, quotes removed, across && ; || | and subshells', () => {
  const script = commandsOf(`apt-get update && apt-get install -y "gcc" 'make'; (cd /x && make) || echo failed | tee log`);
  assert.deepEqual(script.commands.map((c) => [c.name, c.argv.map((w) => w.value), c.nested, c.afterOr]), [
    ['apt-get', ['apt-get', 'update'], false, false],
    ['apt-get', ['apt-get', 'install', '-y', 'gcc', 'make'], false, false],
    ['cd', ['cd', '/x'], true, false],
    ['make', ['make'], true, false],
    ['echo', ['echo', 'failed'], false, true],
    ['tee', ['tee', 'log'], false, true],
  ]);
});

test('word ranges point into the document, through UTF-8 text', () => {
  const script = commandsOf('echo "héllo" && pip install x');
  assert.deepEqual(script.commands[1].range, { start: { line: 1, character: 20 }, end: { line: 1, character: 33 } });
});

test('dynamic words are marked', () => {
  const words = commandsOf('pip install $PKG "${A}b" plain').commands[0].argv;
  assert.deepEqual(words.map((w) => w.dynamic), [false, false, true, true, false]);
});

test('wrappers are stripped: sudo, env, time, full paths', () => {
  assert.deepEqual(ops('sudo -E apt-get install -y x && env DEBIAN_FRONTEND=noninteractive /usr/bin/apt-get -qq install y && time pip3 install z'),
    ['apt:install:x', 'apt:install:y', 'pip:install:z']);
});

test('package managers and verbs', () => {
  assert.deepEqual(ops('apt-get -o Dpkg::Options::=--force-confnew -y install curl && apt-get purge -y gcc && apt-get autoremove -y && apt-get clean'),
    ['apt:install:curl', 'apt:purge:gcc', 'apt:autoremove:', 'apt:clean:']);
  assert.deepEqual(ops('apk add --no-cache --virtual .deps gcc musl-dev && apk del .deps'), ['apk:install:gcc,musl-dev', 'apk:remove:.deps']);
  assert.deepEqual(ops('dnf install -y gcc && yum clean all && microdnf remove x'), ['dnf:install:gcc', 'yum:clean:', 'microdnf:remove:x']);
  assert.deepEqual(ops('python3 -m pip install -r req.txt flask && pip uninstall -y x && pip cache purge && uv pip install y'),
    ['pip:install:flask', 'pip:remove:x', 'pip:cache-clean:', 'uv:install:y']);
  assert.deepEqual(ops('npm ci --omit=dev && npm run build && npm cache clean --force && yarn && yarn build && pnpm i'),
    ['npm:install:', 'npm:build:', 'npm:cache-clean:', 'yarn:install:', 'yarn:build:', 'pnpm:install:']);
  assert.deepEqual(ops('go build -o /app . && go mod download && cargo build --release && ./mvnw -B package && gradle bootJar'),
    ['go:build:', 'go:install:', 'cargo:build:', 'mvn:build:', 'gradle:build:']);
  assert.deepEqual(ops('gem install rails && bundle install && composer install --no-dev && poetry install'),
    ['gem:install:rails', 'bundle:install:', 'composer:install:', 'poetry:install:']);
  assert.deepEqual(ops('npm cache verify && pip cache list'), ['npm:other:', 'pip:other:']);
});

test('flags: long, short, bundled short, and --flag=value', () => {
  const [c] = commandsOf('apt-get install -qy --no-install-recommends --target-release=bookworm x').commands;
  assert.ok(hasFlag(c, '-y'));
  assert.ok(hasFlag(c, '--no-install-recommends'));
  assert.ok(hasFlag(c, '--target-release'));
  assert.ok(!hasFlag(c, '--purge'));
});

test('unparseable shell (unterminated quote) falls back to a best-effort split', () => {
  const script = commandsOf(`apt-get install -y curl && echo "unterminated`);
  assert.ok(script.parseError);
  assert.deepEqual(script.commands.map((c) => c.name), ['apt-get', 'echo']);
  assert.equal(script.commands[0].packageOp?.verb, 'install');
});

test('output redirections are recorded as the files a command writes', () => {
  const script = commandsOf('head -c 10 /dev/urandom > /opt/a.bin && echo x >> "/var/log/b c" 2>/dev/null; cat < in.txt 2>&1');
  assert.deepEqual(script.commands.map((c) => c.writes.map((w) => w.value)), [['/opt/a.bin'], ['/var/log/b c', '/dev/null'], []]);
});

// --- the parser on its own (server/src/shell/syntax.ts) --------------------------------------------------

const shape = (run: string) => commandsOf(run).commands.map((c) => `${c.argv.map((w) => w.value).join(' ')}${c.nested ? ' [nested]' : ''}${c.afterOr ? ' [afterOr]' : ''}`);

test('&& and || group left to right: only the pipeline right after || is afterOr', () => {
  assert.deepEqual(shape('a || b && c'), ['a', 'b [afterOr]', 'c']);
  assert.deepEqual(shape('a && b || c | d; e'), ['a', 'b', 'c [afterOr]', 'd [afterOr]', 'e']);
  assert.deepEqual(shape('a || { b; c; } && d'), ['a', 'b [nested] [afterOr]', 'c [nested] [afterOr]', 'd']);
  assert.deepEqual(shape('a || \\\n  # why\n  b'), ['a', 'b [afterOr]']);
});

test('commands inside substitutions, compound commands and here-document bodies are nested', () => {
  assert.deepEqual(shape('echo "$(uname -m)" `id -u` <(sort x)'), ['echo $(uname -m) `id -u` <(sort x)', 'uname -m [nested]', 'id -u [nested]', 'sort x [nested]']);
  assert.deepEqual(shape('if a; then b; elif c; then d; else e; fi'), ['a [nested]', 'b [nested]', 'c [nested]', 'd [nested]', 'e [nested]']);
  assert.deepEqual(shape('for f in *.deb; do dpkg -i "$f"; done; while read l; do :; done < x; case $A in a|b) c;; *) d;; esac'),
    ['dpkg -i $f [nested]', 'read l [nested]', ': [nested]', 'c [nested]', 'd [nested]']);
  assert.deepEqual(shape('f() { a; }; (b) && [[ -f $(c) ]] && (( $(d) + 1 ))'), ['a [nested]', 'b [nested]', 'c [nested]', 'd [nested]']);
  assert.deepEqual(shape('cat <<EOF > /etc/x || true\nhost=$(hostname)\nEOF'), ['cat', 'true [afterOr]', 'hostname [nested]']);
  assert.deepEqual(shape("cat <<'EOF'\nnot=$(run)\nEOF"), ['cat']);
});

test('assignment prefixes are not argv but the command range starts at them; declarations are not commands', () => {
  const script = commandsOf('A=1 B="$(cat v)" make install && export PATH=$(go env GOPATH)/bin:$PATH && local x');
  // ordered by where they start: make's range starts at A=1, before the substitution inside B
  assert.deepEqual(script.commands.map((c) => c.argv.map((w) => w.value)), [['make', 'install'], ['cat', 'v'], ['go', 'env', 'GOPATH']]);
  assert.deepEqual(script.commands[0].range.start, { line: 1, character: 4 });
  assert.equal(script.commands[0].argv[0].range.start.character, 21);
  assert.equal(script.commands[1].nested, true);
});

test('words: quotes removed, escapes and expansions kept as written, raw as in the document', () => {
  const [c] = commandsOf(`echo a\\ b "x \\"y\\"" 'it''s' $'tab\\t' \${V:-d e} "a"'b'c`).commands;
  assert.deepEqual(c.argv.map((w) => [w.value, w.raw, w.dynamic]), [
    ['echo', 'echo', false], ['a\\ b', 'a\\ b', false], ['x \\"y\\"', '"x \\"y\\""', false], ['its', "'it''s'", false],
    ['tab\\t', "$'tab\\t'", false], ['${V:-d e}', '${V:-d e}', true], ['abc', `"a"'b'c`, false],
  ]);
});

test('# starts a comment only at the start of a word (as in Bash)', () => {
  assert.deepEqual(shape('pip install https://x/${V}#egg=y a#b # comment ; rm x'), ['pip install https://x/${V}#egg=y a#b']);
});

test('keywords count only in command position', () => {
  assert.deepEqual(shape('echo if then fi done } { ]] && if true; then echo in; fi'), ['echo if then fi done } { ]]', 'true [nested]', 'echo in [nested]']);
});

test('here-document scripts: shell continuations inside the body join words', () => {
  const script = parseDockerfile('FROM debian\nRUN <<EOF\napt-get install -y \\\n  curl\nrm -rf /var/lib/apt/lists/*\nEOF').instructions[1].shell!;
  assert.equal(script.parseError, null);
  assert.deepEqual(script.commands.map((c) => c.argv.map((w) => w.value)), [['apt-get', 'install', '-y', 'curl'], ['rm', '-rf', '/var/lib/apt/lists/*']]);
  assert.deepEqual(script.commands[0].argv[3].range.start, { line: 3, character: 2 });
});

test('syntax errors give a parse error and the best-effort commands', () => {
  for (const run of ['apt-get install x && (echo', 'echo ${A', 'echo $((1 +))', 'if a; then b', 'a && && b', 'cat <<EOF', 'fi', 'a; ;', 'case x in a) b;;']) {
    const script = commandsOf(run);
    assert.ok(script.parseError, run);
    assert.ok(script.commands.length > 0, run);
  }
});

test('nesting 40 deep parses; far deeper is a parse error, not a stack overflow; long scripts parse', () => {
  for (const run of ['$('.repeat(20000), '('.repeat(20000), '{ '.repeat(20000), '$(('.repeat(5000) + '1', '[[ ' + '( '.repeat(20000) + 'a',
    'echo ' + '"$('.repeat(5000), '`'.repeat(20001), 'a=' + '$(('.repeat(5000)]) {
    const script = commandsOf(run);
    assert.ok(script.parseError, run.slice(0, 20));
  }
  for (const [open, close] of [['"$(', ')"'], ['(', ')'], ['{ ', '; }'], ['if ', '; then a; fi'], ['${a:-', '}'], ['$((', '))']]) {
    const run = `${open.repeat(40)}x${close.repeat(40)}`;
    assert.equal(commandsOf(run).parseError, null, run.slice(0, 12));
  }
  const long = Array.from({ length: 5000 }, (_, i) => `echo ${i} "$(id -u)" | tee -a /log`).join(' && ');
  const script = commandsOf(long);
  assert.equal(script.parseError, null);
  assert.equal(script.commands.length, 15000);
});
