#!/usr/bin/env python3
"""Pull the QUIC streams of display-channel draw_copy messages out of a tshark capture.

usage: extract_quic.py CAPTURE.pcapng SPICE_PORT OUTDIR

Reassembles every server->client TCP stream by sequence number, skips the link reply
(16-byte header + its size) and the 4-byte link result, walks the mini headers
(u16 type, u32 size, little-endian) and writes the QUIC data of every
SPICE_MSG_DISPLAY_DRAW_COPY (304) whose source image is QUIC (type 1) to
OUTDIR/<stream>-<n>-t<top>-l<left>-<w>x<h>.quic.
"""
import os
import struct
import subprocess
import sys

capture, port, outdir = sys.argv[1], int(sys.argv[2]), sys.argv[3]
os.makedirs(outdir, exist_ok=True)
fields = subprocess.run(['tshark', '-r', capture, '-T', 'fields', '-e', 'tcp.stream', '-e', 'tcp.srcport',
                         '-e', 'tcp.seq_raw', '-e', 'tcp.payload'],
                        capture_output=True, text=True, check=True).stdout
streams = {}
for line in fields.splitlines():
    cols = line.split('\t')
    if len(cols) < 4 or not cols[3] or int(cols[1]) != port:
        continue
    streams.setdefault(int(cols[0]), {})[int(cols[2])] = bytes.fromhex(cols[3].replace(':', ''))

for sid, segments in sorted(streams.items()):
    base = min(segments)
    data = bytearray()
    for seq in sorted(segments):
        at = seq - base
        if at > len(data):
            sys.exit('stream %d: gap at %d' % (sid, at))
        data[at:at + len(segments[seq])] = segments[seq]
    _, _, _, link_size = struct.unpack_from('<4sIII', data, 0)
    pos = 16 + link_size + 4
    n = 0
    while pos + 6 <= len(data):
        mtype, msize = struct.unpack_from('<HI', data, pos)
        body = bytes(data[pos + 6:pos + 6 + msize])
        pos += 6 + msize
        n += 1
        if mtype != 304:
            continue
        surface, top, left, bottom, right, clip = struct.unpack_from('<IiiiiB', body, 0)
        if clip != 0:
            print('stream %d message %d: draw_copy with a clip, skipped' % (sid, n))
            continue
        src, = struct.unpack_from('<I', body, 21)
        image_id, itype, iflags, width, height = struct.unpack_from('<QBBII', body, src)
        print('stream %d message %d: draw_copy surface %d box (t%d l%d b%d r%d) image type %d flags %d %dx%d'
              % (sid, n, surface, top, left, bottom, right, itype, iflags, width, height))
        if itype != 1:
            continue
        size, = struct.unpack_from('<I', body, src + 18)
        quic = body[src + 22:src + 22 + size]
        if len(quic) != size:
            sys.exit('truncated QUIC data')
        name = os.path.join(outdir, '%d-%d-t%d-l%d-%dx%d.quic' % (sid, n, top, left, width, height))
        with open(name, 'wb') as f:
            f.write(quic)
        print('  %d bytes of QUIC -> %s' % (size, name))
