# The scripted gdb session of docs/gdb.md (tests/run-gdb-session.sh runs
# it with gdb -batch after connecting to QEMU): every helper of
# tools/memos-gdb.py on a kernel booted with init=hello. gdb echoes each
# command ("+memos-ps"), so the log reads as the session a student types;
# docs/gdb.md quotes it section by section (tools/doc-quotes): each block
# there is what follows one "echo == NAME" here.
set pagination off
set confirm off
set trace-commands on
# .gdbinit stopped before the BIOS, with a breakpoint at kmain.
continue
echo == memos-pt 0xc0100000\n
memos-pt 0xc0100000
echo == backtrace from the first timer tick\n
break on_tick
continue
backtrace
delete $bpnum
echo == memos-heap\n
break run_init
continue
memos-heap
echo == memos-heap after an overrun\n
set $tag = (unsigned *)'mm/kheap.c'::kernel_heap.first
set $saved = *$tag
set *$tag = 0x41414141
memos-heap
set *$tag = $saved
echo == memos-ps at run_init\n
memos-ps
echo == memos-user hello\n
memos-user hello
continue
print argc
print argv[0]
echo == memos-heap in hello\n
memos-heap
echo == memos-ps in hello\n
memos-ps
echo == memos-regions\n
memos-regions
echo == memos-pt 0x08048000\n
memos-pt 0x08048000
echo == memos-pt\n
memos-pt
echo == monitor info mem\n
monitor info mem
echo == end of the session\n
