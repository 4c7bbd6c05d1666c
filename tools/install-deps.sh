#!/bin/sh
# Installs the Debian/Ubuntu packages the build and the tests need.
# Does nothing (and needs no network) when every package is already present.
#
# usage: tools/install-deps.sh [GROUP...]
# Each GROUP adds packages only some commands need:
#   bochs-gui   Bochs' X display (`make bochs-gui`)
#   gui-tests   that, and a virtual X server with screenshots and
#               synthetic clicks and keys (tests/run-bochs-gui.sh: `make test`)
#   view        the memory viewer's DWARF reader (`make view`, docs/view.md)
#   view-tests  that, and headless Chromium driven by Selenium (the
#               viewer's browser test: `make test`)
#   bench-dropin  the other allocators and the programs `make bench-dropin`
#               compares libheapmalloc.so with (docs/heap-benchmark.md)
set -eu

# qemu-user: qemu-i386 runs the host tools built for i386 (heapbench32,
# heaptrace) where the Linux kernel runs no 32-bit programs (tools/run-i386).
# gdb: make gdb, and the scripted gdb session (tests/run-gdb-session.sh).
PACKAGES="build-essential gcc-multilib nasm binutils make python3
grub-pc-bin grub-common xorriso mtools
qemu-system-x86 qemu-user gdb bochs bochsbios vgabios bochs-term
libcmocka-dev clang clang-format valgrind"

# bochs-x: the X display plugin (Debian's bochs already links GTK for the
# gui debugger). xvfb: an X server with no screen; imagemagick: import
# (screenshots), convert (pixel statistics); xdotool: find, move, click
# and type into windows; x11-utils: xwininfo (the window tree).
for group in "$@"; do
	case $group in
	bochs-gui) PACKAGES="$PACKAGES bochs-x" ;;
	gui-tests) PACKAGES="$PACKAGES bochs-x xvfb imagemagick xdotool x11-utils" ;;
	view) PACKAGES="$PACKAGES python3-pyelftools" ;;
	view-tests) PACKAGES="$PACKAGES python3-pyelftools chromium chromium-driver python3-selenium" ;;
	bench-dropin) PACKAGES="$PACKAGES libmimalloc2.0 libjemalloc2
		libtcmalloc-minimal4 pigz sqlite3 time" ;;
	*)
		echo "install-deps: unknown group '$group' (bochs-gui, gui-tests, view, view-tests, bench-dropin)" >&2
		exit 2
		;;
	esac
done

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive

installed() {
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "ok installed"
}

missing=""
for pkg in $PACKAGES; do
	installed "$pkg" || missing="$missing $pkg"
done

if [ -n "$missing" ]; then
	echo "install-deps: installing:$missing"
	$SUDO apt-get update -q
	# shellcheck disable=SC2086
	$SUDO apt-get install -y -q --no-install-recommends $missing
fi

# clang's libFuzzer runtime: one package on Debian 12 (libclang-rt-dev),
# a versioned one on other releases (libclang-rt-14-dev, ...).
fuzzer_works() {
	echo 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n)
	      { (void)d; (void)n; return 0; }' |
		clang -x c -fsanitize=fuzzer -o /dev/null - 2>/dev/null
}
if ! fuzzer_works; then
	version=$(clang -dumpversion | cut -d. -f1)
	echo "install-deps: installing clang's fuzzer runtime"
	$SUDO apt-get update -q
	$SUDO apt-get install -y -q --no-install-recommends libclang-rt-dev ||
		$SUDO apt-get install -y -q --no-install-recommends \
			"libclang-rt-$version-dev"
fi
