#!/usr/bin/env bash
# Boots the Linux test guest by hand, for exploring: builds it if needed (scripts/guest/build.sh, cached), then
# runs QEMU with a SPICE port on 127.0.0.1 and the guest's serial console on this terminal.
#
# Usage: scripts/guest/run.sh [--port P] [--vga qxl|std] [--test NAME] [--append 'spice.KEY=VALUE ...'] [--serial FILE]
#        [-- QEMU ARGS...]
#   --test shell (default) gives a busybox shell on the terminal; other names are /init's scenarios
#   (scripts/guest/init), e.g. display; --append adds a scenario's parameters to the kernel command line (e.g.
#   spice.xdriver=qxl for the agent scenario). Ctrl-A X quits QEMU. Example, with sound and a virtio port:
#   scripts/guest/run.sh --port 5930 -- -audiodev spice,id=a -device intel-hda -device hda-duplex,audiodev=a \
#     -device virtio-serial -chardev spiceport,id=p,name=org.example.port -device virtserialport,chardev=p,name=org.example.port
#   then: ./spice connect spice://127.0.0.1:5930  (or remote-viewer spice://127.0.0.1:5930)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
port=5930 vga=qxl test=shell serial=mon:stdio append=
while (($#)); do
  case $1 in
  --port) port=$2; shift 2 ;;
  --vga) vga=$2; shift 2 ;;
  --test) test=$2; shift 2 ;;
  --append) append=$2; shift 2 ;;
  --serial) serial=file:$2; shift 2 ;;
  --) shift; break ;;
  *) echo "usage: $0 [--port P] [--vga qxl|std] [--test NAME] [--append ARGS] [--serial FILE] [-- QEMU ARGS...]" >&2
    exit 64 ;;
  esac
done
out="$here/../../target/guest"
"$here/build.sh" "$out" >&2
echo "guest: SPICE on spice://127.0.0.1:$port; serial console here (Ctrl-A X quits)" >&2
exec qemu-system-x86_64 -machine pc,accel=tcg -m 512 -vga "$vga" -display none -nodefaults -no-user-config \
  -kernel "$out/vmlinux" -initrd "$out/initrd.img" \
  -append "console=ttyS0 quiet video=1024x768 spice.test=$test $append" -serial "$serial" \
  -spice "port=$port,addr=127.0.0.1,disable-ticketing=on" "$@"
