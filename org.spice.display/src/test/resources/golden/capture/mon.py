#!/usr/bin/env python3
"""mon.py SOCKET COMMAND... : send human-monitor commands to QEMU's -monitor unix socket."""
import socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.settimeout(1)
time.sleep(0.2)
try: s.recv(65536)
except OSError: pass
for c in sys.argv[2:]:
    s.sendall((c + "\n").encode())
    time.sleep(0.3)
    try: print(s.recv(65536).decode(errors="replace"))
    except OSError: pass
s.close()
