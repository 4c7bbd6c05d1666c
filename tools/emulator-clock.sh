# Sourced by every script that starts QEMU or Bochs for tests, grading or
# debugging: sets the emulator's clock from tools/emulator-clock.conf.
#   QEMU_CLOCK  QEMU's options, an array: "${QEMU_CLOCK[@]}"
#   BOCHS_IPS   exported: tools/bochsrc.txt's cpu: ips=$BOCHS_IPS
# shellcheck shell=bash
. "$(dirname "${BASH_SOURCE[0]}")/emulator-clock.conf"
# shellcheck disable=SC2034 # used by the scripts that source this
QEMU_CLOCK=(-icount "shift=$ICOUNT_SHIFT")
BOCHS_IPS=$((1000000000 >> ICOUNT_SHIFT))
export BOCHS_IPS
