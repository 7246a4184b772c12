package org.spice.usbredir.api;

/**
 * The outcome of one USB transfer: a usbredir status ({@link #SUCCESS}, {@link #STALL}, ...) and the data read
 * (empty for OUT transfers and failures).
 */
public record UsbTransfer(int status, byte[] data) {
    public static final int SUCCESS = 0;
    public static final int CANCELLED = 1;
    public static final int INVAL = 2;
    public static final int IOERROR = 3;
    public static final int STALL = 4;
    public static final int TIMEOUT = 5;
    public static final int BABBLE = 6;

    private static final byte[] NONE = new byte[0];

    public UsbTransfer {
        data = data == null ? NONE : data;
    }

    public static UsbTransfer ok(byte[] data) {
        return new UsbTransfer(SUCCESS, data);
    }

    public static UsbTransfer ok() {
        return new UsbTransfer(SUCCESS, NONE);
    }

    public static UsbTransfer stall() {
        return new UsbTransfer(STALL, NONE);
    }

    public boolean succeeded() {
        return status == SUCCESS;
    }
}
