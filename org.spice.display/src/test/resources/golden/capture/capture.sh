#!/bin/sh
# usage: capture.sh MODE PORT OUTDIR [EXTRA_WAIT]
set -u
MODE=$1; P=$2; OUT=$3; WAIT=${4:-3}
mkdir -p "$OUT"
qemu-system-x86_64 -machine accel=tcg -m 128 -vga qxl -display none -nodefaults -no-user-config \
  -boot menu=on,splash-time=60000 \
  -spice port=$P,addr=127.0.0.1,disable-ticketing=on,image-compression=$MODE &
QPID=$!
sleep "$WAIT"
tshark -i lo -f "tcp port $P" -w "$OUT/cap.pcapng" -q 2>"$OUT/tshark.log" &
TPID=$!
sleep 2
timeout 30 spicy-screenshot -h 127.0.0.1 -p $P -o "$OUT/ref.ppm"; echo "spicy-screenshot rc=$?"
sleep 1
kill $TPID; wait $TPID
kill $QPID; wait $QPID
ls -la "$OUT"
