#!/bin/bash
# TAP lines: the numbers the documents quote that the repository alone can
# produce (no ../shared/traces: CI has a clean clone). Each check reads the
# number from the document's text and asks the compiler, with a
# _Static_assert, whether the code agrees; a document and its code that
# disagree give "not ok N - ..." with both sides.
set -u
cd "$(dirname "$0")/.." || exit 1

CC=${CC:-gcc}
KERNEL_VMA=$(sed -n 's/^KERNEL_VMA *:= *//p' Makefile)
KERNEL_PHYS=$(sed -n 's/^KERNEL_PHYS *:= *//p' Makefile)
USER_LOAD_ADDR=$(sed -n 's/^USER_LOAD_ADDR *:= *//p' user/user.mk)
LAYOUT="-DKERNEL_VMA=${KERNEL_VMA}u -DKERNEL_PHYS=${KERNEL_PHYS}u"
LAYOUT+=" -DUSER_LOAD_ADDR=${USER_LOAD_ADDR}u"
n=0
failed=0

# quote FILE REGEX: group 1 of REGEX's first match in FILE, with every run
# of white space in FILE (line breaks too) read as one space; empty if none.
quote() {
	python3 - "$1" "$2" <<'EOF'
import re, sys
text = re.sub(r"\s+", " ", open(sys.argv[1]).read())
m = re.search(sys.argv[2], text)
print(m.group(1) if m else "")
EOF
}

# check NAME VALUE CFLAGS INCLUDE EXPR: ok when VALUE was found and the C
# expression EXPR, with @ replaced by VALUE, holds after #include INCLUDE.
check() {
	local name=$1 value=$2 cflags=$3 include=$4 expr=${5//@/$2} err
	n=$((n + 1))
	if [ -z "$value" ]; then
		echo "not ok $n - $name (the quote was not found in the text)"
		failed=1
		return
	fi
	if err=$(printf '#include "%s"\n_Static_assert(%s, "");\n' \
		"$include" "$expr" |
		$CC $cflags -I. -x c -fsyntax-only - 2>&1); then
		echo "ok $n - $name: $value"
		return
	fi
	echo "not ok $n - $name: the text says $value, but not ($expr)"
	echo "$err" | grep -m1 -E 'error' | sed 's/^/# /'
	failed=1
}

L4=docs/labs/lab4-heap.md
L6=docs/labs/lab6-user-heap.md
UH=docs/user-heap.md
LHEAP=labs/4/heap/lheap.h

check "$L4: struct lheap_node's bytes on x86-64" \
	"$(quote $L4 'lheap_node` is (\d+) bytes on x86-64')" \
	-m64 $LHEAP 'sizeof(struct lheap_node) == @'
check "$L4: struct lheap_node's bytes on i386" \
	"$(quote $L4 'lheap_node` is \d+ bytes on x86-64 \((\d+) on i386\)')" \
	-m32 $LHEAP 'sizeof(struct lheap_node) == @'
check "$L4: the links' bytes on a 64-bit machine" \
	"$(quote $L4 'links cost (\d+) more bytes per block on a 64-bit')" \
	-m64 $LHEAP 'sizeof(((struct lheap_node *)0)->prev) * 2 == @'
check "$L4: the links' bytes on i386" \
	"$(quote $L4 'per block on a 64-bit machine \((\d+) on i386\)')" \
	-m32 $LHEAP 'sizeof(((struct lheap_node *)0)->prev) * 2 == @'

# The user heap is mm/heap.c built for i386; its defaults are in heap.c.
check "$UH: blocks aligned to (i386)" \
	"$(quote $UH 'every block is aligned to (\d+) bytes')" \
	-m32 mm/heap.c 'HEAP_ALIGN == @'
check "$UH: header bytes" \
	"$(quote $UH 'costs a (\d+)-byte header')" \
	-m32 mm/heap.c 'TAG_SIZE == @'
check "$UH: smallest block" \
	"$(quote $UH 'the smallest is (\d+) bytes')" \
	-m32 mm/heap.c 'MIN_BLOCK == @'
check "$UH: HEAP_QUICK_BYTES" \
	"$(quote $UH '(\d+) bytes \(`HEAP_QUICK_BYTES`')" \
	-m32 mm/heap.h 'HEAP_QUICK_BYTES == @'
check "$UH: a quick block, header included" \
	"$(quote $UH 'freed block of at most (\d+) bytes \(header included')" \
	-m32 mm/heap.h 'HEAP_QUICK_BYTES == @'
check "$UH: the largest malloc whose block is quick (i386)" \
	"$(quote $UH '`malloc\((\d+)\)` or less')" -m32 mm/heap.c \
	'((@ + TAG_SIZE + ALIGN_MASK) & ~ALIGN_MASK) == HEAP_QUICK_BYTES &&
	 ((@ + 1 + TAG_SIZE + ALIGN_MASK) & ~ALIGN_MASK) > HEAP_QUICK_BYTES'
check "$UH: small_chunk" \
	"$(quote $UH 'at least (\d+) bytes, `small_chunk`')" \
	-m32 mm/heap.c 'DEFAULT_SMALL_CHUNK == @'
check "$UH: a small block is under" \
	"$(quote $UH '`small_chunk`, for a block under (\d+) bytes')" \
	-m32 mm/heap.c 'SMALL_BLOCK == @'
check "$UH: realloc_pad, KiB" \
	"$(quote $UH 'takes up to (\d+) KiB more, `realloc_pad`')" \
	-m32 mm/heap.c 'DEFAULT_REALLOC_PAD == @ * 1024'
check "$UH: trim threshold, KiB" \
	"$(quote $UH 'free top passes (\d+) KiB')" \
	-m32 mm/heap.c 'DEFAULT_TRIM_THRESHOLD == @ * 1024'
check "$UH: bytes kept after a trim, KiB" \
	"$(quote $UH 'KiB, keeping (\d+) KiB')" \
	-m32 mm/heap.c 'DEFAULT_TRIM_KEEP == @ * 1024'
check "$UH: the largest block, MiB less 8 bytes" \
	"$(quote $UH 'holds at most (\d+) MiB less \d+ bytes')" \
	-m32 mm/heap.h 'HEAP_MAX_BLOCK == ((size_t)@ << 20) - HEAP_ALIGN'
check "$UH: the stack's most, MiB" \
	"$(quote $UH 'stack \(grows down, <= (\d+) MiB\)')" \
	"-m32 $LAYOUT" mm/layout.h 'USER_STACK_MAX == @u << 20'
check "$UH: the guard gap, MiB" \
	"$(quote $UH 'guard gap \((\d+) MiB')" \
	"-m32 $LAYOUT" mm/layout.h 'USER_STACK_GUARD == @u << 20'
check "$L6: small_chunk" \
	"$(quote $L6 'for at least (\d+) bytes \(`small_chunk`')" \
	-m32 mm/heap.c 'DEFAULT_SMALL_CHUNK == @'
check "$L6: a small block is under" \
	"$(quote $L6 'a small block \(under (\d+) bytes\)')" \
	-m32 mm/heap.c 'SMALL_BLOCK == @'
check "$L6: realloc_pad, KiB" \
	"$(quote $L6 'up to `realloc_pad`, (\d+) KiB')" \
	-m32 mm/heap.c 'DEFAULT_REALLOC_PAD == @ * 1024'

# The drop-in library's thread cache (host, x86-64): its sizes are in
# tests/preload/tcache.c.
HB=docs/heap-benchmark.md
TC=tests/preload/tcache.c
check "$HB: the largest cached block, KiB" \
	"$(quote $HB 'Each thread caches blocks of up to (\d+) KiB')" \
	-m64 $TC 'TCACHE_MAX_BLOCK == @ * 1024'
check "$HB: blocks per bin" \
	"$(quote $HB 'A bin holds at most (\d+) blocks and')" \
	-m64 $TC 'TCACHE_BIN_BLOCKS == @'
check "$HB: bytes per bin, KiB" \
	"$(quote $HB 'A bin holds at most \d+ blocks and (\d+) KiB')" \
	-m64 $TC 'TCACHE_BIN_BYTES == @ * 1024'
check "$HB: a refill's bytes, KiB" \
	"$(quote $HB 'up to half the bin and (\d+) KiB')" \
	-m64 $TC 'TCACHE_CARVE_BYTES == @ * 1024'
check "$HB: cached blocks given back before growing: over, KiB" \
	"$(quote $HB 'this thread caches blocks over (\d+) KiB')" \
	-m64 $TC 'TCACHE_SMALL_BLOCK == @ * 1024'

# The address maps: on a line "0xADDRESS +----+  NAME ..." the address is
# NAME's (NAME: constants, sums of them, or several joined by " = ").
while IFS=$'\t' read -r file address names; do
	check "$file: $names" "$address" "-m32 $LAYOUT" mm/layout.h \
		"$(sed 's/ = /== @ \&\& /g; s/$/ == @/' <<<"$names")"
done < <(python3 - mm/layout.h docs/memory-layout.md <<'EOF'
import re, sys
name = r"[A-Z][A-Z0-9_]*(?: \+ [A-Z][A-Z0-9_]*)*"
for path in sys.argv[1:]:
    for line in open(path):
        m = re.match(r"[ */]*(0x[0-9A-Fa-f]{8}) +[+=][-=]+[+=] +(.*)", line)
        if not m:
            continue
        label = re.split(r"[:;(]", m.group(2))[0].strip()
        if re.fullmatch(name + r"(?: = " + name + r")*", label):
            print(path, m.group(1) + "u", label, sep="\t")
EOF
)

exit $failed
