package org.spice.usbredir.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import org.spice.usbredir.api.UsbDevice;
import org.spice.usbredir.api.UsbTransfer;

/**
 * A USB mass-storage device, bulk-only transport (CBW on bulk OUT, data, CSW on bulk IN) with the SCSI
 * transparent command set, backed by a file: a disk (direct-access, 512-byte sectors) or a CD-ROM (peripheral
 * type 5, 2048-byte sectors, READ TOC, GET CONFIGURATION). High speed, one interface, bulk endpoints 0x81 and
 * 0x02.
 */
public final class MassStorageDevice implements UsbDevice, AutoCloseable {
    static final int EP_IN = 0x81;
    static final int EP_OUT = 0x02;
    static final int CBW_SIGNATURE = 0x43425355;
    static final int CSW_SIGNATURE = 0x53425355;
    /** The largest data phase we accept, in bytes. */
    static final int MAX_DATA = 4 << 20;

    private enum State { CBW, DATA_IN, DATA_OUT, STALL_THEN_CSW, CSW }

    private final Path file;
    private final FileChannel ch;
    private final boolean cdrom;
    private final boolean readOnly;
    private final int blockSize;
    private final long blocks;
    private State state = State.CBW;
    private int tag;
    private int expected;
    private int residue;
    private int cswStatus;
    private byte[] dataIn;
    private int dataInPos;
    private byte[] dataOut;
    private int dataOutPos;
    private long writeLba;
    private int senseKey;
    private int asc;

    private MassStorageDevice(Path file, FileChannel ch, boolean cdrom, boolean readOnly) throws IOException {
        this.file = file;
        this.ch = ch;
        this.cdrom = cdrom;
        this.readOnly = readOnly;
        this.blockSize = cdrom ? 2048 : 512;
        this.blocks = ch.size() / blockSize;
    }

    public static MassStorageDevice open(Path file, boolean cdrom, boolean readOnly) throws IOException {
        FileChannel ch = readOnly ? FileChannel.open(file, StandardOpenOption.READ)
                : FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        if (ch.size() < (cdrom ? 2048 : 512)) {
            ch.close();
            throw new IOException(file + " is smaller than one " + (cdrom ? 2048 : 512) + "-byte sector");
        }
        return new MassStorageDevice(file, ch, cdrom, readOnly);
    }

    @Override
    public int speed() {
        return SPEED_HIGH;
    }

    @Override
    public byte[] deviceDescriptor() {
        // pid.codes test VID/PID 1209:0001; class per interface
        return bytes(18, 1, 0x00, 0x02, 0, 0, 0, 64, 0x09, 0x12, cdrom ? 0x02 : 0x01, 0x00, 0x00, 0x01, 1, 2, 3, 1);
    }

    @Override
    public byte[] configurationDescriptor() {
        return bytes(9, 2, 32, 0, 1, 1, 0, 0x80, 50,
                9, 4, 0, 0, 2, 0x08, 0x06, 0x50, 0,
                7, 5, EP_IN, 2, 0x00, 0x02, 0,
                7, 5, EP_OUT, 2, 0x00, 0x02, 0);
    }

    @Override
    public String string(int index) {
        return switch (index) {
            case 1 -> "SPICE on the JVM";
            case 2 -> cdrom ? "Emulated USB CD-ROM" : "Emulated USB disk";
            case 3 -> String.format("%012X", Integer.toUnsignedLong(file.getFileName().toString().hashCode()));
            default -> null;
        };
    }

    @Override
    public String describe() {
        return (cdrom ? "USB CD-ROM " : "USB disk ") + file + " (" + blocks + " sectors of " + blockSize + " bytes)";
    }

    /** Answers at once: the bulk-only transport is one command at a time, in the order the host sends them. */
    @Override
    public CompletableFuture<UsbTransfer> control(int requestType, int request, int value, int index, int length,
            byte[] dataOut) {
        return CompletableFuture.completedFuture(controlNow(requestType, request, length));
    }

    private UsbTransfer controlNow(int requestType, int request, int length) {
        if (requestType == 0xa1 && request == 0xfe) { // GET MAX LUN
            return UsbTransfer.ok(new byte[] {0});
        }
        if (requestType == 0x21 && request == 0xff) { // bulk-only mass storage reset
            reset();
            return UsbTransfer.ok();
        }
        if ((requestType & 0x60) == 0) { // standard: GET_STATUS, CLEAR/SET_FEATURE (endpoint halt)
            return switch (request) {
                case 0 -> UsbTransfer.ok(Arrays.copyOf(new byte[] {0, 0}, Math.min(2, length)));
                case 1, 3 -> UsbTransfer.ok();
                default -> UsbTransfer.stall();
            };
        }
        return UsbTransfer.stall();
    }

    @Override
    public void reset() {
        state = State.CBW;
        dataIn = null;
        dataOut = null;
    }

    /** Answers at once, so transfers queued by the host are answered in the order it sent them. */
    @Override
    public CompletableFuture<UsbTransfer> bulk(int endpoint, byte[] out, int lengthIn) {
        return CompletableFuture.completedFuture(bulkNow(endpoint, out, lengthIn));
    }

    private UsbTransfer bulkNow(int endpoint, byte[] out, int lengthIn) {
        if (endpoint == EP_OUT) {
            return bulkOut(out);
        }
        if (endpoint != EP_IN) {
            return UsbTransfer.stall();
        }
        switch (state) {
            case DATA_IN -> {
                int n = Math.min(lengthIn, dataIn.length - dataInPos);
                byte[] r = Arrays.copyOfRange(dataIn, dataInPos, dataInPos + n);
                dataInPos += n;
                if (dataInPos >= dataIn.length) {
                    state = State.CSW;
                }
                return UsbTransfer.ok(r);
            }
            case STALL_THEN_CSW -> {
                state = State.CSW;
                return UsbTransfer.stall();
            }
            case CSW -> {
                state = State.CBW;
                ByteBuffer b = ByteBuffer.allocate(13).order(ByteOrder.LITTLE_ENDIAN);
                b.putInt(CSW_SIGNATURE).putInt(tag).putInt(residue).put((byte) cswStatus);
                return UsbTransfer.ok(Arrays.copyOf(b.array(), Math.min(13, lengthIn)));
            }
            default -> {
                return UsbTransfer.stall();
            }
        }
    }

    private UsbTransfer bulkOut(byte[] out) {
        if (state == State.DATA_OUT) {
            int n = Math.min(out.length, dataOut.length - dataOutPos);
            System.arraycopy(out, 0, dataOut, dataOutPos, n);
            dataOutPos += n;
            if (dataOutPos >= dataOut.length) {
                finishWrite();
            }
            return UsbTransfer.ok();
        }
        if (state != State.CBW || out.length != 31) {
            return UsbTransfer.stall();
        }
        ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt(0) != CBW_SIGNATURE) {
            return UsbTransfer.stall();
        }
        tag = b.getInt(4);
        expected = b.getInt(8);
        boolean in = (out[12] & 0x80) != 0;
        int lun = out[13] & 0x0f;
        int cbLen = out[14] & 0x1f;
        if (expected < 0 || expected > MAX_DATA || cbLen < 1 || cbLen > 16) {
            return UsbTransfer.stall();
        }
        byte[] cb = Arrays.copyOfRange(out, 15, 15 + cbLen);
        cb = Arrays.copyOf(cb, 16);
        byte[] reply = lun == 0 ? command(cb, in) : fail(5, 0x25);
        if (reply == WRITE) {
            return UsbTransfer.ok(); // data-out phase set up by command()
        }
        cswStatus = reply == null ? 1 : 0;
        if (reply == null) {
            residue = expected;
            state = expected > 0 && in ? State.STALL_THEN_CSW : expected > 0 ? State.DATA_OUT : State.CSW;
            if (state == State.DATA_OUT) { // swallow the data the host sends anyway
                dataOut = new byte[expected];
                dataOutPos = 0;
                writeLba = -1;
            }
            return UsbTransfer.ok();
        }
        int n = Math.min(reply.length, expected);
        residue = expected - n;
        if (n == 0 || !in) {
            state = State.CSW;
        } else {
            dataIn = n == reply.length ? reply : Arrays.copyOf(reply, n);
            dataInPos = 0;
            state = State.DATA_IN;
        }
        return UsbTransfer.ok();
    }

    private static final byte[] OK = new byte[0];
    private static final byte[] WRITE = new byte[0];

    /** Runs one SCSI command: the data-in reply, {@link #OK} for none, null on failure (sense set). */
    private byte[] command(byte[] cb, boolean in) {
        int op = cb[0] & 0xff;
        try {
            switch (op) {
                case 0x00, 0x1e, 0x1b, 0x35, 0x2f: // TEST UNIT READY, PREVENT ALLOW, START STOP, SYNC CACHE, VERIFY
                    return good(OK);
                case 0x03: { // REQUEST SENSE
                    byte[] s = new byte[18];
                    s[0] = 0x70;
                    s[2] = (byte) senseKey;
                    s[7] = 10;
                    s[12] = (byte) asc;
                    senseKey = 0;
                    asc = 0;
                    return s;
                }
                case 0x12: { // INQUIRY
                    if ((cb[1] & 1) != 0) {
                        if (cb[2] == 0) {
                            return good(new byte[] {(byte) (cdrom ? 5 : 0), 0, 0, 1, 0});
                        }
                        return fail(5, 0x24);
                    }
                    byte[] r = new byte[36];
                    r[0] = (byte) (cdrom ? 5 : 0);
                    r[1] = (byte) 0x80;
                    r[2] = 5;
                    r[3] = 2;
                    r[4] = 31;
                    put(r, 8, "SPICEJVM", 8);
                    put(r, 16, cdrom ? "USB CD-ROM" : "USB DISK", 16);
                    put(r, 32, "1.0", 4);
                    return good(r);
                }
                case 0x1a: // MODE SENSE(6): header only
                    return good(new byte[] {3, 0, (byte) (readOnly ? 0x80 : 0), 0});
                case 0x5a: // MODE SENSE(10)
                    return good(new byte[] {0, 6, 0, 0, (byte) (readOnly ? 0x80 : 0), 0, 0, 0});
                case 0x25: { // READ CAPACITY(10)
                    ByteBuffer b = ByteBuffer.allocate(8);
                    b.putInt((int) Math.min(blocks - 1, 0xffffffffL)).putInt(blockSize);
                    return good(b.array());
                }
                case 0x28, 0xa8: { // READ(10), READ(12)
                    ByteBuffer b = ByteBuffer.wrap(cb);
                    long lba = Integer.toUnsignedLong(b.getInt(2));
                    long count = op == 0x28 ? b.getShort(7) & 0xffff : Integer.toUnsignedLong(b.getInt(6));
                    if (lba + count > blocks) {
                        return fail(5, 0x21);
                    }
                    if (count * blockSize > MAX_DATA) {
                        return fail(5, 0x24);
                    }
                    ByteBuffer d = ByteBuffer.allocate((int) count * blockSize);
                    while (d.hasRemaining()) {
                        if (ch.read(d, lba * blockSize + d.position()) < 0) {
                            return fail(3, 0x11);
                        }
                    }
                    return good(d.array());
                }
                case 0x2a: { // WRITE(10)
                    if (readOnly || in) {
                        return fail(readOnly ? 7 : 5, readOnly ? 0x27 : 0x24);
                    }
                    ByteBuffer b = ByteBuffer.wrap(cb);
                    long lba = Integer.toUnsignedLong(b.getInt(2));
                    int count = b.getShort(7) & 0xffff;
                    if (lba + count > blocks) {
                        return fail(5, 0x21);
                    }
                    if ((long) count * blockSize > MAX_DATA || count * blockSize != expected) {
                        return fail(5, 0x24);
                    }
                    if (count == 0) {
                        return good(OK);
                    }
                    dataOut = new byte[count * blockSize];
                    dataOutPos = 0;
                    writeLba = lba;
                    residue = 0;
                    state = State.DATA_OUT;
                    return WRITE;
                }
                case 0x43: // READ TOC
                    return cdrom ? toc(cb) : fail(5, 0x20);
                case 0x46: { // GET CONFIGURATION: header and the profile list feature, CD-ROM current
                    if (!cdrom) {
                        return fail(5, 0x20);
                    }
                    return good(new byte[] {0, 0, 0, 12, 0, 0, 0, 0x08, 0, 0, 3, 4, 0, 0x08, 1, 0});
                }
                case 0x4a: // GET EVENT STATUS NOTIFICATION: no event available
                    return good(new byte[] {0, 2, (byte) 0x80, 0});
                default:
                    return fail(5, 0x20);
            }
        } catch (IOException e) {
            return fail(3, 0x11);
        }
    }

    private byte[] toc(byte[] cb) {
        boolean msf = (cb[1] & 2) != 0;
        int format = cb[2] & 0x0f;
        if (format == 0 && (cb[9] & 0xc0) != 0) {
            format = (cb[9] & 0xff) >> 6;
        }
        if (format == 1) { // session information
            return new byte[] {0, 10, 1, 1, 0, 0x14, 1, 0, 0, 0, 0, 0};
        }
        if (format != 0) {
            return fail(5, 0x24);
        }
        ByteBuffer b = ByteBuffer.allocate(20);
        b.putShort((short) 18).put((byte) 1).put((byte) 1);
        b.put((byte) 0).put((byte) 0x14).put((byte) 1).put((byte) 0).put(address(0, msf));
        b.put((byte) 0).put((byte) 0x14).put((byte) 0xaa).put((byte) 0).put(address(blocks, msf));
        return b.array();
    }

    private static byte[] address(long lba, boolean msf) {
        if (!msf) {
            return ByteBuffer.allocate(4).putInt((int) lba).array();
        }
        long f = lba + 150;
        return new byte[] {0, (byte) (f / 75 / 60), (byte) (f / 75 % 60), (byte) (f % 75)};
    }

    private void finishWrite() {
        cswStatus = 0;
        if (writeLba >= 0) {
            try {
                ByteBuffer d = ByteBuffer.wrap(dataOut);
                while (d.hasRemaining()) {
                    ch.write(d, writeLba * blockSize + d.position());
                }
            } catch (IOException e) {
                fail(3, 0x0c);
                cswStatus = 1;
            }
        } else {
            cswStatus = 1;
        }
        dataOut = null;
        state = State.CSW;
    }

    private byte[] good(byte[] r) {
        senseKey = 0;
        asc = 0;
        return r;
    }

    private byte[] fail(int key, int code) {
        senseKey = key;
        asc = code;
        return null;
    }

    private static void put(byte[] r, int at, String s, int width) {
        Arrays.fill(r, at, at + width, (byte) ' ');
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, r, at, Math.min(width, b.length));
    }

    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    @Override
    public void close() throws IOException {
        ch.close();
    }
}
