; The first instructions: GRUB jumps to _start (at its physical address)
; with paging off.
; We build the kernel's page directory, map the kernel both where it is
; (identity, so the next instruction still exists) and in the higher half,
; turn paging on, jump up, drop the identity mapping and call kmain.
;
; Until paging is on, every address of a symbol must be made physical by
; subtracting KERNEL_VMA: the linker placed the symbols in the higher half.

PTE_PRESENT   equ 0x001
PTE_WRITABLE  equ 0x002
CR0_WP        equ 1 << 16     ; the kernel too must respect read-only pages
CR0_PG        equ 1 << 31     ; paging on
KERNEL_PDE    equ KERNEL_VMA >> 22
BOOT_STACK_SIZE equ 16 * 1024

extern kernel_page_directory    ; mm/vmm.c: 1024 PDEs, page aligned
extern kernel_page_tables       ; mm/vmm.c: the 256 tables of the higher half
extern _kernel_end              ; link.ld
extern kmain                    ; kernel/main.c

global _start:function
global boot_stack_top

section .text
_start:
	cli
	mov esi, eax                ; multiboot magic, for kmain
	mov edi, ebx                ; physical address of the multiboot info

	; 1. Page tables: PTE i maps physical page i, for every page from
	;    address 0 up to the end of the kernel image (bss included). The
	;    256 kernel tables sit one after the other, so they form one array.
	mov ebx, kernel_page_tables - KERNEL_VMA
	mov ecx, _kernel_end - KERNEL_VMA
	shr ecx, 12                 ; number of pages to map
	xor eax, eax                ; page index
.fill_pte:
	mov edx, eax
	shl edx, 12
	or edx, PTE_PRESENT | PTE_WRITABLE
	mov [ebx + eax * 4], edx
	inc eax
	cmp eax, ecx
	jb .fill_pte

	; 2. The page directory: entries 768..1023 (the higher half) point to
	;    the 256 kernel tables, all of them, now and forever: every address
	;    space made later copies these entries and so shares the tables.
	mov edx, kernel_page_directory - KERNEL_VMA
	mov eax, ebx                ; physical address of table 0
	or eax, PTE_PRESENT | PTE_WRITABLE
	mov ecx, KERNEL_PDE
.fill_pde:
	mov [edx + ecx * 4], eax
	add eax, 4096
	inc ecx
	cmp ecx, 1024
	jb .fill_pde

	; 3. The identity mapping: the low entries point to the same first
	;    tables, just long enough to survive the switch. Count the 4 MiB
	;    blocks the image covers and keep it in ebp for step 5.
	mov ebp, _kernel_end - KERNEL_VMA
	add ebp, (1 << 22) - 1
	shr ebp, 22
	xor ecx, ecx
.fill_identity:
	mov eax, [edx + (KERNEL_PDE + ecx) * 4]
	mov [edx + ecx * 4], eax
	inc ecx
	cmp ecx, ebp
	jb .fill_identity

	; 4. Paging on, write protection on.
	mov cr3, edx
	mov eax, cr0
	or eax, CR0_PG | CR0_WP
	mov cr0, eax

	; An absolute jump to the higher-half address of the next label.
	lea eax, [higher_half]
	jmp eax

higher_half:
	; 5. Remove the identity mapping, then reload CR3 to flush the TLB.
	xor ecx, ecx
.clear_identity:
	mov dword [kernel_page_directory + ecx * 4], 0
	inc ecx
	cmp ecx, ebp
	jb .clear_identity
	mov eax, cr3
	mov cr3, eax

	mov esp, boot_stack_top
	xor ebp, ebp                ; the end of every backtrace
	push edi                    ; multiboot info (physical)
	push esi                    ; multiboot magic
	call kmain
.hang:
	cli
	hlt
	jmp .hang

section .bss
align 16
boot_stack_bottom:
	resb BOOT_STACK_SIZE
boot_stack_top:
