# The second scripted gdb session of docs/gdb.md, on a kernel whose init is
# the shell (build/os-shell.iso). tests/run-gdb-session.sh types on the
# shell's console, each line once the prompt shows: "args one two",
# "hello", "faulter null-read". args and hello link main at the
# same address: memos-user's breakpoint must pass args by and stop in hello.
# Then faulter's two loads in read_null, each a page fault: the first is
# served (its data page is loaded on demand) and retried, the second kills.
set pagination off
set confirm off
set trace-commands on
continue
echo == memos-user hello\n
memos-user hello
continue
echo == stopped in hello\n
print argv[0]
echo == memos-user faulter\n
memos-user faulter
continue
echo == in faulter's main\n
print argv[1]
break read_null
echo == in read_null\n
continue
x/2i $pc
break user_fault
echo == first user_fault\n
continue
print/x f->eip
backtrace
echo == read_null again\n
continue
echo == second user_fault\n
continue
print/x f->eip
break process_exit
echo == in process_exit\n
continue
echo == end of the session\n
