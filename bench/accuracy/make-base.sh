#!/usr/bin/env bash
# Builds local stand-ins for the official debian:bookworm and debian:bookworm-slim images
# (Docker Hub is not reachable here) and imports them into podman/buildah vfs storage as
#   docker.io/library/debian:bookworm       (debootstrap minbase + debuerreotype's minimizing config)
#   docker.io/library/debian:bookworm-slim  (the same + debuerreotype's slimify config)
# so that `FROM debian:bookworm-slim` resolves locally with `buildah build --pull=never`.
#
# Idempotent and cached under $HOME/.cache/dockerfile-lean/accuracy: the debootstrap rootfs,
# the two tarballs and bases.json (measured content sizes) are reused; images are only
# imported when missing. `--force` rebuilds everything.
#
# Usage: sudo bash bench/accuracy/make-base.sh [--force]
set -Eeuo pipefail

CACHE="${DFL_CACHE:-$HOME/.cache/dockerfile-lean/accuracy}"
SUITE=bookworm
SLIM_TAG=docker.io/library/debian:bookworm-slim
FULL_TAG=docker.io/library/debian:bookworm
PODMAN=(podman --storage-driver vfs)
FORCE=0
[ "${1:-}" = "--force" ] && FORCE=1

log() { printf '[make-base] %s\n' "$*" >&2; }

if [ "$(id -u)" != 0 ]; then
	echo "make-base.sh must run as root (debootstrap, chroot, vfs storage)" >&2
	exit 1
fi

# --- tools -----------------------------------------------------------------------------------
missing=()
for t in buildah podman debootstrap; do command -v "$t" >/dev/null || missing+=("$t"); done
if [ "${#missing[@]}" -gt 0 ]; then
	log "installing ${missing[*]}"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi

# --- mirrors: whatever this machine's apt uses -----------------------------------------------
mirror_for() { # $1 = path suffix to match (debian | debian-security)
	local uris
	uris="$( { cat /etc/apt/sources.list.d/*.sources 2>/dev/null | sed -n 's/^URIs:[[:space:]]*//p' | tr ' ' '\n';
		grep -hE '^deb[[:space:]]' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | awk '{ for (i=2;i<=NF;i++) if ($i ~ /^https?:/) { print $i; break } }'; } \
		| sed 's:/*$::' | grep -E "/$1\$" | head -n1 || true)"
	echo "$uris"
}
MIRROR="$(mirror_for debian)"
SEC_MIRROR="$(mirror_for debian-security)"
MIRROR="${MIRROR:-http://deb.debian.org/debian}"
SEC_MIRROR="${SEC_MIRROR:-http://deb.debian.org/debian-security}"
log "mirror: $MIRROR  security: $SEC_MIRROR"

mkdir -p "$CACHE"
ROOT_FULL="$CACHE/rootfs-full"
ROOT_SLIM="$CACHE/rootfs-slim"
TAR_FULL="$CACHE/base-full.tar"
TAR_SLIM="$CACHE/base-slim.tar"

if [ "$FORCE" = 1 ]; then
	rm -rf "$ROOT_FULL" "$ROOT_SLIM" "$TAR_FULL" "$TAR_SLIM" "$CACHE/bases.json"
	"${PODMAN[@]}" rmi -f "$SLIM_TAG" "$FULL_TAG" >/dev/null 2>&1 || true
fi

# chroot helper: proc/dev mounted for the duration of one command, host resolv.conf borrowed
in_chroot() {
	local root="$1"; shift
	mount -t proc proc "$root/proc"
	mount --bind /dev "$root/dev"
	cp -f /etc/resolv.conf "$root/etc/resolv.conf"
	local rc=0
	chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8 "$@" || rc=$?
	umount "$root/dev" || umount -l "$root/dev"
	umount "$root/proc" || umount -l "$root/proc"
	return $rc
}

cleanup_mounts() {
	for r in "$ROOT_FULL" "$ROOT_SLIM"; do
		mountpoint -q "$r/dev" 2>/dev/null && umount -l "$r/dev" || true
		mountpoint -q "$r/proc" 2>/dev/null && umount -l "$r/proc" || true
	done
}
trap cleanup_mounts EXIT

# --- 1. debootstrap minbase + debuerreotype-like minimizing config (= debian:bookworm) -------
if [ ! -f "$ROOT_FULL/.dfl-done" ]; then
	rm -rf "$ROOT_FULL"
	log "debootstrap --variant=minbase $SUITE (a couple of minutes)"
	debootstrap --variant=minbase "$SUITE" "$ROOT_FULL" "$MIRROR" >"$CACHE/debootstrap.log" 2>&1 \
		|| { tail -n 30 "$CACHE/debootstrap.log" >&2; exit 1; }

	log "applying the official image's apt/dpkg configuration"
	cat >"$ROOT_FULL/usr/sbin/policy-rc.d" <<-'EOF'
	#!/bin/sh

	# For most Docker users, "apt-get install" only happens during "docker build",
	# where starting services doesn't work. This stops services from starting.

	exit 101
	EOF
	chmod 0755 "$ROOT_FULL/usr/sbin/policy-rc.d"

	printf '%s\n' '# dpkg need not sync() after unpacking inside an image build' 'force-unsafe-io' \
		>"$ROOT_FULL/etc/dpkg/dpkg.cfg.d/docker-apt-speedup"
	printf '%s\n' 'Apt::AutoRemove::SuggestsImportant "false";' \
		>"$ROOT_FULL/etc/apt/apt.conf.d/docker-autoremove-suggests"
	clean='"rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true";'
	cat >"$ROOT_FULL/etc/apt/apt.conf.d/docker-clean" <<-EOF
	# effectively "apt-get clean" after every dpkg run and every update
	DPkg::Post-Invoke { $clean };
	APT::Update::Post-Invoke { $clean };

	Dir::Cache::pkgcache "";
	Dir::Cache::srcpkgcache "";
	EOF
	printf '%s\n' '# keep the downloaded indexes compressed on disk' 'Acquire::GzipIndexes "true";' \
		>"$ROOT_FULL/etc/apt/apt.conf.d/docker-gzip-indexes"
	printf '%s\n' '# no Translation-* indexes' 'Acquire::Languages "none";' \
		>"$ROOT_FULL/etc/apt/apt.conf.d/docker-no-languages"
	chmod 0644 "$ROOT_FULL"/etc/apt/apt.conf.d/docker-* "$ROOT_FULL"/etc/dpkg/dpkg.cfg.d/docker-*

	# deb822 sources like the official image (bookworm, bookworm-updates, bookworm-security)
	rm -f "$ROOT_FULL/etc/apt/sources.list"
	cat >"$ROOT_FULL/etc/apt/sources.list.d/debian.sources" <<-EOF
	Types: deb
	URIs: $MIRROR
	Suites: $SUITE $SUITE-updates
	Components: main
	Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

	Types: deb
	URIs: $SEC_MIRROR
	Suites: $SUITE-security
	Components: main
	Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
	EOF

	# the official build upgrades to the current point release + security updates
	log "apt-get update && dist-upgrade inside the rootfs"
	in_chroot "$ROOT_FULL" apt-get update -qq
	in_chroot "$ROOT_FULL" apt-get dist-upgrade -y -qq >/dev/null

	# debuerreotype-fixup-like cleaning: lists, caches, logs, machine-id, hostname, resolv.conf
	# (debconf's templates.dat-old and dpkg's status-old stay, as in the official image)
	rm -rf "$ROOT_FULL"/var/lib/apt/lists/* "$ROOT_FULL"/var/cache/apt/*.bin \
		"$ROOT_FULL"/var/cache/apt/archives/*.deb "$ROOT_FULL"/var/cache/apt/archives/partial/*
	mkdir -p "$ROOT_FULL/var/lib/apt/lists/partial"
	rm -f "$ROOT_FULL"/var/log/dpkg.log "$ROOT_FULL"/var/log/bootstrap.log "$ROOT_FULL"/var/log/alternatives.log \
		"$ROOT_FULL"/var/cache/ldconfig/aux-cache "$ROOT_FULL"/var/log/apt/*.log "$ROOT_FULL"/var/log/apt/eipp.log.xz
	: >"$ROOT_FULL/etc/machine-id" 2>/dev/null || true
	: >"$ROOT_FULL/etc/resolv.conf"
	echo localhost >"$ROOT_FULL/etc/hostname"
	touch "$ROOT_FULL/.dfl-done"
	rm -f "$TAR_FULL" "$TAR_SLIM" "$CACHE/bases.json"
fi

# --- 2. slim variant: dpkg path-excludes + delete what is already installed there ------------
if [ ! -f "$ROOT_SLIM/.dfl-done" ]; then
	rm -rf "$ROOT_SLIM"
	log "making the -slim rootfs"
	cp -a "$ROOT_FULL" "$ROOT_SLIM"
	rm -f "$ROOT_SLIM/.dfl-done"
	excludes=('/usr/share/doc/*' '/usr/share/groff/*' '/usr/share/info/*' '/usr/share/linda/*'
		'/usr/share/lintian/overrides/*' '/usr/share/locale/*' '/usr/share/man/*')
	includes=('/usr/share/doc/*/copyright' '/usr/share/doc/kde/HTML/C/*' '/usr/share/gnome/help/*/C/*'
		'/usr/share/locale/all_languages' '/usr/share/locale/currency/*' '/usr/share/locale/l10n/*'
		'/usr/share/locale/languages' '/usr/share/locale/locale.alias' '/usr/share/omf/*/*-C.emf')
	{
		echo '# This is the "slim" variant of the Debian base image.'
		echo '# Many files which are normally unnecessary in containers are excluded,'
		echo '# and this configuration file keeps them that way.'
		for e in "${excludes[@]}"; do echo "path-exclude $e"; done
		for i in "${includes[@]}"; do echo "path-include $i"; done
	} >"$ROOT_SLIM/etc/dpkg/dpkg.cfg.d/docker"
	chmod 0644 "$ROOT_SLIM/etc/dpkg/dpkg.cfg.d/docker"
	# delete non-directories matching an exclude and no include, then the emptied directories
	findArgs=()
	for e in "${excludes[@]}"; do findArgs+=(-o -path "$ROOT_SLIM$e"); done
	notArgs=()
	for i in "${includes[@]}"; do notArgs+=(! -path "$ROOT_SLIM$i"); done
	find "$ROOT_SLIM/usr/share" ! -type d \( "${findArgs[@]:1}" \) "${notArgs[@]}" -delete
	for e in "${excludes[@]}"; do
		d="$ROOT_SLIM${e%/\*}"
		[ -d "$d" ] && find "$d" -mindepth 1 -depth -type d -empty -delete
	done
	touch "$ROOT_SLIM/.dfl-done"
	rm -f "$TAR_SLIM" "$CACHE/bases.json"
fi

# --- 3. tarballs + import -------------------------------------------------------------------
make_tar() { # rootfs tar
	[ -f "$2" ] && return 0
	log "tar $1 -> $2"
	tar -C "$1" --exclude='./proc/*' --exclude='./sys/*' --exclude='./dev/*' --exclude='./.dfl-done' \
		--numeric-owner --xattrs --sort=name -cf "$2.tmp" .
	mv "$2.tmp" "$2"
}
make_tar "$ROOT_FULL" "$TAR_FULL"
make_tar "$ROOT_SLIM" "$TAR_SLIM"

import_if_missing() { # tar tag
	if "${PODMAN[@]}" image exists "$2"; then
		log "$2 already present"
		return 0
	fi
	log "importing $2"
	"${PODMAN[@]}" import --change 'CMD ["bash"]' "$1" "$2" >/dev/null
}
import_if_missing "$TAR_FULL" "$FULL_TAG"
import_if_missing "$TAR_SLIM" "$SLIM_TAG"

# --- 4. measured content size (regular files + symlink target lengths, like overlay2) --------
content_bytes() { # tarball -> bytes
	tar -tvf "$1" | awk '
		/^-/ || /^h/ { if ($1 ~ /^-/) s += $3 }
		/^l/ { i = index($0, " -> "); if (i) s += length(substr($0, i + 4)) }
		END { printf "%d\n", s }'
}
if [ ! -f "$CACHE/bases.json" ]; then
	full="$(content_bytes "$TAR_FULL")"
	slim="$(content_bytes "$TAR_SLIM")"
	printf '{ "debian:bookworm-slim": %s, "debian:bookworm": %s }\n' "$slim" "$full" >"$CACHE/bases.json"
fi
log "content sizes: $(cat "$CACHE/bases.json")"
cat "$CACHE/bases.json"
