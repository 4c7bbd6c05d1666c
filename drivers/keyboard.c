/*
 * PS/2 keyboard driver. The controller raises IRQ 1 and gives one byte per
 * key event at port 0x60: a scancode (set 1), with bit 7 set on release.
 * We track Shift and Ctrl and turn presses into ASCII with a US layout
 * table; Ctrl with a letter gives its control character (Ctrl+C: 0x03),
 * as a terminal sends it.
 */
#include "drivers/keyboard.h"

#include <stdbool.h>
#include <stdint.h>

#include "drivers/pic.h"
#include "kernel/arch/io.h"
#include "kernel/irq.h"

#define KBD_DATA 0x60
#define KBD_STATUS 0x64
#define KBD_OUTPUT_FULL 0x01
#define KBD_IRQ 1
#define RELEASED 0x80
#define LEFT_SHIFT 0x2A
#define RIGHT_SHIFT 0x36
#define LEFT_CTRL 0x1D /* the right one sends 0xE0 first, then the same */

/* Scancode set 1 -> character, without and with Shift. 0: no character. */
static const char normal[128] = {
        0,   27,  '1',  '2',  '3',  '4', '5', '6',  '7', '8', '9', '0',
        '-', '=', '\b', '\t', 'q',  'w', 'e', 'r',  't', 'y', 'u', 'i',
        'o', 'p', '[',  ']',  '\n', 0,   'a', 's',  'd', 'f', 'g', 'h',
        'j', 'k', 'l',  ';',  '\'', '`', 0,   '\\', 'z', 'x', 'c', 'v',
        'b', 'n', 'm',  ',',  '.',  '/', 0,   '*',  0,   ' ',
};
static const char shifted[128] = {
        0,   27,  '!',  '@',  '#',  '$', '%', '^', '&', '*', '(', ')',
        '_', '+', '\b', '\t', 'Q',  'W', 'E', 'R', 'T', 'Y', 'U', 'I',
        'O', 'P', '{',  '}',  '\n', 0,   'A', 'S', 'D', 'F', 'G', 'H',
        'J', 'K', 'L',  ':',  '"',  '~', 0,   '|', 'Z', 'X', 'C', 'V',
        'B', 'N', 'M',  '<',  '>',  '?', 0,   '*', 0,   ' ',
};

static void (*char_callback)(char c);
static bool shift_down;
static bool ctrl_down;

static void on_keyboard_irq(struct trap_frame *frame)
{
	(void)frame;
	while (inb(KBD_STATUS) & KBD_OUTPUT_FULL) {
		uint8_t code = inb(KBD_DATA);
		uint8_t key = code & ~RELEASED;

		if (key == LEFT_SHIFT || key == RIGHT_SHIFT) {
			shift_down = !(code & RELEASED);
			continue;
		}
		if (key == LEFT_CTRL) {
			ctrl_down = !(code & RELEASED);
			continue;
		}
		if (code & RELEASED)
			continue;
		char c = shift_down ? shifted[key] : normal[key];
		if (ctrl_down && c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 1);
		else if (ctrl_down && c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 1);
		if (c && char_callback)
			char_callback(c);
	}
}

void keyboard_init(void (*on_char)(char c))
{
	char_callback = on_char;
	irq_set_handler(KBD_IRQ, on_keyboard_irq);
	pic_unmask(KBD_IRQ);
}
