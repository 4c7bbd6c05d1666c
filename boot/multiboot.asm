; The multiboot (version 1) header: how GRUB recognises and loads the kernel.
; It must lie in the first 8 KiB of the file; link.ld puts .multiboot first.

MB_MAGIC        equ 0x1BADB002
MB_PAGE_ALIGN   equ 1 << 0          ; load modules on page boundaries
MB_MEMORY_INFO  equ 1 << 1          ; give us the memory map
MB_FLAGS        equ MB_PAGE_ALIGN | MB_MEMORY_INFO

section .multiboot
align 4
	dd MB_MAGIC
	dd MB_FLAGS
	dd -(MB_MAGIC + MB_FLAGS)   ; checksum: the three add up to 0
