; switch_context(uint32_t *save_esp, uint32_t new_esp): the heart of the
; scheduler. Saves the registers a C function must keep (ebp, ebx, esi,
; edi) on the current kernel stack, stores the stack pointer in *save_esp,
; loads new_esp and pops the other task's registers, then `ret` returns
; into whatever that task was doing when it called switch_context (or, for
; a new task, into the start address placed on its fresh stack).
;
;   a switched-out stack:   [edi][esi][ebx][ebp][return address] ...
;                           ^ saved esp

section .text
global switch_context
switch_context:
	mov eax, [esp + 4]          ; save_esp
	mov edx, [esp + 8]          ; new_esp
	push ebp
	push ebx
	push esi
	push edi
	mov [eax], esp
	mov esp, edx
	pop edi
	pop esi
	pop ebx
	pop ebp
	ret
