/* The PS/2 keyboard: key presses become characters (US layout). */
#ifndef DRIVERS_KEYBOARD_H
#define DRIVERS_KEYBOARD_H

/* Calls on_char for every character typed (from the IRQ handler). */
void keyboard_init(void (*on_char)(char c));

#endif
