/*
 * The console: output goes to the serial port and the VGA screen; input
 * comes from the serial port and the PS/2 keyboard, a line at a time,
 * echoed, with backspace.
 */
#ifndef KERNEL_CONSOLE_H
#define KERNEL_CONSOLE_H

#include <stddef.h>

/* Starts taking input from the serial port and the keyboard. */
void console_init(void);

/* A character typed on either input (called from interrupt handlers). */
void console_input_char(char c);

/* Blocks until a whole line has been typed, then copies at most len bytes
 * of it (a line ends with '\n'); what does not fit stays for the next
 * read. Returns the number of bytes copied. */
size_t console_read(char *buf, size_t len);

void console_write(const char *buf, size_t len);

#endif
