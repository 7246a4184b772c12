package org.spice.usbredir.api;

import java.io.IOException;
import java.nio.file.Path;
import org.spice.usbredir.internal.MassStorageDevice;

/**
 * Emulated USB mass-storage devices (bulk-only transport, SCSI transparent command set) backed by a file: a disk
 * of 512-byte sectors and a CD-ROM of 2048-byte sectors.
 */
public final class MassStorage {
    private MassStorage() {
    }

    /** A disk backed by {@code image}; writes go to the file unless {@code readOnly}. */
    public static UsbDevice disk(Path image, boolean readOnly) throws IOException {
        return MassStorageDevice.open(image, false, readOnly);
    }

    /** A read-only CD-ROM drive holding {@code iso}. */
    public static UsbDevice cdrom(Path iso) throws IOException {
        return MassStorageDevice.open(iso, true, true);
    }
}
