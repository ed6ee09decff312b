import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../server/src/engine';
import { testEnv } from '../support/test-env';
import { memoryContext } from '../support/memory-context';
import { debianGoPackageNames, modulesInGoSum } from '../../server/src/sizing/sizers/go';
import { declaresDependencies, registryCratesInLock } from '../../server/src/sizing/sizers/cargo';
import { go119, go120, goCompiledBytesPerModule, cargoDebian163, cargoRustup195 } from '../../server/src/sizing/sizers/toolchain-measurements';

const runLayer = (text: string, files?: Record<string, number | string>) => {
  const report = analyze(text, { env: { ...testEnv(), context: files ? memoryContext(files) : null } });
  const layers = report.image.stages.flatMap((s) => s.layers);
  return { layer: layers.filter((l) => l.keyword === 'RUN').at(-1)!, report };
};
const goProject = { 'go.mod': 'module example.com/app\n\ngo 1.22\n', 'main.go': 'package main\n' };
const goSum = [
  'github.com/spf13/cobra v1.8.0 h1:abc=',
  'github.com/spf13/cobra v1.8.0/go.mod h1:def=',
  'github.com/spf13/pflag v1.0.5 h1:ghi=',
  'github.com/spf13/pflag v1.0.5/go.mod h1:jkl=',
  'github.com/only/gomod v1.0.0/go.mod h1:mno=',
  'example.com/not/in/debian v0.1.0 h1:pqr=',
].join('\n');

test('go.sum: only modules with a zip checksum are downloaded; Debian names follow its Go packaging', () => {
  assert.deepEqual(modulesInGoSum(goSum), ['github.com/spf13/cobra', 'github.com/spf13/pflag', 'example.com/not/in/debian']);
  assert.deepEqual(debianGoPackageNames('github.com/BurntSushi/toml'), ['golang-github-burntsushi-toml-dev']);
  assert.deepEqual(debianGoPackageNames('golang.org/x/text'), ['golang-golang-x-text-dev']);
  assert.deepEqual(debianGoPackageNames('gopkg.in/yaml.v3'), ['golang-gopkg-yaml.v3-dev']);
  assert.deepEqual(debianGoPackageNames('github.com/cpuguy83/go-md2man/v2'), ['golang-github-cpuguy83-go-md2man-v2-dev', 'golang-github-cpuguy83-go-md2man-dev']);
  assert.deepEqual(debianGoPackageNames('github.com/shurcooL/sanitized_anchor_name'), ['golang-github-shurcool-sanitized-anchor-name-dev']);
  assert.deepEqual(debianGoPackageNames('cloud.google.com/go'), ['golang-google-cloud-dev']);
});

test('go build on golang:1.22 without dependencies: binary + compiled standard library in the build cache (heuristic, low)', () => {
  const { layer } = runLayer('FROM golang:1.22\nWORKDIR /src\nCOPY go.mod main.go ./\nRUN go build -o /out/app .', goProject);
  assert.equal(layer.figure?.bytes, go120.netHttp.binary + go120.netHttp.cache);
  assert.equal(layer.figure?.low, go120.fmt.binary + go120.fmt.cache);
  assert.equal(layer.figure?.source, 'heuristic');
  assert.equal(layer.figure?.confidence, 'low');
  assert.deepEqual(layer.parts.map((p) => p.label).sort(), ['Go build cache /root/.cache/go-build', 'go binary /out/app']);
  assert.equal(layer.parts.find((p) => p.label.startsWith('go binary'))?.path, '/out/app');
  assert.match(layer.parts[0].figure.note ?? '', /heuristic/);
});

test('go build: a cache mount or go clean -cache keeps the cache out; -s -w picks the stripped figure', () => {
  const mounted = runLayer('FROM golang:1.22\nWORKDIR /src\nCOPY go.mod main.go ./\nRUN --mount=type=cache,target=/root/.cache/go-build go build -ldflags="-s -w" -o /out/app .', goProject).layer;
  assert.equal(mounted.figure?.bytes, go120.netHttp.strippedBinary);
  const cleaned = runLayer('FROM golang:1.22\nWORKDIR /src\nCOPY go.mod main.go ./\nRUN go build -o /out/app . && go clean -cache', goProject).layer;
  assert.equal(cleaned.figure?.bytes, go120.netHttp.binary);
  const removed = runLayer('FROM golang:1.22\nWORKDIR /src\nCOPY go.mod main.go ./\nRUN go build -o /out/app . && rm -rf /root/.cache', goProject).layer;
  assert.equal(removed.figure?.bytes, go120.netHttp.binary);
});

test("Debian's Go 1.19 keeps the standard library in GOROOT unless CGO_ENABLED=0 / -trimpath rebuild it", () => {
  const install = 'FROM debian:bookworm\nRUN apt-get update && apt-get install -y --no-install-recommends golang-go && rm -rf /var/lib/apt/lists/*\nWORKDIR /src\nCOPY go.mod main.go ./\n';
  const plain = runLayer(`${install}RUN go build -o /out/app .`, goProject).layer;
  assert.equal(plain.figure?.bytes, go119.netHttp.binary + go119.netHttp.cache);
  const rebuilt = runLayer(`${install}RUN CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o /out/app .`, goProject).layer;
  assert.equal(rebuilt.figure?.bytes, go119.netHttp.strippedBinary + go119.netHttpRebuiltStd);
});

test('go mod download: the module cache from Debian golang-*-dev sizes, the rest at their median, labelled', () => {
  const files = { ...goProject, 'go.sum': goSum };
  const { layer } = runLayer('FROM golang:1.22\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download', files);
  const part = layer.parts.find((p) => p.label === 'Go module cache /go/pkg/mod');
  assert.ok(part && part.figure.bytes > 0);
  assert.match(part.figure.note ?? '', /3 modules in go.sum; 2 sized from Debian's golang-\*-dev packages.*1 not in Debian/);
  assert.equal(layer.parts.length, 1, 'no compile, no build cache');
  // a build after the download: no second download; the cache grows by the compiled modules
  const build = runLayer('FROM golang:1.22\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\nRUN go build -o /app .', files).layer;
  assert.equal(build.parts.find((p) => p.label.startsWith('Go module cache')), undefined);
  assert.equal(build.parts.find((p) => p.label.startsWith('Go build cache'))?.figure.bytes, go120.netHttp.cache + 3 * goCompiledBytesPerModule);
  const mounted = runLayer('FROM golang:1.22\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN --mount=type=cache,target=/go/pkg/mod go mod download', files).layer;
  assert.equal(mounted.figure?.bytes, 0);
});

test('go: unknown where nothing supports a figure', () => {
  assert.match(runLayer('FROM golang:1.22\nRUN go build -o /app .').layer.explanation, /build context is not available/);
  assert.match(runLayer('FROM golang:1.22\nRUN go build -o /app .', goProject).layer.explanation, /no go.mod copied from the build context/);
  assert.match(runLayer('FROM golang:1.22\nRUN git clone https://example.com/x /src && cd /src && go build .', goProject).layer.explanation, /no size data/);
  assert.match(runLayer('FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go run ./cmd/gen', goProject).layer.explanation, /go run/);
  assert.match(runLayer('FROM golang:1.22\nRUN go install golang.org/x/tools/gopls@latest', goProject).layer.explanation, /outside the build context/);
  assert.equal(runLayer('FROM golang:1.22\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download', { ...goProject, 'go.sum': 'example.com/a v1.0.0 h1:x=\n' }).layer.figure, null);
});

const cargoToml = '[package]\nname = "app"\nversion = "0.1.0"\n\n[dependencies]\nserde = "1"\n\n[dev-dependencies]\ntempfile = "3"\n';
const cargoLock = [
  'version = 3', '', '[[package]]', 'name = "app"', 'version = "0.1.0"', '',
  '[[package]]', 'name = "serde"', 'version = "1.0.152"', 'source = "registry+https://github.com/rust-lang/crates.io-index"', '',
  '[[package]]', 'name = "serde_json"', 'version = "1.0.87"', 'source = "sparse+https://index.crates.io/"', '',
  '[[package]]', 'name = "local"', 'version = "0.1.0"', 'source = "git+https://example.com/x"', '',
].join('\n');

test('Cargo.lock and Cargo.toml: registry crates; whether a manifest declares dependencies', () => {
  assert.deepEqual(registryCratesInLock(cargoLock), ['serde', 'serde_json']);
  assert.equal(declaresDependencies(cargoToml), true);
  assert.equal(declaresDependencies('[package]\nname = "a"\n\n[dev-dependencies]\nx = "1"\n'), false);
  assert.equal(declaresDependencies('[package]\nname = "a"\n[dependencies.serde]\nversion = "1"\n'), true);
  assert.equal(declaresDependencies('[package]\nname = "a"\n[dependencies]\n'), false);
});

test("cargo build --release with Debian's cargo: target/ per measured toolchain + the registry from librust sizes", () => {
  const files = { 'Cargo.toml': cargoToml, 'Cargo.lock': cargoLock, 'src/main.rs': 'fn main() {}\n' };
  const { layer } = runLayer('FROM debian:bookworm\nRUN apt-get update && apt-get install -y --no-install-recommends cargo && rm -rf /var/lib/apt/lists/*\nWORKDIR /src\nCOPY . .\nRUN cargo build --release', files);
  const target = layer.parts.find((p) => p.label === 'cargo /src/target');
  const binary = layer.parts.find((p) => p.path === '/src/target/release/app');
  assert.equal((target?.figure.bytes ?? 0) + (binary?.figure.bytes ?? 0), Math.round(cargoDebian163.noCrates.target + 2 * (cargoDebian163.eightCrates.target - cargoDebian163.noCrates.target) / 8));
  assert.equal(binary?.figure.bytes, Math.round(cargoDebian163.noCrates.binary + 2 * (cargoDebian163.eightCrates.binary - cargoDebian163.noCrates.binary) / 8));
  const registry = layer.parts.find((p) => p.label === 'cargo registry /root/.cargo/registry');
  assert.ok(registry && registry.figure.bytes > 0);
  assert.match(registry.figure.note ?? '', /2 sized from Debian's librust/);
  assert.equal(layer.figure?.confidence, 'low');
});

test('cargo on rust:1.80 without crates; mounts and rm keep target/ and the registry out; debug builds unknown', () => {
  const files = { 'Cargo.toml': '[package]\nname = "app"\nversion = "0.1.0"\n', 'src/main.rs': 'fn main() {}\n' };
  assert.equal(runLayer('FROM rust:1.80\nWORKDIR /src\nCOPY . .\nRUN cargo build --release', files).layer.figure?.bytes, cargoRustup195.noCrates.target);
  assert.equal(runLayer('FROM rust:1.80\nWORKDIR /src\nCOPY . .\nRUN --mount=type=cache,target=/src/target cargo build --release', files).layer.figure?.bytes, 0);
  assert.equal(runLayer('FROM rust:1.80\nWORKDIR /src\nCOPY . .\nRUN cargo build --release && rm -rf target', files).layer.figure?.bytes, 0);
  assert.match(runLayer('FROM rust:1.80\nWORKDIR /src\nCOPY . .\nRUN cargo build', files).layer.explanation, /debug build/);
  assert.match(runLayer('FROM rust:1.70\nWORKDIR /src\nCOPY . .\nRUN cargo build --release', files).layer.explanation, /before 1.77/);
  assert.match(runLayer('FROM rust:1.80\nWORKDIR /src\nCOPY . .\nRUN cargo build --release', { ...files, 'Cargo.toml': cargoToml }).layer.explanation, /without Cargo.lock/);
  assert.match(runLayer('FROM rust:1.80\nRUN cargo install ripgrep', files).layer.explanation, /crates.io/);
});

test('Maven/Gradle stay unknown with the reason; apk says why and what --no-cache changes', () => {
  assert.match(runLayer('FROM maven:3\nWORKDIR /src\nCOPY . .\nRUN mvn -B package').layer.explanation, /Maven Central into ~\/.m2/);
  assert.match(runLayer('FROM gradle:8\nRUN --mount=type=cache,target=/root/.gradle gradle build').layer.explanation, /gradle \(downloads from Maven Central and build outputs/);
  const noCache = runLayer('FROM alpine:3.21\nRUN apk add --no-cache curl').layer;
  assert.equal(noCache.figure, null);
  assert.match(noCache.explanation, /Alpine package sizes are not in the data\)/);
  assert.match(runLayer('FROM alpine:3.21\nRUN apk add curl').layer.explanation, /without --no-cache the package indexes also stay in \/var\/cache\/apk/);
  assert.doesNotMatch(runLayer('FROM alpine:3.21\nRUN apk add curl && rm -rf /var/cache/apk/*').layer.explanation, /without --no-cache/);
  assert.equal(runLayer('FROM alpine:3.21\nRUN apk del curl').layer.figure?.bytes, 0);
});

test('COPY --from of the release binary takes the binary part, not target/ or the registry', () => {
  const files = { 'Cargo.toml': '[package]\nname = "rhello"\nversion = "0.1.0"\n\n[dependencies]\n', 'src/main.rs': 'fn main() {}\n' };
  const { report } = runLayer('FROM rust:1.80 AS build\nWORKDIR /src\nCOPY . .\nRUN cargo build --release\nFROM debian:bookworm-slim\nCOPY --from=build /src/target/release/rhello /usr/local/bin/rhello', files);
  assert.equal(report.image.stages[1].layers[0].figure?.bytes, cargoRustup195.noCrates.binary);
});

test('Go or packages from backports: apt says they are not in the data; go uses the Go 1.20+ figures', () => {
  const text = "FROM debian:bookworm AS build\nRUN apt-get update && apt-get install -y --no-install-recommends -t bookworm-backports golang-go\nWORKDIR /src\nCOPY go.mod main.go ./\nRUN go build -o /out/server .";
  const { report, layer } = runLayer(text, goProject);
  assert.match(report.image.stages[0].layers[0].explanation, /from bookworm-backports \(its packages are not in the data/);
  assert.equal(layer.figure?.bytes, go120.netHttp.binary + go120.netHttp.cache);
  assert.match(layer.parts[0].figure.note ?? '', /backports/);
  assert.equal(runLayer('FROM debian:bookworm\nRUN apt-get install -y curl/bookworm-backports').layer.figure, null);
});
