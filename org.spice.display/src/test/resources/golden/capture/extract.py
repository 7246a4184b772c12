#!/usr/bin/env python3
"""Extract SPICE display-channel images from a pcapng of one spicy-screenshot session.

usage: extract.py CAP.pcapng SERVER_PORT OUTDIR
Writes OUTDIR/draw-N.bin (the image stream after data_size, or the zlib data for ZLIB_GLZ_RGB)
and prints, per draw_copy: box, image id/type/flags/size, and the file written.
"""
import struct, subprocess, sys, os, json

cap, port, outdir = sys.argv[1], int(sys.argv[2]), sys.argv[3]
which = int(sys.argv[4]) if len(sys.argv) > 4 else 1
os.makedirs(outdir, exist_ok=True)
out = subprocess.run(["tshark", "-r", cap, "-T", "fields", "-e", "tcp.stream", "-e", "tcp.srcport",
                      "-e", "tcp.seq_raw", "-e", "tcp.payload"], capture_output=True, text=True, check=True).stdout
streams = {}
for line in out.splitlines():
    f = line.split("\t")
    if len(f) < 4 or not f[3]:
        continue
    s, sport, seq, payload = int(f[0]), int(f[1]), int(f[2]), bytes.fromhex(f[3].replace(":", ""))
    if sport != port:
        continue
    streams.setdefault(s, {})[seq] = payload

def reassemble(segs):
    seqs = sorted(segs)
    base = seqs[0]
    buf = bytearray()
    for q in seqs:
        off = q - base
        p = segs[q]
        if off > len(buf):
            raise SystemExit("gap in stream")
        buf[off:off + len(p)] = p
    return bytes(buf)

# the display channel is the second connection (by stream index)
ids = sorted(streams)
print("server->client streams:", [(i, sum(len(p) for p in streams[i].values())) for i in ids])
disp = reassemble(streams[ids[which]])
assert disp[:4] == b"REDQ", disp[:4]
# link reply: 16-byte header whose last u32 is the body size
(size,) = struct.unpack_from("<I", disp, 12)
pos = 16 + size + 4
print("link reply body", size, "-> messages start at", pos)
n = 0
meta = []
while pos + 6 <= len(disp):
    mtype, msize = struct.unpack_from("<HI", disp, pos)
    body = disp[pos + 6:pos + 6 + msize]
    pos += 6 + msize
    if len(body) < msize:
        print("truncated message", mtype)
        break
    if mtype != 304:
        print("msg", mtype, msize)
        continue
    surface_id, top, left, bottom, right, clip_type = struct.unpack_from("<I4iB", body, 0)
    p = 21
    if clip_type == 1:
        (nrects,) = struct.unpack_from("<I", body, p)
        p += 4 + 16 * nrects
    src_bitmap, st, sl, sb, sr, rop, scale = struct.unpack_from("<I4iHB", body, p)
    img_id, img_type, img_flags, w, h = struct.unpack_from("<QBBII", body, src_bitmap)
    ip = src_bitmap + 18
    info = dict(index=n, surface=surface_id, box=[top, left, bottom, right], clip=clip_type,
                src_area=[st, sl, sb, sr], rop=rop, image_id=img_id, type=img_type, flags=img_flags, width=w, height=h)
    if img_type in (101, 102, 109):  # LZ_RGB, GLZ_RGB, LZ4: BinaryData
        (dsize,) = struct.unpack_from("<I", body, ip)
        data = body[ip + 4:ip + 4 + dsize]
    elif img_type == 107:  # ZLIB_GLZ_RGB
        glz_size, dsize = struct.unpack_from("<II", body, ip)
        info["glz_data_size"] = glz_size
        data = body[ip + 8:ip + 8 + dsize]
    else:
        data = body[ip:]
    assert len(data) == dsize or img_type not in (101, 102, 107, 109)
    ext = {101: "lz", 102: "glz", 107: "zglz", 109: "lz4"}.get(img_type, "type%d" % img_type)
    name = "%03d.%s" % (n, ext)
    open(os.path.join(outdir, name), "wb").write(data)
    info["file"] = name
    info["data_size"] = len(data)
    print(json.dumps(info))
    meta.append(info)
    n += 1

# manifest: one draw a line: index image_type top left bottom right file [glz_data_size]
with open(os.path.join(outdir, "draws.txt"), "w") as m:
    m.write("# index image_type box_top box_left box_bottom box_right file [glz_data_size]\n")
    for i in meta:
        t, l, b, r = i["box"]
        assert i["src_area"] == [0, 0, i["height"], i["width"]], i
        assert (b - t, r - l) == (i["height"], i["width"]), i
        m.write("%d %d %d %d %d %d %s%s\n" % (i["index"], i["type"], t, l, b, r, i["file"],
                " %d" % i["glz_data_size"] if "glz_data_size" in i else ""))
