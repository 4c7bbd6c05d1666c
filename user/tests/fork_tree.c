/*
 * Fork trees: each process forks children that fork children, three
 * levels deep, writing its own pattern into heap, data, bss and stack
 * pages shared with its parent, and checking that it sees only its own
 * writes and its parent's writes from before the fork. Some children
 * exit before their parent writes, some after; some parents exit before
 * their children (orphans). After many rounds every frame, every byte of
 * the kernel heap and every process is back.
 */
// test-timeout: 120
// test-vm: eager lazy
#include <memos.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

#define ROUNDS 8
#define DEPTH 3
#define FANOUT 2

static int data_word = 1;
static int bss_word;
static int *heap_word;

/* Everything a process checks that it sees: the value it wrote last. */
static void set_all(int value, volatile int *stack_word)
{
	data_word = value;
	bss_word = value;
	*heap_word = value;
	*stack_word = value;
}

static void expect_all(int value, volatile int *stack_word)
{
	CHECK_EQ(data_word, value);
	CHECK_EQ(bss_word, value);
	CHECK_EQ(*heap_word, value);
	CHECK_EQ(*stack_word, value);
}

/* A process at depth d with value v: its children get 10 * v + i. */
static void grow(int depth, int value, bool orphan_children)
{
	volatile int stack_word;

	set_all(value, &stack_word);
	for (int i = 1; i <= FANOUT && depth < DEPTH; i++) {
		pid_t pid = fork();
		CHECK(pid >= 0);
		if (pid == 0) {
			expect_all(value,
			           &stack_word); /* the parent's, before */
			grow(depth + 1, value * 10 + i, i == FANOUT);
			exit(0);
		}
		if (!orphan_children) {
			int status;
			if (i == 1) /* this one ends before we write again */
				CHECK_EQ(waitpid(pid, &status, 0), pid);
			set_all(value, &stack_word);
			if (i != 1)
				CHECK_EQ(waitpid(pid, &status, 0), pid);
			CHECK_EXITED(status, 0);
		}
		expect_all(value, &stack_word);
	}
	/* Orphans' children are reaped by the kernel when they end. */
}

/* The counters once only `processes` processes are left (orphans end on
 * their own; they are given up to 5 s). */
static struct meminfo info(uint32_t processes)
{
	struct meminfo m;

	for (int waited = 0; waited < 5000; waited += 50) {
		sleep_ms(50);
		CHECK_EQ(meminfo(&m), 0);
		if (m.process_count <= processes)
			break;
	}
	sleep_ms(50); /* and for the kernel to free the last one */
	CHECK_EQ(meminfo(&m), 0);
	return m;
}

int main(void)
{
	heap_word = sbrk(PAGE_SIZE);
	CHECK(heap_word != (void *)-1);

	struct meminfo start;
	CHECK_EQ(meminfo(&start), 0);
	grow(0, 1, false); /* one warm-up round: the kernel heap grows */
	struct meminfo before = info(start.process_count);
	for (int round = 0; round < ROUNDS; round++)
		grow(0, round + 2, false);
	struct meminfo after = info(before.process_count);
	/* The kernel heap keeps some free memory for the next processes
	 * (up to its trim threshold), more after a bigger crowd: frames it
	 * holds as free bytes are not lost. */
	CHECK_EQ(after.kheap_used_bytes, before.kheap_used_bytes);
	/* (a page the kernel heap keeps partly free counts too) */
	uint32_t kept = (after.kheap_free_bytes - before.kheap_free_bytes +
	                 PAGE_SIZE - 1) /
	                PAGE_SIZE;
	if (after.kheap_free_bytes < before.kheap_free_bytes)
		kept = 0;
	if (after.free_frames + kept < before.free_frames)
		check_fail(__FILE__, __LINE__,
		           "%u frames were lost in %d rounds of fork trees "
		           "(free frames %u, were %u; the kernel heap keeps "
		           "%u more free pages)",
		           (unsigned)(before.free_frames - after.free_frames -
		                      kept),
		           ROUNDS, (unsigned)after.free_frames,
		           (unsigned)before.free_frames, (unsigned)kept);
	CHECK_EQ(after.process_count, before.process_count);
	return 0;
}
