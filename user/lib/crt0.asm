; crt0: where every user program starts. The kernel enters _start with
; esp pointing at argc, then the argv pointer; this calls main(argc, argv)
; and passes what main returns to exit().
;
;   esp + 4:  argv  --> [argv[0], argv[1], ..., NULL]
;   esp + 0:  argc

global _start
extern main
extern exit

section .text
_start:
	xor ebp, ebp		; the outermost frame: backtraces stop here
	pop eax			; argc
	pop ecx			; argv
	and esp, -16		; the i386 ABI wants 16-byte alignment at a call
	sub esp, 8
	push ecx
	push eax
	call main
	mov [esp], eax		; main's result becomes exit's argument
	call exit		; never returns
