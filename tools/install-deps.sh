#!/bin/sh
# Installs the Debian/Ubuntu packages the build and the tests need.
# Does nothing (and needs no network) when every package is already present.
set -eu

PACKAGES="build-essential gcc-multilib nasm binutils make
grub-pc-bin grub-common xorriso mtools
qemu-system-x86 bochs bochsbios vgabios bochs-term
libcmocka-dev clang valgrind"

missing=""
for pkg in $PACKAGES; do
	if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed"; then
		missing="$missing $pkg"
	fi
done

[ -z "$missing" ] && exit 0

echo "install-deps: installing:$missing"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $missing
