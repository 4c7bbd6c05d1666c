/*
 * Console input, line by line. Characters arrive in interrupt handlers
 * and are edited in `line` (echoed; backspace erases) until Enter, which
 * moves the line into the `ready` ring buffer and wakes any reader.
 *
 *   keyboard / serial IRQ -> console_input_char -> line -> ready -> read()
 *
 * Ctrl-C (the byte 0x03, from a terminal on the serial line or the
 * keyboard's Ctrl+C) throws the line away and ends the foreground process
 * group with SIGINT (kernel/signal.c; the shell names that group with
 * tcsetpgrp for each program it runs).
 */
#include "kernel/console.h"

#include <stdbool.h>

#include "drivers/keyboard.h"
#include "drivers/serial.h"
#include "kernel/arch/cpu.h"
#include "kernel/kprintf.h"
#include "kernel/sched.h"
#include "kernel/signal.h"

#define LINE_MAX 256
#define CTRL_C 0x03
#define READY_SIZE 1024

static char line[LINE_MAX];
static size_t line_len;

static char ready[READY_SIZE]; /* ring buffer of finished lines */
static size_t ready_head, ready_count;

static void echo(const char *s)
{
	kputs(s);
}

void console_input_char(char c)
{
	if (c == CTRL_C) {
		echo("^C\n");
		line_len = 0;
		signal_interrupt_foreground();
	} else if (c == '\r' || c == '\n') {
		echo("\n");
		/* The line and its '\n' move to `ready`, as much as fits. */
		line[line_len++] = '\n';
		for (size_t i = 0; i < line_len && ready_count < READY_SIZE;
		     i++) {
			ready[(ready_head + ready_count) % READY_SIZE] =
			        line[i];
			ready_count++;
		}
		line_len = 0;
		sched_wakeup(ready);
	} else if (c == '\b' || c == 0x7F) {
		if (line_len > 0) {
			line_len--;
			echo("\b \b");
		}
	} else if ((c >= ' ' && c < 0x7F) || c == '\t') {
		if (line_len < LINE_MAX - 1) { /* room for the '\n' */
			char s[2] = {c, '\0'};
			line[line_len++] = c;
			echo(s);
		}
	}
}

size_t console_read(char *buf, size_t len)
{
	bool irq = irq_save();
	size_t n = 0;

	while (ready_count == 0)
		sched_sleep_on(ready);
	while (n < len && ready_count > 0) {
		char c = ready[ready_head];
		ready_head = (ready_head + 1) % READY_SIZE;
		ready_count--;
		buf[n++] = c;
		if (c == '\n')
			break;
	}
	irq_restore(irq);
	return n;
}

void console_write(const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		char s[2] = {buf[i], '\0'};
		kputs(s);
	}
}

void console_init(void)
{
	serial_enable_input(console_input_char);
	keyboard_init(console_input_char);
}
