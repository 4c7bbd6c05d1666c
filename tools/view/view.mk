# tools/view/view.mk - the memory viewer (docs/view.md): `make view` boots
# memos as `make run` does and serves a live page of its memory; its tests
# (the decoder on saved snapshots, the page in headless Chromium).
# Included by the Makefile.

# Debian's python3, which sees python3-pyelftools and python3-selenium
# (a python3 earlier on PATH, pyenv's say, would not).
VIEW_PYTHON := $(shell test -x /usr/bin/python3 && echo /usr/bin/python3 \
	|| echo python3)
VIEW_SRCS := $(wildcard tools/view/*.py tools/view/page/*)

# make view                      live: the page at the URL it prints
# make view SNAPSHOT=FILE        the same; the page's Save button also
#                                writes the moment shown to FILE
# make view RAM=IMAGE SNAPSHOT=FILE   FILE from a saved RAM image, no boot
# make view VIEW_PORT=8026       a fixed port (default: any free one)
.PHONY: view
view:
	@./tools/install-deps.sh view
	@$(MAKE) --no-print-directory all
ifneq ($(RAM),)
	@$(VIEW_PYTHON) tools/view/memview.py html $(RAM) \
		$(or $(SNAPSHOT),$(BUILD)/memory.html)
else
	@$(VIEW_PYTHON) tools/view/memview.py run $(ISO) \
		--qemu-flags "$(QEMU_FLAGS)" \
		$(if $(SNAPSHOT),--snapshot $(SNAPSHOT)) \
		$(if $(VIEW_PORT),--port $(VIEW_PORT))
endif

# The tests, installed next to what they need so that they depend on it.
# (The shell's ISO is named as its rule, later in the Makefile, makes it.)
$(BUILD)/view/%.py: tests/view/%.py $(BUILD)/os-shell.iso $(KERNEL_ELF) \
		$(VIEW_SRCS) tests/view/machine.py tests/view/tap.py
	@mkdir -p $(dir $@)
	install -m 755 $< $@
TEST_SUITES += $(BUILD)/view/test_decode.py $(BUILD)/view/test_browser.py
