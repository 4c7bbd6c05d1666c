# labs/labs.mk - the course labs (docs/labs/): the lab 4 heap tests on the
# host, `make grade LAB=N`, `make lab-start LAB=N`, and the check that every
# grader gives the reference full marks and the untouched skeleton few.
# Included by the Makefile.

# Lab 4's allocators (labs/4/heap/), tested on the host like tests/host/.
HOST_TESTS += lab4_bump lab4_heap
lab4_bump_SRCS := \
	labs/4/tests/test_bump.c \
	labs/4/heap/bump.c
lab4_heap_SRCS := \
	labs/4/tests/test_lheap.c \
	labs/4/heap/lheap.c

# Graders: reference full marks, skeleton low (tools/lab-check-graders.sh).
TEST_SUITES += tools/lab-check-graders.sh
# The instructor's grading: pristine mode, a class, Gradescope and JUnit
# results (docs/labs/instructors.md).
TEST_SUITES += tests/test-grading.sh

.PHONY: grade lab-start grade-pristine autograder-zip
# `make grade LAB=N`: runs the tests of labs/N/grade.txt, prints the score.
grade:
	@tools/lab-grade.sh $(LAB)

# `make lab-start LAB=N`: a new branch lab-N with lab N's skeletons.
lab-start:
	@tools/lab-start.sh $(LAB)

# `make grade-pristine LAB=N SUBMISSION=path`: the instructor's grade of a
# submission: this tree's tests and graders, only the lab's files from it.
grade-pristine:
	@tools/lab-grade-pristine.sh $(LAB) $(SUBMISSION)

# `make autograder-zip LAB=N [PRIVATE=folder]`: Gradescope's autograder.
autograder-zip:
	@tools/autograder-zip.sh $(LAB) $(PRIVATE)
