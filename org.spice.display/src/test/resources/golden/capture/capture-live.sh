#!/bin/sh
# usage: capture-live.sh MODE PORT OUTDIR [extra -spice options, comma-prefixed]
# tshark, Xvfb; QEMU started paused (-S); spicy connects; 'cont'; after 4 s 'sendkey esc' (boot menu);
# 4 s later spicy is stopped and spicy-screenshot takes the reference.
set -u
MODE=$1; P=$2; OUT=$3; EXTRA=${4:-}
mkdir -p "$OUT"; OUT=$(cd "$OUT" && pwd)
MON=$OUT/mon.sock; rm -f "$MON"
D=:$((P % 1000 + 100))
Xvfb $D -screen 0 1024x768x24 >/dev/null 2>&1 & XPID=$!
tshark -i lo -f "tcp port $P" -w "$OUT/cap.pcapng" -q 2>"$OUT/tshark.log" & TPID=$!
sleep 2
qemu-system-x86_64 -S -machine accel=tcg -m 128 -vga qxl -display none -nodefaults -no-user-config \
  -boot menu=on,splash-time=60000 -monitor unix:$MON,server,nowait \
  -spice port=$P,addr=127.0.0.1,disable-ticketing=on,image-compression=$MODE$EXTRA & QPID=$!
sleep 1
DISPLAY=$D timeout 12 spicy -h 127.0.0.1 -p $P >"$OUT/spicy.log" 2>&1 & SPID=$!
sleep 2
python3 "$(dirname "$0")/mon.py" "$MON" cont >/dev/null
sleep 4
python3 "$(dirname "$0")/mon.py" "$MON" "sendkey esc" >/dev/null
sleep 4
kill $SPID; wait $SPID
sleep 1
timeout 30 spicy-screenshot -h 127.0.0.1 -p $P -o "$OUT/ref.ppm"; echo "spicy-screenshot rc=$?"
sleep 1
kill $TPID; wait $TPID
python3 "$(dirname "$0")/mon.py" "$MON" quit >/dev/null 2>&1; wait $QPID
kill $XPID; wait $XPID
ls -la "$OUT"
