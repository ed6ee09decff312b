#!/usr/bin/env bash
# Editor tests: the grammar, the in-editor API suites and the UI suite, in code-server + Chromium.
# Called by `npm test` (scripts/run-tests.mjs all); works from a fresh clone after `npm ci`.
#   e2e/run.sh                 install code-server (cached), build, package the VSIX, run node --test e2e/
# Env: CODE_SERVER_CACHE (default $HOME/.cache/code-server), CODE_SERVER (skip the install: a launcher path),
#      DFL_E2E_KEEP=1 keeps each test's temp profile. Screenshots: e2e/artifacts/.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

die() { echo "e2e/run.sh: ERROR: $*" >&2; exit 1; }
step() { echo "e2e/run.sh: $*" >&2; }

node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null) || die "node is not on PATH (Node 20 is needed)"
[ "$node_major" = 20 ] || die "Node 20 is needed (code-server 4.100.x and @vscode/vsce 3.9.2 require it); this is Node $(node --version)"
for module in esbuild playwright-core mocha @vscode/vsce vscode-languageclient; do
  [ -e "node_modules/$module/package.json" ] || die "node_modules/$module is missing: run 'npm ci' first"
done

if [ -n "${CODE_SERVER:-}" ]; then
  [ -x "$CODE_SERVER" ] || die "CODE_SERVER=$CODE_SERVER is not an executable code-server launcher"
else
  cache=${CODE_SERVER_CACHE:-$HOME/.cache/code-server}
  step "code-server: bash scripts/install-code-server.sh $cache (cached after the first run)"
  CODE_SERVER=$(bash scripts/install-code-server.sh "$cache" | tail -n1) || die "installing code-server failed (see the install-code-server messages above)"
  [ -x "$CODE_SERVER" ] || die "install-code-server.sh did not print a launcher (got '$CODE_SERVER')"
fi
export CODE_SERVER
step "code-server launcher: $CODE_SERVER ($("$CODE_SERVER" --version 2>/dev/null | head -n1))"

chromium=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
[ -n "$chromium" ] || die "Chromium is not installed (apt-get install chromium, or set CHROMIUM=/path/to/chromium)"
export CHROMIUM=$chromium

step "build: node scripts/build.mjs && node scripts/build-e2e.mjs"
node scripts/build.mjs || die "building the extension and server failed"
node scripts/build-e2e.mjs || die "building the in-editor tests failed"

mkdir -p e2e/artifacts
vsix=$root/e2e/artifacts/dockerfile-lean.vsix
rm -f "$vsix"
step "package: vsce package -> $vsix"
# --no-rewrite-relative-links: package.json has no "repository", so vsce cannot make README links absolute.
npx --no-install vsce package --no-dependencies --allow-missing-repository --skip-license --no-rewrite-relative-links -o "$vsix" </dev/null >e2e/artifacts/vsce.log 2>&1 \
  || { cat e2e/artifacts/vsce.log >&2; die "vsce package failed"; }
[ -s "$vsix" ] || die "vsce did not write $vsix"
step "VSIX: $(du -k "$vsix" | cut -f1) KB, $(unzip -Z1 "$vsix" 2>/dev/null | wc -l) entries"

export DFL_VSIX=$vsix
step "tests: node --test e2e/"
node --test e2e/
