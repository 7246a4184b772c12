package org.spice.usbredir.internal.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.osgi.service.component.annotations.Component;
import org.osgi.util.tracker.ServiceTracker;
import org.spice.cli.ClientCommand;
import org.spice.cli.CommandContext;
import org.spice.cli.CommandProvider;
import org.spice.cli.ExitCodes;
import org.spice.protocol.ChannelType;
import org.spice.protocol.SpiceUri;
import org.spice.protocol.client.ClientSession;
import org.spice.usbredir.api.HostUsbDevices;
import org.spice.usbredir.api.HostUsbDevices.HostUsbDevice;
import org.spice.usbredir.api.MassStorage;
import org.spice.usbredir.api.UsbDevice;
import org.spice.usbredir.api.UsbRedirFilter;
import org.spice.usbredir.api.UsbSharing;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code spice usb-share [--usb-disk FILE] [--usb-cdrom FILE.iso] [--usb-device VID:PID|BUS-ADDR] URI}: shares
 * emulated USB mass-storage devices and devices plugged into this machine over the server's usbredir channels, one
 * device a channel in the order the server lists them, until killed or until the server disconnects. The filters
 * pick host devices as spice-gtk's options of the same names do: present at connect
 * ({@code --usbredir-redirect-on-connect}) or plugged in later ({@code --usbredir-auto-redirect-filter}).
 * {@code --list} prints the host devices.
 */
@Command(name = "usb-share", mixinStandardHelpOptions = true,
        description = "Share USB devices (emulated disks and CD-ROMs, host devices) over the usbredir channels until"
                + " killed.",
        footer = {"", "Examples: spice usb-share --usb-cdrom boot.iso spice://127.0.0.1:5900",
            "          spice usb-share --list",
            "          spice usb-share --usb-device 0781:5567 spice://127.0.0.1:5900",
            "          spice usb-share --usbredir-auto-redirect-filter '0x08,-1,-1,-1,1|-1,-1,-1,-1,0' spice://..."})
public final class UsbShareCommand extends ClientCommand<UsbSharing> {
    private static final String HOST_BUNDLE = "org.spice.usbredir.host";

    @Option(names = "--usb-disk", paramLabel = "FILE", description = "A disk image to share as a USB disk.")
    List<Path> disks = new ArrayList<>();

    @Option(names = "--usb-cdrom", paramLabel = "FILE.iso", description = "An ISO image to share as a USB CD-ROM.")
    List<Path> cdroms = new ArrayList<>();

    @Option(names = "--read-only", description = "Share disks read-only.")
    boolean readOnly;

    @Option(names = "--usb-device", paramLabel = "VID:PID|BUS-ADDR",
            description = "A device plugged into this machine, by hex ids (as lsusb prints them) or bus and address.")
    List<String> hostSpecs = new ArrayList<>();

    @Option(names = "--usbredir-redirect-on-connect", paramLabel = "FILTER",
            description = "Share the host devices present at connect that this filter allows (rules"
                    + " class,vendor,product,version,allow separated by |, -1 for any).")
    String onConnectFilter;

    @Option(names = "--usbredir-auto-redirect-filter", paramLabel = "FILTER",
            description = "Share host devices plugged in while connected that this filter allows.")
    String autoFilter;

    @Option(names = "--list", help = true, description = "Print the host USB devices and exit.")
    boolean list;

    @Option(names = "--seconds", description = "Stop after this many seconds (default: share until killed).")
    int seconds;

    private UsbRedirFilter onConnect;
    private UsbRedirFilter auto;

    UsbShareCommand(CommandContext rt) {
        super(rt, UsbSharing.class, "usbredir (org.spice.usbredir)");
    }

    @Override
    protected Integer withoutServer() throws Exception {
        if (!list) {
            return null;
        }
        ServiceTracker<HostUsbDevices, HostUsbDevices> t = new ServiceTracker<>(rt.context(), HostUsbDevices.class,
                null);
        t.open();
        try {
            HostUsbDevices host = t.waitForService(5_000);
            if (host == null) {
                rt.err().println("error: host USB devices are not available: the " + HOST_BUNDLE
                        + " bundle is not running");
                return 1;
            }
            List<HostUsbDevice> all = host.devices();
            all.forEach(d -> rt.out().println(d));
            rt.out().println(all.size() + " host USB device" + (all.size() == 1 ? "" : "s"));
            return 0;
        } finally {
            t.close();
        }
    }

    @Override
    protected void validate() throws IOException {
        onConnect = onConnectFilter == null ? null : filter("--usbredir-redirect-on-connect", onConnectFilter);
        auto = autoFilter == null ? null : filter("--usbredir-auto-redirect-filter", autoFilter);
        if (disks.isEmpty() && cdroms.isEmpty() && hostSpecs.isEmpty() && onConnect == null && auto == null) {
            throw new IllegalArgumentException("give --usb-disk FILE, --usb-cdrom FILE.iso, --usb-device VID:PID or a"
                    + " filter");
        }
        for (Path p : disks) {
            readable("--usb-disk", p);
        }
        for (Path p : cdroms) {
            readable("--usb-cdrom", p);
        }
    }

    private static UsbRedirFilter filter(String option, String rules) {
        try {
            return UsbRedirFilter.parse(rules);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage());
        }
    }

    private static void readable(String option, Path p) {
        if (!Files.isReadable(p)) {
            throw new IllegalArgumentException(option + " " + p + ": no such readable file");
        }
    }

    @Override
    protected int run(UsbSharing sharing, ClientSession session, SpiceUri u) throws Exception {
        List<Integer> channels = session.main().channels().stream().filter(c -> c.type() == ChannelType.USBREDIR)
                .map(c -> c.id()).sorted().toList();
        // tracked only when host devices are asked for: tracking gets the service, which starts libusb
        ServiceTracker<HostUsbDevices, HostUsbDevices> hostTracker = new ServiceTracker<>(rt.context(),
                HostUsbDevices.class, null);
        Map<Integer, UsbSharing.SharedDevice> shared = new LinkedHashMap<>();
        Map<UsbSharing.SharedDevice, HostUsbDevice> fromHost = new LinkedHashMap<>();
        List<UsbDevice> opened = new ArrayList<>();
        try {
            List<UsbDevice> devices = new ArrayList<>();
            for (Path p : disks) {
                devices.add(remember(opened, MassStorage.disk(p, readOnly)));
            }
            for (Path p : cdroms) {
                devices.add(remember(opened, MassStorage.cdrom(p)));
            }
            HostUsbDevices host = null;
            List<HostUsbDevice> present = List.of();
            if (!hostSpecs.isEmpty() || onConnect != null || auto != null) {
                hostTracker.open();
                host = hostTracker.waitForService(5_000);
                if (host == null) {
                    rt.err().println("error: host USB devices are not available: the " + HOST_BUNDLE
                            + " bundle is not running");
                    return 1;
                }
                present = host.devices();
            }
            List<HostUsbDevice> chosen = new ArrayList<>();
            for (String spec : hostSpecs) {
                HostUsbDevice d = present.stream().filter(h -> h.matches(spec)).findFirst().orElseThrow(
                        () -> new NoSuchElementException("no host USB device matches " + spec + " (--list shows"
                                + " them)"));
                chosen.add(d);
            }
            if (onConnect != null) {
                present.stream().filter(h -> !chosen.contains(h) && onConnect.allows(h.identity(), 0))
                        .forEach(chosen::add);
            }
            if (channels.size() < devices.size() + chosen.size()) {
                rt.err().println("error: " + u + " offers " + channels.size() + " usbredir channel"
                        + (channels.size() == 1 ? "" : "s") + " for " + (devices.size() + chosen.size()) + " device"
                        + (devices.size() + chosen.size() == 1 ? "" : "s"));
                return ExitCodes.CONNECT;
            }
            for (HostUsbDevice h : chosen) {
                UsbDevice d = remember(opened, host.open(h));
                devices.add(d);
            }
            for (int i = 0; i < devices.size(); i++) {
                int id = channels.get(i);
                UsbSharing.SharedDevice s = sharing.share(session, id, devices.get(i));
                shared.put(id, s);
                if (i >= devices.size() - chosen.size()) {
                    fromHost.put(s, chosen.get(i - (devices.size() - chosen.size())));
                }
                await(session.link(ChannelType.USBREDIR, id), "the usbredir channel did not link");
            }
            for (Map.Entry<Integer, UsbSharing.SharedDevice> e : shared.entrySet()) {
                UsbSharing.SharedDevice s = e.getValue();
                String refused = awaitTaken(s);
                if (refused != null) {
                    rt.err().println("error: " + refused);
                    return 1;
                }
                rt.out().println("sharing " + s.device().describe() + " on usbredir:" + e.getKey());
            }
            Set<String> seen = new HashSet<>();
            present.forEach(h -> seen.add(h.location()));
            shared.values().forEach(this::tellConfigured);
            long end = seconds > 0 ? System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds) : Long.MAX_VALUE;
            CompletableFuture<Void> sessionEnded = session.closed().handle((v, e) -> null);
            while (true) {
                // without auto-redirect the sharing ends with the session or its last device; with it, host
                // devices are looked at again every second (HostUsbDevices has no plug events)
                CompletableFuture<?> ended = auto != null ? sessionEnded : CompletableFuture.anyOf(sessionEnded,
                        CompletableFuture.allOf(shared.values().stream().map(x -> x.closed().handle((v, e) -> null))
                                .toArray(CompletableFuture[]::new)));
                long left = end - System.nanoTime();
                try {
                    ended.get(auto != null ? Math.min(left, TimeUnit.SECONDS.toNanos(1)) : left, TimeUnit.NANOSECONDS);
                    break;
                } catch (TimeoutException e) {
                    if (System.nanoTime() >= end) {
                        break;
                    }
                }
                autoRedirect(sharing, session, host, channels, shared, fromHost, opened, seen);
            }
            int exit = 0;
            for (UsbSharing.SharedDevice s : shared.values()) {
                rt.out().println(s.device().describe() + ": " + s.transfers() + " transfers");
                if (s.closed().isCompletedExceptionally()) {
                    rt.err().println("error: " + s.closed().handle((v, e) -> e.getMessage()).join());
                    exit = 1;
                }
            }
            return exit;
        } finally {
            for (UsbSharing.SharedDevice s : shared.values()) {
                try {
                    s.remove().get(2, TimeUnit.SECONDS); // transfers cancelled before the device is closed
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    // closing anyway
                }
            }
            for (UsbDevice d : opened) {
                if (d instanceof AutoCloseable c) {
                    c.close();
                }
            }
            hostTracker.close();
        }
    }

    /**
     * Shares host devices plugged in since the last look that the auto-redirect filter allows, on a free channel;
     * gives up host devices that were unplugged.
     */
    private void autoRedirect(UsbSharing sharing, ClientSession session, HostUsbDevices host, List<Integer> channels,
            Map<Integer, UsbSharing.SharedDevice> shared, Map<UsbSharing.SharedDevice, HostUsbDevice> fromHost,
            List<UsbDevice> opened, Set<String> seen) throws Exception {
        List<HostUsbDevice> now = host.devices();
        Set<String> here = new HashSet<>();
        now.forEach(h -> here.add(h.location()));
        for (Map.Entry<UsbSharing.SharedDevice, HostUsbDevice> e : List.copyOf(fromHost.entrySet())) {
            if (!here.contains(e.getValue().location()) && !e.getKey().closed().isDone()) {
                rt.out().println("unplugged: " + e.getKey().device().describe());
                e.getKey().remove();
            }
        }
        for (HostUsbDevice h : now) {
            if (!seen.add(h.location()) || !auto.allows(h.identity(), 0)) {
                continue;
            }
            Integer free = channels.stream().filter(id -> !shared.containsKey(id) || shared.get(id).closed().isDone())
                    .findFirst().orElse(null);
            if (free == null) {
                rt.out().println("no free usbredir channel for " + h);
                continue;
            }
            UsbDevice d;
            try {
                d = remember(opened, host.open(h));
            } catch (IOException e) {
                rt.out().println("cannot share " + h + ": " + e.getMessage());
                continue;
            }
            boolean linked = shared.containsKey(free);
            UsbSharing.SharedDevice s = sharing.share(session, free, d);
            shared.put(free, s);
            fromHost.put(s, h);
            tellConfigured(s);
            if (!linked) {
                await(session.link(ChannelType.USBREDIR, free), "the usbredir channel did not link");
            }
            String refused = awaitTaken(s);
            rt.out().println(refused != null ? "not shared: " + refused : "sharing " + d.describe() + " on usbredir:"
                    + free);
        }
    }

    /** Prints a line when the guest configures {@code s}. */
    private void tellConfigured(UsbSharing.SharedDevice s) {
        s.configured().thenRun(() -> rt.out().println("the guest configured " + s.device().describe()));
    }

    /**
     * Waits until the server took {@code s} (device_connect sent) or it was refused or its channel closed first;
     * returns why it was not taken, or null.
     */
    private String awaitTaken(UsbSharing.SharedDevice s) throws Exception {
        CompletableFuture<Void> settled = new CompletableFuture<>();
        s.connected().thenRun(() -> settled.complete(null));
        s.closed().whenComplete((v, x) -> settled.complete(null));
        await(settled, "the server did not take " + s.device().describe());
        if (!s.closed().isDone()) {
            return null;
        }
        return s.closed().handle((v, x) -> x != null ? x.getMessage()
                : "the usbredir channel closed before " + s.device().describe() + " was shared").join();
    }

    private static UsbDevice remember(List<UsbDevice> opened, UsbDevice d) {
        opened.add(d);
        return d;
    }

    /** Contributes {@code spice usb-share} while this bundle runs. */
    @Component
    public static final class Provider implements CommandProvider {
        @Override
        public String name() {
            return "usb-share";
        }

        @Override
        public Object command(CommandContext context) {
            return new UsbShareCommand(context);
        }
    }
}
