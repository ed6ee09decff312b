/**
 * Constants measured on images really built here (bench/accuracy: buildah, a debootstrap Debian base
 * matching the official debian:bookworm(-slim)). test/unit/sizing-calibration.test.ts recomputes them
 * from bench/accuracy/results.json, so they cannot drift from the measurements silently.
 */

/**
 * Real layer bytes ÷ Debian Installed-Size of the closure. On -slim bases dpkg skips docs, man pages and
 * locales, so packages take less than Installed-Size says; on full bases dpkg's own bookkeeping
 * (status file, logs, triggers) adds a little. Median over the apt cases of the accuracy corpus.
 */
export const installedSizeRatio = { slim: 0.93, full: 1.04 };

/** /var/lib/apt/lists after `apt-get update` (compressed indexes, as official images keep them), by release. */
export const aptListsBytes: Record<string, number> = { bookworm: 19_860_000 };
