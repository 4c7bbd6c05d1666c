#!/usr/bin/env python3
"""Writes the malformed executables in user/files/ that tests/bad_elf.c
spawns: each breaks one rule the ELF loader must check, and spawn must
answer -ENOEXEC. good_exit42 is the unbroken base they are made from (it
exits with status 42), so each bad file is wrong for its one reason.

Run by hand after changing it (the build does not run it):
    python3 user/make-fixtures.py
"""
import os
import struct

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "files")

LOAD_ADDR = 0x08048000
KERNEL_VMA = 0xC0000000
EHDR_SIZE = 52
PHDR_SIZE = 32
PT_LOAD = 1
PF_R, PF_W, PF_X = 4, 2, 1
ET_EXEC, ET_DYN = 2, 3
EM_386, EM_ARM = 3, 40

# exit(42): mov eax, SYS_EXIT (0); mov ebx, 42; int 0x80; jmp $
CODE = bytes.fromhex("b800000000" "bb2a000000" "cd80" "ebfe")


def ehdr(entry, phnum, phoff=EHDR_SIZE, ident_class=1, machine=EM_386,
         etype=ET_EXEC, magic=b"\x7fELF"):
    ident = magic + bytes([ident_class, 1, 1]) + bytes(9)
    return ident + struct.pack("<HHIIIIIHHHHHH", etype, machine, 1, entry,
                               phoff, 0, 0, EHDR_SIZE, PHDR_SIZE, phnum,
                               0, 0, 0)


def phdr(offset, vaddr, filesz, memsz, flags=PF_R | PF_X):
    return struct.pack("<IIIIIIII", PT_LOAD, offset, vaddr, vaddr, filesz,
                       memsz, flags, 0x1000)


def program(phdrs=None, entry=None, **header):
    """An executable with the given program headers (default: one segment
    holding the whole file at LOAD_ADDR) and the exit(42) code after them."""
    if phdrs is None:
        size = EHDR_SIZE + PHDR_SIZE + len(CODE)
        phdrs = [phdr(0, LOAD_ADDR, size, size)]
    code_offset = EHDR_SIZE + PHDR_SIZE * len(phdrs)
    if entry is None:
        entry = LOAD_ADDR + code_offset
    return ehdr(entry, len(phdrs), **header) + b"".join(phdrs) + CODE


def elf64():
    """A real 64-bit x86-64 header and program header."""
    size = 64 + 56 + len(CODE)
    ident = b"\x7fELF" + bytes([2, 1, 1]) + bytes(9)
    header = ident + struct.pack("<HHIQQQIHHHHHH", ET_EXEC, 62, 1,
                                 0x400000 + 120, 64, 0, 0, 64, 56, 1, 0, 0, 0)
    ph = struct.pack("<IIQQQQQQ", PT_LOAD, PF_R | PF_X, 0, 0x400000,
                     0x400000, size, size, 0x1000)
    return header + ph + CODE


def main():
    good = program()
    size = len(good)
    size2 = size + PHDR_SIZE  # with a second program header
    fixtures = {
        "good_exit42": good,
        "bad_magic": program(magic=b"\x7fELG"),
        "bad_class64": elf64(),
        "bad_machine": program(machine=EM_ARM),
        "bad_type_dyn": program(etype=ET_DYN),
        # The program header table starts past the end of the file ...
        "bad_phdrs_past_end": program(phoff=0x10000),
        # ... or so near 4 GiB that offset + size wraps around to 0.
        "bad_phdrs_wrap": program(phoff=0xFFFFFFF0),
        "bad_no_segments": program(phdrs=[], entry=LOAD_ADDR),
        "bad_kernel_segment": program(
            phdrs=[phdr(0, KERNEL_VMA, size, size)],
            entry=KERNEL_VMA + EHDR_SIZE + PHDR_SIZE),
        # Starts in user space, ends in the kernel.
        "bad_segment_into_kernel": program(
            phdrs=[phdr(0, LOAD_ADDR, size, KERNEL_VMA - LOAD_ADDR + 0x1000)]),
        # vaddr + memsz wraps around 4 GiB back into user space.
        "bad_segment_wrap": program(
            phdrs=[phdr(0, LOAD_ADDR, size, 0x100000000 - 0x1000)]),
        # [LOAD_ADDR, +0x2000) and [LOAD_ADDR + 0x1000, +size) overlap.
        "bad_overlap": program(phdrs=[
            phdr(0, LOAD_ADDR, size2, 0x2000),
            phdr(0, LOAD_ADDR + 0x1000, size2, size2, PF_R | PF_W)]),
        "bad_entry": program(entry=0x09000000),
        # The segment says it has more file bytes than the file holds.
        "bad_segment_past_eof": program(
            phdrs=[phdr(0, LOAD_ADDR, size + 0x1000, size + 0x1000)]),
        "bad_filesz_over_memsz": program(
            phdrs=[phdr(0, LOAD_ADDR, size, size - 8)]),
        "bad_truncated": good[:EHDR_SIZE - 12],
        "bad_empty": b"",
        "bad_text": b"#!/bin/sh\necho this is a text file, not a program\n",
    }
    os.makedirs(HERE, exist_ok=True)
    for name, data in fixtures.items():
        with open(os.path.join(HERE, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
