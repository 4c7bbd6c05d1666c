; The 256 interrupt entry stubs and their address table, generated here.
; Every stub makes the stack look the same (an error code, real or a zero
; dummy, then the vector number) and jumps to isr_common, which saves the
; registers into a struct trap_frame (kernel/arch/trap_frame.h) and calls
; trap_dispatch(frame) in kernel/trap.c.

extern trap_dispatch

; The vectors for which the CPU pushes an error code itself, listed once.
%macro HAS_ERROR_CODE 1
	%assign has_error 0
	%if %1 == 8 || %1 == 10 || %1 == 11 || %1 == 12 || %1 == 13
		%assign has_error 1
	%elif %1 == 14 || %1 == 17 || %1 == 21 || %1 == 29 || %1 == 30
		%assign has_error 1
	%endif
%endmacro

%macro ISR_STUB 1
isr_stub_%1:
	HAS_ERROR_CODE %1
	%if has_error == 0
	push dword 0                ; dummy error code
	%endif
	push dword %1               ; vector (dword: a byte push sign-extends)
	jmp isr_common
%endmacro

section .text
%assign vector 0
%rep 256
	ISR_STUB vector
%assign vector vector + 1
%endrep

isr_common:
	pusha                       ; eax ecx edx ebx esp ebp esi edi
	push ds
	push es
	push fs
	push gs
	mov ax, 0x10                ; kernel data selector (GDT_KERNEL_DATA)
	mov ds, ax
	mov es, ax
	mov fs, ax
	mov gs, ax
	cld                         ; the C ABI expects the direction flag clear
	push esp                    ; argument: struct trap_frame *
	call trap_dispatch
	add esp, 4
global trap_return
trap_return:
	pop gs
	pop fs
	pop es
	pop ds
	popa
	add esp, 8                  ; vector and error code
	iret

section .rodata
global isr_stub_table
isr_stub_table:
%assign vector 0
%rep 256
	dd isr_stub_ %+ vector
%assign vector vector + 1
%endrep
