/* The VGA text screen: 80x25 characters, scrolls, with a hardware cursor. */
#ifndef DRIVERS_VGA_H
#define DRIVERS_VGA_H

void vga_init(void);
void vga_putc(char c);
/* What the screen shows at (row, col), and where the hardware cursor is
 * (read back from the VGA controller). */
char vga_char_at(int row, int col);
void vga_cursor(int *row, int *col);

#endif
