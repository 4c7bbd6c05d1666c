#!/bin/sh
# heap-preload.sh - TAP suite: real programs run with mm/heap.c as their
# malloc (LD_PRELOAD=build/host/libheapmalloc.so) and print exactly what
# they print with the C library's malloc.
# Run from the repository root (make check does).
set -u
lib=$(pwd)/${HEAPMALLOC:-build/host/libheapmalloc.so}
work=build/host/preload-work
n=0
status=0

if [ ! -f "$lib" ]; then
	echo "not ok 1 - heapmalloc: $lib is missing # build it with make"
	exit 1
fi
rm -rf "$work"
mkdir -p "$work"

# check NAME COMMAND...: runs COMMAND twice, the second time over the
# project's malloc, and compares standard output and exit status.
check() {
	name=$1
	shift
	n=$((n + 1))
	"$@" >"$work/$n.want" 2>"$work/$n.want-err"
	want=$?
	LD_PRELOAD=$lib "$@" >"$work/$n.got" 2>"$work/$n.got-err"
	got=$?
	if [ "$want" -ne "$got" ]; then
		echo "not ok $n - $name # exit status $got, expected $want"
		sed 's/^/# /' "$work/$n.got-err" | head -n 5
		status=1
	elif ! cmp -s "$work/$n.want" "$work/$n.got"; then
		echo "not ok $n - $name # output differs: diff $work/$n.want $work/$n.got"
		status=1
	else
		echo "ok $n - $name ($(wc -c <"$work/$n.got") bytes of output agree)"
	fi
}

echo "1..5"

# python3: dictionaries, strings, lists, json, sorting, threads.
cat >"$work/work.py" <<'PY'
import json, threading, collections
words = collections.Counter()
for i in range(200000):
    words["w%d" % (i * 7919 % 5003)] += i % 13
table = {k: [v, str(v) * (v % 7)] for k, v in words.items()}
text = json.dumps(table, sort_keys=True)
out = []
def worker(k):
    out.append(sum(len(s) for s in text.split(",")[k::4]))
threads = [threading.Thread(target=worker, args=(k,)) for k in range(4)]
for t in threads: t.start()
for t in threads: t.join()
print(len(text), sorted(out), sorted(words.values())[-5:])
PY
check "python3 running a script (dicts, json, threads)" \
	python3 "$work/work.py"

# gcc: compile a generated C file to assembly (cc1 allocates a lot).
awk 'BEGIN {
	print "#include <stdio.h>";
	for (i = 0; i < 400; i++)
		printf "__attribute__((noinline)) int f%d(int x) { return x * %d + (x >> %d); }\n",
		       i, i, i % 7;
	print "int main(void) { int s = 0;";
	for (i = 0; i < 400; i++)
		printf "s += f%d(%d);\n", i, i;
	print "printf(\"%d\\n\", s); return 0; }";
}' >"$work/big.c"
check "gcc -O2 compiling a 400-function file" \
	gcc -O2 -S -o - "$work/big.c"

# sort: a large generated file.
awk 'BEGIN { srand(7); for (i = 0; i < 300000; i++)
	printf "%08d %s\n", int(rand() * 1e8), substr("abcdefghij", 1 + i % 10) }' \
	>"$work/lines.txt"
check "sort on a 300000-line file" sort "$work/lines.txt"

# The C functions one by one, from a small program.
cat >"$work/api.c" <<'C'
#define _GNU_SOURCE
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
int main(void)
{
	void *p = NULL;
	char *s = calloc(100, 10);
	int zero = 1, i;
	for (i = 0; i < 1000; i++) zero &= s[i] == 0;
	s = realloc(s, 100000);
	printf("calloc zero %d, realloc kept %d\n", zero, s[999] == 0);
	printf("posix_memalign %d aligned %d\n", posix_memalign(&p, 4096, 100),
	       (int)((uintptr_t)p % 4096));
	printf("aligned_alloc %d\n", (int)((uintptr_t)aligned_alloc(256, 512) % 256));
	printf("memalign %d\n", (int)((uintptr_t)memalign(64, 10) % 64));
	printf("usable >= asked %d\n", malloc_usable_size(s) >= 100000);
	printf("huge fails %d\n", malloc(SIZE_MAX - 100) == NULL);
	free(p); free(s); free(NULL);
	return 0;
}
C
if gcc -O1 -o "$work/api" "$work/api.c" 2>"$work/api.err"; then
	check "calloc, realloc, posix_memalign, aligned_alloc, memalign, malloc_usable_size" \
		"$work/api"
else
	n=$((n + 1))
	echo "not ok $n - API program did not compile # see $work/api.err"
	status=1
fi

# Proof that the library really is in use: its double-free report.
n=$((n + 1))
cat >"$work/df.c" <<'C'
#include <stdlib.h>
int main(void) { char *p = malloc(40); char *q = malloc(40); free(p); free(p); free(q); return 0; }
C
gcc -O0 -o "$work/df" "$work/df.c"
LD_PRELOAD=$lib "$work/df" 2>"$work/df.err"
if grep -q "heapmalloc: double free in free" "$work/df.err"; then
	echo "ok $n - a double free is reported by heapmalloc and stops the program"
else
	echo "not ok $n - no heapmalloc report for a double free # see $work/df.err"
	status=1
fi
exit $status
