package org.spice.usbredir.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.spice.usbredir.internal.UsbRedirLink.T;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spice.usbredir.api.RedirectedUsbDevice;
import org.spice.usbredir.api.UsbDevice;
import org.spice.usbredir.api.UsbRedirFilter;
import org.spice.usbredir.api.UsbTransfer;

/**
 * The configuration and alternate settings of a shared device, driven from our server: SET_CONFIGURATION reaches
 * the device, GET_ALT_SETTING answers the setting that SET_ALT_SETTING actually set, and a configuration change or
 * a refused setting behaves as usbredirhost does.
 */
class UsbRedirConfigurationTest {

    /** A disk's descriptors; interface 0 also has alternate setting 1; it records what it was asked to do. */
    static final class TwoSettings extends ForwardingUsbDevice {
        final List<String> calls = new CopyOnWriteArrayList<>();

        TwoSettings(UsbDevice shape) {
            super(shape);
        }

        @Override
        public UsbTransfer setConfiguration(int configuration) {
            calls.add("configuration " + configuration);
            return UsbTransfer.ok();
        }

        @Override
        public UsbTransfer setInterface(int number, int alt) {
            calls.add("interface " + number + " alt " + alt);
            return number == 0 && alt <= 1 ? UsbTransfer.ok() : UsbTransfer.stall();
        }

        @Override
        public String describe() {
            return "USB device with two alternate settings";
        }
    }

    private static int get(CompletableFuture<Integer> f) throws Exception {
        return f.get(T, TimeUnit.SECONDS);
    }

    private static String failure(CompletableFuture<Integer> f) {
        return assertThrows(ExecutionException.class, () -> f.get(T, TimeUnit.SECONDS)).getCause().getMessage();
    }

    @Test
    void altSettingsAndConfigurationsReachTheDeviceAndAreReportedAsSet(@TempDir Path dir) throws Exception {
        try (UsbRedirLink link = new UsbRedirLink(UsbRedirFilter.NONE);
                MassStorageDevice disk = MassStorageDevice.open(Files.write(dir.resolve("d.img"), new byte[512]),
                        false, true)) {
            TwoSettings device = new TwoSettings(disk);
            link.clientSide.share(link.session, 0, device);
            link.linkUsbRedir();
            RedirectedUsbDevice d = link.awaitDevice(null);

            assertEquals(1, get(d.setConfiguration(1)));
            assertTrue(device.calls.contains("configuration 1"), device.calls.toString());
            assertEquals(0, get(d.altSetting(0)));

            assertEquals(1, get(d.setAltSetting(0, 1)));
            assertEquals(1, get(d.altSetting(0)), "GET_ALT_SETTING answers the setting that was set");
            assertTrue(failure(d.setAltSetting(0, 2)).contains("failed with status " + UsbTransfer.STALL));
            assertEquals(1, get(d.altSetting(0)), "a refused setting leaves the one before");
            assertTrue(failure(d.altSetting(7)).contains("failed with status " + UsbTransfer.INVAL),
                    "an interface the configuration lacks");

            String refused = failure(d.setConfiguration(2));
            assertTrue(refused.contains("failed with status " + UsbTransfer.STALL), refused);
            assertTrue(device.calls.stream().noneMatch(c -> c.equals("configuration 2")), device.calls.toString());

            device.calls.clear();
            assertEquals(1, get(d.setConfiguration(1)));
            assertEquals(List.of("configuration 1"), device.calls);
            assertEquals(0, get(d.altSetting(0)), "a configuration starts every interface at setting 0");

            assertEquals(0, get(d.setConfiguration(0)));
            assertTrue(failure(d.altSetting(0)).contains("failed with status " + UsbTransfer.INVAL),
                    "no interface while unconfigured");
        }
    }
}
