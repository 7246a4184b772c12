package org.spice.runtime.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code spice smartcard-share} with the emulated PIV card against QEMU's usb-ccid with ccid-card-passthru on the
 * smartcard spicevmc chardev. The passthru device's {@code debug=4} prints what it receives: QEMU must report our
 * 17-byte ATR and that it passed its ATR check, and our client must have had the reader and the card accepted
 * (QEMU answers reader_add and atr with VSC error "success", which spice-server relays). A missing QEMU fails.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class QemuSmartcardIT {

    @Test
    void qemuAcceptsTheReaderAndTheAtrOfTheEmulatedCard() throws Exception {
        Path dir = Peers.workDir(getClass(), "ccid");
        OurServerSmartcardIT.pkcs12(dir);
        int port = Peers.freePort();
        try (Proc qemu = Qemu.start(dir, "qemu", "port=" + port + ",addr=127.0.0.1,disable-ticketing=on",
                List.of("-device", "qemu-xhci", "-device", "usb-ccid", "-chardev",
                        "spicevmc,id=ccid,name=smartcard", "-device", "ccid-card-passthru,chardev=ccid,debug=4"),
                port)) {
            String uri = "spice://127.0.0.1:" + port;
            List<String> args = new java.util.ArrayList<>(OurServerSmartcardIT.shareArgs(dir, uri));
            args.add(1, "--seconds");
            args.add(2, "3");
            Proc.Result r = Spice.command(List.of(), args.toArray(String[]::new))
                    .run(dir, "smartcard-share", Duration.ofSeconds(120));
            assertEquals(0, r.exitCode(), r::describe);
            assertTrue(r.stdout().contains("sharing emulated PIV card (1 key from card.p12) in reader"
                    + " 'SPICE JVM virtual PIV reader' (reader id 0)"), r::describe);
            assertTrue(r.stderr().contains("reader 'SPICE JVM virtual PIV reader' added as 0"), r::describe);
            assertTrue(r.stderr().contains("inserted in reader 0"), r::describe);
            // QEMU's own account (ccid-card-passthru prints to stdout): our ATR arrived whole and passed its check.
            qemu.awaitStdout("ccid-card-passthru: VSC_ATR 17$", Duration.ofSeconds(10));
            qemu.awaitStdout("atr passes check: 17 total length, 12 historical", Duration.ofSeconds(10));
            assertTrue(qemu.isAlive(), qemu::describe);
            assertTrue(r.stdout().contains("0 APDUs answered"), r::describe); // the firmware-only guest sends none
        }
    }
}
