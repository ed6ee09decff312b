#!/usr/bin/env bash
# Reproduces the Go and Cargo figures in server/src/sizing/sizers/toolchain-measurements.ts: builds small
# programs in a debian:bookworm buildah container (the accuracy bench's base, see ../make-base.sh) with
# Debian's toolchains, offline apart from Debian's mirror, and prints file bytes (hard links once).
#   sudo bash bench/accuracy/toolchains/measure-toolchains.sh        (~10 min on 2 cores)
# Go modules and crates come from Debian's golang-*-dev / librust-*-dev sources (the module proxy and
# crates.io are not reachable): a file:// GOPROXY built from /usr/share/gocode/src, and a cargo directory
# source on /usr/share/cargo/registry. The rustup 1.95 figures were taken on the host with its own cargo
# (the same rust-hello and rust-deps programs against the same Debian crate sources), see the end.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
corpus=$(cd "$here/../corpus" && pwd)
S=(--storage-driver vfs)
ctr=$(buildah "${S[@]}" from --pull=never docker.io/library/debian:bookworm)
trap 'buildah "${S[@]}" rm "$ctr" >/dev/null' EXIT
run() { buildah "${S[@]}" run --isolation chroot --network host "$ctr" -- bash -c "$1"; }
mnt=$(buildah "${S[@]}" mount "$ctr")
mkdir -p "$mnt/src/server"
cp -r "$here/go-hello" "$here/go-cli" "$here/rust-hello" "$here/rust-deps" "$mnt/src/"
cp "$corpus/go-build-cache/main.go" "$corpus/go-build-cache/go.mod" "$mnt/src/server/"

run "echo 'deb http://deb.debian.org/debian bookworm-backports main' > /etc/apt/sources.list.d/backports.list && apt-get update -qq \
  && apt-get install -y -qq --no-install-recommends -t bookworm-backports golang-go >/dev/null \
  && apt-get install -y -qq --no-install-recommends golang-1.19-go cargo zip cpio \
     golang-github-google-uuid-dev golang-golang-x-text-dev golang-github-spf13-cobra-dev golang-github-sirupsen-logrus-dev \
     golang-gopkg-yaml.v3-dev golang-golang-x-sys-dev librust-regex+default-dev librust-serde-json+default-dev librust-aho-corasick-dev >/dev/null"

cat > "$mnt/measure.sh" <<'INNER'
set -euo pipefail
export HOME=/root
bytes() { find "$@" -type f -printf '%i %s\n' 2>/dev/null | sort -u | awk '{s+=$2} END {print s+0}'; }
cache() { bytes /root/.cache/go-build; }
for go in /usr/lib/go-1.23/bin/go /usr/lib/go-1.19/bin/go; do
  v=$($go version | awk '{print $3}')
  for p in go-hello server; do
    cd /src/$p
    $go clean -cache; $go build -o /out/a . ; echo "$v $p default: binary $(stat -c %s /out/a) cache $(cache)"
    $go clean -cache; $go build -ldflags='-s -w' -o /out/a . ; echo "$v $p -s -w: binary $(stat -c %s /out/a)"
  done
  cd /src/server; $go clean -cache; CGO_ENABLED=0 $go build -trimpath -ldflags='-s -w' -o /out/a .; echo "$v server CGO_ENABLED=0 -trimpath -s -w: binary $(stat -c %s /out/a) cache $(cache)"
done
# a file GOPROXY from Debian's Go module sources (one version v<major>.0.0 per module)
rm -rf /proxy /root/go && mkdir -p /proxy && cd /usr/share/gocode/src && : > /tmp/mods
for gm in $(find . -name go.mod -not -path '*/testdata/*' -not -path '*/vendor/*' | sort); do
  dir=${gm%/go.mod}; dir=${dir#./}; mod=$(awk '/^module /{print $2; exit}' "$gm" | tr -d '"')
  [ "$mod" = "$dir" ] || continue
  case "$mod" in */v[0-9]*) maj=${mod##*/v};; gopkg.in/*.v[0-9]*) maj=${mod##*.v};; *) maj=1;; esac
  case "$maj" in ''|*[!0-9]*|0) maj=1;; esac
  ver=v$maj.0.0; p=/proxy/$(echo "$mod" | sed 's/[A-Z]/!\L&/g')/@v; mkdir -p "$p"
  echo $ver > $p/list; echo "{\"Version\":\"$ver\",\"Time\":\"2024-01-01T00:00:00Z\"}" > $p/$ver.info
  printf 'module %s\n\ngo 1.21\n' "$mod" > $p/$ver.mod
  tmp=$(mktemp -d); mkdir -p "$tmp/$mod@$ver"; (cd "$dir" && find . -type f -not -path './vendor/*' | cpio -pdm --quiet "$tmp/$mod@$ver")
  (cd "$tmp" && zip -qr -X "$p/$ver.zip" "$mod@$ver"); rm -rf "$tmp"
  pkg=$(dpkg -S "/usr/share/gocode/src/$mod" | head -1 | cut -d: -f1 | cut -d, -f1)
  echo "$mod $ver $(dpkg-query -W -f='${Installed-Size}' "$pkg")" >> /tmp/mods
done
mkdir -p /modtest && cd /modtest
{ echo 'module example.com/modtest'; echo; echo 'go 1.21'; echo; echo 'require ('; awk '{print "\t"$1" "$2}' /tmp/mods; echo ')'; } > go.mod
GOPROXY=file:///proxy GOSUMDB=off GOFLAGS=-mod=mod go mod download
echo "go mod download: $(wc -l < /tmp/mods) modules, module cache $(bytes /root/go) bytes, Debian Installed-Size $(awk '{s+=$3} END {print s*1024}' /tmp/mods) bytes"
cd /src/go-cli && cp /modtest/go.mod go.mod && sed -i 's#example.com/modtest#example.com/cli#' go.mod
/usr/lib/go-1.19/bin/go clean -cache
GOPROXY=off GOSUMDB=off GOFLAGS=-mod=mod /usr/lib/go-1.19/bin/go build -o /out/cli .
echo "go1.19 cli ($(grep -vc '/go.mod ' go.sum) modules with zips in go.sum): binary $(stat -c %s /out/cli) cache $(cache)"
# cargo: Debian's rustc, no crates and serde_json + regex from Debian's crate sources
mkdir -p /root/.cargo && printf '[source.crates-io]\nreplace-with = "debian"\n[source.debian]\ndirectory = "/usr/share/cargo/registry"\n' > /root/.cargo/config.toml
cd /src/rust-hello && cargo build --release -q && echo "cargo $(rustc --version | awk '{print $2}') no crates: target $(bytes target) binary $(stat -c %s target/release/rhello)"
cd /src/rust-deps && cargo build --release -q --offline && echo "cargo $(rustc --version | awk '{print $2}') serde_json+regex ($(grep -c '^name = ' Cargo.lock) packages): target $(bytes target) binary $(stat -c %s target/release/rdeps)"
src=0; gz=0; inst=0
for c in aho-corasick itoa memchr regex regex-syntax ryu serde serde_json; do
  d=$(ls -d /usr/share/cargo/registry/$c-[0-9]* | head -1)
  src=$((src + $(bytes "$d"))); gz=$((gz + $(cd "$(dirname "$d")" && tar czf - "$(basename "$d")" | wc -c)))
  inst=$((inst + $(dpkg-query -W -f='${Installed-Size}' "librust-${c//_/-}-dev") * 1024))
done
echo "8 crates: source $src bytes, tar.gz $gz bytes, Debian Installed-Size $inst bytes"
INNER
run "bash /measure.sh"
if command -v cargo >/dev/null; then
  # the host's rustup toolchain against the same crate sources, copied out of the container
  work=$(mktemp -d); cp -r "$mnt/usr/share/cargo/registry" "$work/registry"; cp -r "$here/rust-hello" "$here/rust-deps" "$work/"
  for p in rust-hello rust-deps; do
    (cd "$work/$p" && mkdir -p .cargo && printf '[source.crates-io]\nreplace-with = "debian"\n[source.debian]\ndirectory = "%s"\n' "$work/registry" > .cargo/config.toml \
      && CARGO_HOME="$work/home" cargo build --release -q --offline \
      && echo "host $(rustc --version | awk '{print $2}') $p: target $(find target -type f -printf '%i %s\n' | sort -u | awk '{s+=$2} END {print s}') binary $(stat -c %s target/release/$(awk -F'"' '/^name/{print $2; exit}' Cargo.toml))")
  done
  rm -rf "$work"
fi
