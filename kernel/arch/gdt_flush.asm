; gdt_flush(ptr, code_selector, data_selector, tss_selector): load the GDT,
; then reload every segment register so the CPU uses the new descriptors.
; CS can only be changed by a far jump (here: a far return).

section .text
global gdt_flush
gdt_flush:
	mov eax, [esp + 4]
	lgdt [eax]
	mov eax, [esp + 12]         ; data selector
	mov ds, ax
	mov es, ax
	mov fs, ax
	mov gs, ax
	mov ss, ax
	mov eax, [esp + 16]         ; TSS selector
	ltr ax
	pop ecx                     ; our return address
	push dword [esp + 4]        ; code selector (was at esp + 8)
	push ecx
	retf                        ; pops eip, then cs
