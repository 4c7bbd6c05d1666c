; ksetjmp saves the registers a C function must preserve, the stack
; pointer, the return address and EFLAGS (so the interrupt flag comes back
; too); klongjmp restores them and returns from ksetjmp a second time.
; The layout is struct kjmp_buf in setjmp.h.

section .text
global ksetjmp
ksetjmp:
	mov eax, [esp + 4]          ; buf
	mov [eax + 0], ebx
	mov [eax + 4], esi
	mov [eax + 8], edi
	mov [eax + 12], ebp
	lea ecx, [esp + 4]          ; esp as it will be after our ret
	mov [eax + 16], ecx
	mov ecx, [esp]              ; return address
	mov [eax + 20], ecx
	pushf
	pop ecx
	mov [eax + 24], ecx
	xor eax, eax
	ret

global klongjmp
klongjmp:
	mov edx, [esp + 4]          ; buf
	mov eax, [esp + 8]          ; value
	test eax, eax
	jnz .nonzero
	inc eax                     ; longjmp(buf, 0) returns 1, as in C
.nonzero:
	mov ebx, [edx + 0]
	mov esi, [edx + 4]
	mov edi, [edx + 8]
	mov ebp, [edx + 12]
	mov esp, [edx + 16]
	push dword [edx + 24]
	popf
	jmp [edx + 20]
