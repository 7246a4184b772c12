package org.spice.runtime.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.osgi.util.tracker.ServiceTracker;
import org.spice.protocol.ChannelType;
import org.spice.protocol.SpiceUri;
import org.spice.protocol.client.ClientSession;
import org.spice.usbredir.api.MassStorage;
import org.spice.usbredir.api.UsbDevice;
import org.spice.usbredir.api.UsbSharing;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code spice usb-share [--usb-disk FILE] [--usb-cdrom FILE.iso] URI}: shares emulated USB mass-storage devices
 * over the server's usbredir channels, one device a channel in the order the server lists them, until killed or
 * until the server disconnects.
 */
@Command(name = "usb-share", mixinStandardHelpOptions = true,
        description = "Share emulated USB mass-storage devices over the usbredir channels until killed.",
        footer = {"", "Example: spice usb-share --usb-cdrom boot.iso spice://127.0.0.1:5900"})
final class UsbShareCommand implements Callable<Integer> {
    private final Runtime rt;
    @Mixin
    SpiceCli.ClientAuth auth = new SpiceCli.ClientAuth();

    @Option(names = "--usb-disk", paramLabel = "FILE", description = "A disk image to share as a USB disk.")
    List<Path> disks = new ArrayList<>();

    @Option(names = "--usb-cdrom", paramLabel = "FILE.iso", description = "An ISO image to share as a USB CD-ROM.")
    List<Path> cdroms = new ArrayList<>();

    @Option(names = "--read-only", description = "Share disks read-only.")
    boolean readOnly;

    @Option(names = "--seconds", description = "Stop after this many seconds (default: share until killed).")
    int seconds;

    @Parameters(index = "0", paramLabel = "URI", description = "spice://HOST:PORT[?tls-port=P] or spice+tls://HOST:PORT")
    String uri;

    UsbShareCommand(Runtime rt) {
        this.rt = rt;
    }

    @Override
    public Integer call() throws Exception {
        SpiceUri u;
        List<UsbDevice> devices = new ArrayList<>();
        try {
            u = SpiceUri.parse(uri);
            if (disks.isEmpty() && cdroms.isEmpty()) {
                throw new IllegalArgumentException("give --usb-disk FILE or --usb-cdrom FILE.iso");
            }
            for (Path p : disks) {
                if (!Files.isReadable(p)) {
                    throw new IllegalArgumentException("--usb-disk " + p + ": no such readable file");
                }
                devices.add(MassStorage.disk(p, readOnly));
            }
            for (Path p : cdroms) {
                if (!Files.isReadable(p)) {
                    throw new IllegalArgumentException("--usb-cdrom " + p + ": no such readable file");
                }
                devices.add(MassStorage.cdrom(p));
            }
        } catch (IllegalArgumentException | java.io.IOException e) {
            rt.err().println("error: " + e.getMessage());
            return SpiceCli.EXIT_USAGE;
        }
        ServiceTracker<UsbSharing, UsbSharing> t = new ServiceTracker<>(rt.context(), UsbSharing.class, null);
        t.open();
        ClientSession session = null;
        try {
            UsbSharing sharing = t.waitForService(10_000);
            if (sharing == null) {
                rt.err().println("error: the usbredir bundle is not running");
                return 1;
            }
            List<UsbSharing.SharedDevice> shared = new ArrayList<>();
            try {
                session = rt.client().connect(u, auth.options(rt, u).withConnectChannels(false)).get();
                List<Integer> ids = session.main().channels().stream().filter(c -> c.type() == ChannelType.USBREDIR)
                        .map(c -> c.id()).sorted().toList();
                if (ids.size() < devices.size()) {
                    rt.err().println("error: " + u + " offers " + ids.size() + " usbredir channel"
                            + (ids.size() == 1 ? "" : "s") + " for " + devices.size() + " device"
                            + (devices.size() == 1 ? "" : "s"));
                    return SpiceCli.EXIT_CONNECT;
                }
                for (int i = 0; i < devices.size(); i++) {
                    shared.add(sharing.share(session, ids.get(i), devices.get(i)));
                    session.link(ChannelType.USBREDIR, ids.get(i)).get(auth.timeoutSeconds(), TimeUnit.SECONDS);
                }
                for (int i = 0; i < shared.size(); i++) {
                    shared.get(i).connected().get(auth.timeoutSeconds(), TimeUnit.SECONDS);
                    rt.out().println("sharing " + devices.get(i).describe() + " on usbredir:" + ids.get(i));
                }
            } catch (ExecutionException e) {
                return SpiceCli.ProbeCommand.failure(rt, e.getCause());
            } catch (TimeoutException e) {
                return SpiceCli.ProbeCommand.failure(rt, new TimeoutException("the usbredir channel did not link"
                        + " within " + auth.timeoutSeconds() + " s"));
            }
            long end = seconds > 0 ? System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds) : Long.MAX_VALUE;
            boolean[] said = new boolean[shared.size()];
            while (System.nanoTime() < end && !session.closed().isDone()
                    && shared.stream().anyMatch(s -> !s.closed().isDone())) {
                for (int i = 0; i < shared.size(); i++) {
                    if (!said[i] && shared.get(i).configured().isDone()
                            && !shared.get(i).configured().isCompletedExceptionally()) {
                        said[i] = true;
                        rt.out().println("the guest configured " + devices.get(i).describe());
                    }
                }
                Thread.sleep(100);
            }
            for (int i = 0; i < shared.size(); i++) {
                rt.out().println(devices.get(i).describe() + ": " + shared.get(i).transfers() + " transfers");
            }
            return 0;
        } finally {
            if (session != null) {
                session.close();
                try {
                    session.closed().get(2, TimeUnit.SECONDS);
                } catch (TimeoutException | ExecutionException ignored) {
                    // the process ends anyway
                }
            }
            for (UsbDevice d : devices) {
                if (d instanceof AutoCloseable c) {
                    c.close();
                }
            }
            t.close();
        }
    }
}
