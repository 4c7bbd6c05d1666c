# tap.sh - sourced by the TAP suites written in sh: numbered result lines.
# After `. tests/tap.sh`: report OK NAME [DETAIL] prints "ok N - NAME" when
# OK is 0, else "not ok N - NAME # DETAIL" and sets status to 1;
# skip NAME WHY prints "ok N - NAME # SKIP WHY" (neither a pass nor a
# failure: tests/tap-count.sh counts it apart). Exit with $status.
n=0
status=0

report() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2 # ${3:-}"
		status=1
	fi
}

skip() {
	n=$((n + 1))
	echo "ok $n - $1 # SKIP $2"
}
