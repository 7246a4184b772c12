#!/usr/bin/env bash
# Runs `./spice bench video` with QEMU beside our server: builds the video test floppy (the test resource
# vga-animation.S, moving for as many frames as the bench measures) and passes it on. Needs as/ld/objcopy
# (binutils) and qemu-system-x86_64 (scripts/install-peers.sh installs both). Options go to the bench:
#   scripts/bench/video.sh [--seconds 30] [--codecs mjpeg,h264,vp8,vp9] [--adaptive h264|none] [--link KB]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=30
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
    if [[ ${args[i]} == --seconds ]]; then seconds=${args[i + 1]}; fi
    if [[ ${args[i]} == --seconds=* ]]; then seconds=${args[i]#--seconds=}; fi
done
# The bench measures SECONDS after 2 s of settling and leaves 2 s at the end: frames of 33 ms.
moving=$(( (seconds * 1000 + 4000) / 33 ))
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
as --32 --defsym MOVING="$moving" -o "$work/anim.o" org.spice.runtime/src/test/resources/interop/vga-animation.S
ld -m elf_i386 -Ttext 0x7c00 -o "$work/anim.elf" "$work/anim.o"
objcopy -O binary -j .text "$work/anim.elf" "$work/anim.bin"
truncate -s 1474560 "$work/anim.bin"
./spice bench video --qemu-floppy "$work/anim.bin" "$@"
