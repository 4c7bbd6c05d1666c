# gdb settings for this repo: `make gdb` in one terminal, `gdb` in another.
# gdb reads this file only if ~/.gdbinit allows it; if gdb says so, add
#   add-auto-load-safe-path /path/to/this/repo/.gdbinit
# to ~/.gdbinit, or start gdb as: gdb -x .gdbinit
# docs/gdb.md has a first session and the helpers (memos-ps, memos-pt,
# memos-heap, memos-regions, memos-user) that tools/memos-gdb.py adds.
set architecture i386
file build/kernel.elf
source tools/memos-gdb.py
target remote localhost:1234
break kmain
echo \nStopped before the BIOS. 'continue' runs to kmain.\n
echo Helpers: memos-ps, memos-pt [ADDR], memos-heap, memos-regions [PID], memos-user NAME (help memos-pt, ...)\n
