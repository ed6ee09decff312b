/**
 * Sizes measured on real builds on our build machines (Debian bookworm, buildah vfs, 2026-11-25), the only
 * basis for the Go and Cargo sizers: neither ecosystem has a package index we can reach. Programs and
 * scripts: bench/accuracy/toolchains/ (reproduce with `measure-toolchains.sh`), and the accuracy cases
 * go-build-cache, go-build-no-cache, go-multistage#build and cargo-build-release. Bytes are file content
 * (hard links once), as a layer counts them.
 */

/** One measured program: the binary and the build cache a `go build` of it leaves. */
export interface GoProgramFigure { binary: number; /** Built with `-ldflags="-s -w"`. */ strippedBinary: number; cache: number }

/**
 * Go ≥ 1.20 compiles the standard library into the build cache (`/root/.cache/go-build`); measured with
 * Go 1.23.5 (bookworm-backports). `fmt` is a hello world printing with fmt; `net/http` a small JSON HTTP
 * server (bench/accuracy/corpus/go-build-cache/main.go).
 */
export const go120 = {
  version: 'Go 1.23.5',
  fmt: { binary: 2_134_858, strippedBinary: 1_392_792, cache: 29_576_898 } satisfies GoProgramFigure,
  netHttp: { binary: 7_778_055, strippedBinary: 5_292_292, cache: 75_139_491 } satisfies GoProgramFigure,
};

/**
 * Go ≤ 1.19 ships the standard library precompiled in GOROOT: a default build leaves a tiny cache, but
 * `-trimpath`, `CGO_ENABLED=0`, `-race` and other build-mode flags rebuild it into the cache. Measured with
 * Debian bookworm's Go 1.19.8.
 */
export const go119 = {
  version: 'Go 1.19.8',
  fmt: { binary: 1_819_300, strippedBinary: 1_216_512, cache: 252_454 } satisfies GoProgramFigure,
  netHttp: { binary: 6_686_072, strippedBinary: 4_624_384, cache: 497_552 } satisfies GoProgramFigure,
  /** net/http program built with CGO_ENABLED=0 -trimpath (-s -w: 4,571,136-byte binary): the standard library compiled into the cache. */
  netHttpRebuiltStd: 56_797_250,
};

/**
 * Compiled dependencies in the Go build cache: a CLI importing cobra, pflag, logrus, uuid, yaml.v3, x/text
 * and x/sys (7 modules in go.sum) left 14,474,301 bytes with Go 1.19, whose standard library stays in
 * GOROOT — so ~2.07 MB per module. One program: a rough rule.
 */
export const goCompiledBytesPerModule = Math.round(14_474_301 / 7);

/**
 * `go mod download` of 29 modules (served from Debian's golang-*-dev sources through a file GOPROXY) wrote
 * 73,690,119 bytes to the module cache (extracted source 58,901,124 + zips and metadata 14,788,995) for
 * 61,688,832 bytes of the packages' Installed-Size: 1.19 × Installed-Size.
 */
export const goModuleCachePerInstalledByte = 73_690_119 / 61_688_832;

/** Rust: target/ of `cargo build --release`, measured per toolchain. */
export interface CargoFigure {
  version: string;
  /** A program without crates: target/ (almost all of it the binary, hard-linked twice, counted once) and the binary. */
  noCrates: { target: number; binary: number };
  /** serde_json + regex (8 crates from Debian's librust-*-dev sources): target/ and the binary. */
  eightCrates: { target: number; binary: number };
}

/** Debian's rustc keeps its standard library's debug info, so even hello world links to ~11.6 MB. */
export const cargoDebian163: CargoFigure = { version: 'rustc 1.63 (Debian bookworm)', noCrates: { target: 11_604_170, binary: 11_602_304 }, eightCrates: { target: 108_718_733, binary: 13_385_400 } };

/** rustup's rustc strips debug info from release builds by default (since 1.77). */
export const cargoRustup195: CargoFigure = { version: 'rustc 1.95 (rustup)', noCrates: { target: 447_830, binary: 445_888 }, eightCrates: { target: 39_807_591, binary: 2_055_952 } };

/**
 * ~/.cargo/registry keeps each crate twice: the .crate download (gzip) and its unpacked source. For the 8
 * crates above, gzip made 1,006,671 bytes of 4,504,907 bytes of source: 0.22.
 */
export const crateArchivePerSourceByte = 1_006_671 / 4_504_907;

/** The same 8 crates' source files against their librust-*-dev Installed-Size (4,892,672 bytes): 0.92. */
export const crateSourcePerInstalledByte = 4_504_907 / 4_892_672;
