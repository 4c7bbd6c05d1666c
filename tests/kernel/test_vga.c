/* The VGA text driver: what it writes lands in screen memory, the screen
 * scrolls when full, and the hardware cursor follows the text. */
#include "drivers/vga.h"
#include "tests/kernel/ktest.h"
#include "tests/kernel/tests.h"

static void put(const char *s)
{
	while (*s)
		vga_putc(*s++);
}

void test_vga_scrolls_and_moves_cursor(void)
{
	int row, col;

	/* 30 numbered lines on a 25-line screen: the first ones scroll off. */
	for (char c = 'A'; c < 'A' + 30; c++) {
		char line[] = {'v', 'g', 'a', ' ', c, '\n', '\0'};
		put(line);
	}
	put("tail");
	/* The bottom line holds "tail", the one above it the last number. */
	KT_ASSERT_EQ(vga_char_at(24, 0), 't');
	KT_ASSERT_EQ(vga_char_at(24, 3), 'l');
	KT_ASSERT_EQ(vga_char_at(23, 4), 'A' + 29);
	/* 30 lines + "tail" on 25 rows: row 0 shows line number 6 (G). */
	KT_ASSERT_EQ(vga_char_at(0, 4), 'A' + 6);
	vga_cursor(&row, &col);
	KT_ASSERT_EQ(row, 24);
	KT_ASSERT_EQ(col, 4);
	put("\b");
	vga_cursor(&row, &col);
	KT_ASSERT_EQ(col, 3);
	KT_ASSERT_EQ(vga_char_at(24, 3), ' ');
	put("\n");
}
