/* The VGA text screen: 80x25 characters, scrolls, with a hardware cursor. */
#ifndef DRIVERS_VGA_H
#define DRIVERS_VGA_H

void vga_init(void);
void vga_putc(char c);

#endif
