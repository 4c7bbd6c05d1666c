# gdb settings for this repo: `make gdb` in one terminal, `gdb` in another.
# gdb reads this file only if ~/.gdbinit allows it; if gdb says so, add
#   add-auto-load-safe-path /path/to/this/repo/.gdbinit
# to ~/.gdbinit, or start gdb as: gdb -x .gdbinit
set architecture i386
file build/kernel.elf
target remote localhost:1234
break kmain
echo \nStopped before the BIOS. 'continue' runs to kmain.\n
