/*
 * VGA text mode driver. The screen is an array of 80x25 16-bit cells at
 * physical 0xB8000 (low byte: character, high byte: colour). The boot
 * mapping makes it visible at phys_to_virt(0xB8000).
 */
#include "drivers/vga.h"

#include <stdint.h>

#include "kernel/arch/io.h"
#include "mm/paging.h"

#define VGA_TEXT_PHYS 0xB8000u
#define VGA_COLS 80
#define VGA_ROWS 25
#define VGA_COLOUR 0x07 /* light grey on black */
#define TAB_WIDTH 8

#define CRTC_INDEX 0x3D4
#define CRTC_DATA 0x3D5
#define CRTC_CURSOR_HI 0x0E
#define CRTC_CURSOR_LO 0x0F

static volatile uint16_t *screen;
static int row, col;

static uint16_t cell(char c)
{
	return (uint16_t)((VGA_COLOUR << 8) | (uint8_t)c);
}

static void move_cursor(void)
{
	uint16_t pos = (uint16_t)(row * VGA_COLS + col);

	outb(CRTC_INDEX, CRTC_CURSOR_HI);
	outb(CRTC_DATA, (uint8_t)(pos >> 8));
	outb(CRTC_INDEX, CRTC_CURSOR_LO);
	outb(CRTC_DATA, (uint8_t)pos);
}

/* Move every line up by one and blank the last. */
static void scroll(void)
{
	for (int i = 0; i < (VGA_ROWS - 1) * VGA_COLS; i++)
		screen[i] = screen[i + VGA_COLS];
	for (int i = 0; i < VGA_COLS; i++)
		screen[(VGA_ROWS - 1) * VGA_COLS + i] = cell(' ');
	row = VGA_ROWS - 1;
}

void vga_init(void)
{
	screen = phys_to_virt(VGA_TEXT_PHYS);
	for (int i = 0; i < VGA_ROWS * VGA_COLS; i++)
		screen[i] = cell(' ');
	row = col = 0;
	move_cursor();
}

void vga_putc(char c)
{
	if (!screen)
		return;
	switch (c) {
	case '\n':
		col = 0;
		row++;
		break;
	case '\r':
		col = 0;
		break;
	case '\b':
		if (col > 0)
			screen[row * VGA_COLS + --col] = cell(' ');
		break;
	case '\t':
		col = (col + TAB_WIDTH) & ~(TAB_WIDTH - 1);
		break;
	default:
		screen[row * VGA_COLS + col++] = cell(c);
		break;
	}
	if (col >= VGA_COLS) {
		col = 0;
		row++;
	}
	if (row >= VGA_ROWS)
		scroll();
	move_cursor();
}

char vga_char_at(int row, int col)
{
	return (char)(screen[row * VGA_COLS + col] & 0xFF);
}

void vga_cursor(int *cursor_row, int *cursor_col)
{
	outb(CRTC_INDEX, CRTC_CURSOR_HI);
	uint16_t pos = (uint16_t)(inb(CRTC_DATA) << 8);
	outb(CRTC_INDEX, CRTC_CURSOR_LO);
	pos |= inb(CRTC_DATA);
	*cursor_row = pos / VGA_COLS;
	*cursor_col = pos % VGA_COLS;
}
