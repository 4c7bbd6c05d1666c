/* COM1, the serial port: the console of `make run` and of every test. */
#ifndef DRIVERS_SERIAL_H
#define DRIVERS_SERIAL_H

#include <stdbool.h>

void serial_init(void);
void serial_putc(char c);
/* Waits until every character written has left the UART. */
void serial_flush(void);
/* A character from the line, or -1 when none is waiting. */
int serial_getc_nowait(void);
/* Calls on_char for every character received (from the IRQ handler). */
void serial_enable_input(void (*on_char)(char c));

#endif
