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
