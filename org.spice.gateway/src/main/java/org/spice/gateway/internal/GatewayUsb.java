package org.spice.gateway.internal;

import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import java.util.function.LongPredicate;
import org.spice.usbredir.api.RedirectedUsbDevice;
import org.spice.usbredir.api.UsbDevice;
import org.spice.usbredir.api.UsbDeviceAdmission;
import org.spice.usbredir.api.UsbIdentity;
import org.spice.usbredir.api.UsbSharing.SharedDevice;
import org.spice.usbredir.api.UsbTransfer;

/**
 * USB devices viewers redirect to this runtime's server ({@link RedirectedUsbDevice}), shared on to the VM's usbredir
 * channels while their viewer controls the VM (the {@link GatewayInputs#controls} rule). A watcher's device is
 * refused as a filter refuses it (this is the server's {@link UsbDeviceAdmission}), so the viewer shows it as not
 * accepted. The gateway reads a device's descriptors (device, configuration, its strings) before sharing it, and
 * passes control, bulk, interrupt, set-configuration and alternate-setting requests on; isochronous transfers are
 * not (the usbredir channel answers their streams INVAL, and the gateway logs a device with isochronous endpoints).
 * A device the viewer removes, a viewer that leaves or loses control, unshares it; a new VM session shares every
 * controller's device again, one per usbredir channel of the VM.
 *
 * <p>Every change is worked out by {@link #reconcile()} on the gateway's executor, which the gateway also runs every
 * second.
 */
final class GatewayUsb implements UsbDeviceAdmission {
    private static final System.Logger LOG = System.getLogger("org.spice.gateway");
    /** How long a set-configuration or alternate-setting request waits for the viewer's device. */
    static final long REQUEST_SECONDS = 5;
    private static final int STRING_MAX = 255;

    /** Shares a device on one of the VM's usbredir channels. */
    interface Sharer {
        SharedDevice share(int channelId, UsbDevice device);
    }

    private final LongPredicate controls;
    private final LongFunction<String> watchReason;
    private final Executor executor;
    /** Viewers' devices, each with its descriptors once read (null when they could not be). */
    private final Map<RedirectedUsbDevice, CompletableFuture<RelayedUsbDevice>> devices = new ConcurrentHashMap<>();
    /** Executor only from here on. */
    private Sharer sharer;
    private List<Integer> channels = List.of();
    private final Map<RedirectedUsbDevice, Shared> shared = new HashMap<>();
    private final Set<RedirectedUsbDevice> toldNoChannel = new HashSet<>();

    private record Shared(int channelId, SharedDevice device) {
    }

    GatewayUsb(LongPredicate controls, LongFunction<String> watchReason, Executor executor) {
        this.controls = controls;
        this.watchReason = watchReason;
        this.executor = executor;
    }

    @Override
    public Optional<String> refusal(long connectionId, int channelId, UsbIdentity identity) {
        if (controls.test(connectionId)) {
            return Optional.empty();
        }
        String why = watchReason.apply(connectionId) + "; the gateway takes USB devices from the controlling viewer"
                + " only";
        LOG.log(Level.INFO, "gateway: refusing viewer 0x" + Long.toHexString(connectionId) + "'s USB "
                + identity.ids() + ": " + why);
        return Optional.of(why);
    }

    /** A viewer's device is connected to our server; any thread. */
    void added(RedirectedUsbDevice d) {
        CompletableFuture<RelayedUsbDevice> read = RelayedUsbDevice.read(d).exceptionally(e -> {
            LOG.log(Level.WARNING, "gateway: cannot read the descriptors of " + describe(d) + ": " + e.getMessage()
                    + "; it is not shared with the VM");
            return null;
        });
        devices.put(d, read);
        read.whenComplete((r, e) -> changed());
    }

    /** A viewer's device is gone; any thread. */
    void removed(RedirectedUsbDevice d) {
        devices.remove(d);
        changed();
    }

    private void changed() {
        executor.execute(this::reconcile);
    }

    /** The VM's session has usbredir channels {@code channelIds}, shared on through {@code s}; executor only. */
    void attached(List<Integer> channelIds, Sharer s) {
        channels = List.copyOf(channelIds);
        sharer = s;
        reconcile();
    }

    /** The VM's session ended, and its devices with it; executor only. */
    void detached() {
        sharer = null;
        channels = List.of();
        shared.clear();
        toldNoChannel.clear();
    }

    /** Shares the controllers' devices with the VM and unshares every other; executor only. */
    void reconcile() {
        for (RedirectedUsbDevice d : List.copyOf(shared.keySet())) {
            String why = !devices.containsKey(d) || !d.isConnected() ? "the viewer removed it"
                    : !controls.test(d.connectionId()) ? watchReason.apply(d.connectionId()) : null;
            if (why != null) {
                unshare(d, why);
            }
        }
        toldNoChannel.retainAll(devices.keySet());
        for (Map.Entry<RedirectedUsbDevice, CompletableFuture<RelayedUsbDevice>> e : devices.entrySet()) {
            RedirectedUsbDevice d = e.getKey();
            RelayedUsbDevice relayed = e.getValue().getNow(null);
            if (shared.containsKey(d) || sharer == null || relayed == null || !d.isConnected()
                    || !controls.test(d.connectionId())) {
                continue;
            }
            Set<Integer> free = new LinkedHashSet<>(channels);
            shared.values().forEach(s -> free.remove(s.channelId()));
            if (free.isEmpty()) {
                if (toldNoChannel.add(d)) {
                    LOG.log(Level.WARNING, "gateway: " + describe(d) + " is not shared with the VM: each of its "
                            + channels.size() + " usbredir channels shares another device");
                }
                continue;
            }
            int channel = free.iterator().next();
            try {
                SharedDevice s = sharer.share(channel, relayed);
                shared.put(d, new Shared(channel, s));
                LOG.log(Level.INFO, "gateway: " + describe(d) + " is shared with the VM on usbredir:" + channel);
                s.closed().whenComplete((v, failure) -> {
                    if (failure != null) {
                        LOG.log(Level.WARNING, "gateway: the VM did not take " + describe(d) + ": "
                                + failure.getMessage());
                    }
                });
            } catch (IllegalStateException busy) {
                LOG.log(Level.WARNING, "gateway: " + describe(d) + " is not shared with the VM: " + busy.getMessage());
            }
        }
    }

    private void unshare(RedirectedUsbDevice d, String why) {
        Shared s = shared.remove(d);
        LOG.log(Level.INFO, "gateway: " + describe(d) + " is unshared from the VM: " + why);
        s.device().remove();
    }

    /** Unshares every device; executor only. */
    void close() {
        for (RedirectedUsbDevice d : List.copyOf(shared.keySet())) {
            unshare(d, "the gateway stops");
        }
    }

    static String describe(RedirectedUsbDevice d) {
        return "viewer 0x" + Long.toHexString(d.connectionId()) + "'s USB " + d.identity().ids();
    }

    /** A viewer's device as the VM's usbredir channel sees it: descriptors read once, requests passed on. */
    static final class RelayedUsbDevice implements UsbDevice {
        private final RedirectedUsbDevice device;
        private final byte[] deviceDescriptor;
        private final byte[] configuration;
        private final Map<Integer, String> strings;

        private RelayedUsbDevice(RedirectedUsbDevice device, byte[] deviceDescriptor, byte[] configuration,
                Map<Integer, String> strings) {
            this.device = device;
            this.deviceDescriptor = deviceDescriptor;
            this.configuration = configuration;
            this.strings = Map.copyOf(strings);
        }

        /** Reads the device's descriptors: the device descriptor, configuration 1 whole, and the strings they name. */
        static CompletableFuture<RelayedUsbDevice> read(RedirectedUsbDevice d) {
            if (d.endpoints().stream().anyMatch(e -> e.type() == 1)) {
                LOG.log(Level.WARNING, "gateway: " + GatewayUsb.describe(d) + " has isochronous endpoints: their"
                        + " transfers are not relayed");
            }
            return descriptor(d, 1, 0, 18).thenCompose(dev -> {
                if (dev.length < 18) {
                    throw new IllegalStateException("a device descriptor of " + dev.length + " bytes");
                }
                return descriptor(d, 2, 0, 9).thenCompose(head -> {
                    int total = head.length < 4 ? 0 : (head[2] & 0xff) | (head[3] & 0xff) << 8;
                    if (total < 9) {
                        throw new IllegalStateException("a configuration descriptor of " + total + " bytes");
                    }
                    return descriptor(d, 2, 0, total);
                }).thenCompose(config -> {
                    Set<Integer> indexes = new LinkedHashSet<>(List.of(dev[14] & 0xff, dev[15] & 0xff,
                            dev[16] & 0xff));
                    if (config.length > 6) {
                        indexes.add(config[6] & 0xff);
                    }
                    for (int i = 0; i + 8 < config.length && (config[i] & 0xff) >= 2; i += config[i] & 0xff) {
                        if (config[i + 1] == 4) {
                            indexes.add(config[i + 8] & 0xff);
                        }
                    }
                    indexes.remove(0);
                    Map<Integer, String> strings = new ConcurrentHashMap<>();
                    List<CompletableFuture<Void>> reads = new ArrayList<>();
                    for (int index : indexes) {
                        reads.add(descriptor(d, 3, index, STRING_MAX).handle((s, e) -> {
                            if (s != null && s.length >= 2) {
                                int n = Math.min(s.length, s[0] & 0xff) & ~1;
                                strings.put(index, new String(s, 2, Math.max(0, n - 2), StandardCharsets.UTF_16LE));
                            }
                            return null;
                        }));
                    }
                    return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new))
                            .thenApply(v -> new RelayedUsbDevice(d, Arrays.copyOf(dev, 18), config, strings));
                });
            });
        }

        private static CompletableFuture<byte[]> descriptor(RedirectedUsbDevice d, int type, int index, int length) {
            return d.descriptor(type, index, length).thenApply(t -> {
                if (!t.succeeded()) {
                    throw new IllegalStateException("GET_DESCRIPTOR " + type + "/" + index + " failed with status "
                            + t.status());
                }
                return t.data();
            });
        }

        @Override
        public int speed() {
            return device.speed();
        }

        @Override
        public byte[] deviceDescriptor() {
            return deviceDescriptor.clone();
        }

        @Override
        public byte[] configurationDescriptor() {
            return configuration.clone();
        }

        @Override
        public String string(int index) {
            return strings.get(index);
        }

        @Override
        public CompletableFuture<UsbTransfer> control(int requestType, int request, int value, int index, int length,
                byte[] dataOut) {
            return device.control(requestType, request, value, index, length, dataOut);
        }

        @Override
        public CompletableFuture<UsbTransfer> bulk(int endpoint, byte[] dataOut, int lengthIn) {
            return device.bulk(endpoint, dataOut, lengthIn);
        }

        @Override
        public CompletableFuture<UsbTransfer> interrupt(int endpoint, byte[] dataOut, int lengthIn) {
            return device.interrupt(endpoint, dataOut, lengthIn);
        }

        /** Called on the VM channel's thread; the viewer's device answers on the server's, so waiting is safe. */
        @Override
        public UsbTransfer setConfiguration(int value) {
            try {
                device.setConfiguration(value).get(REQUEST_SECONDS, TimeUnit.SECONDS);
                return UsbTransfer.ok();
            } catch (Exception e) {
                LOG.log(Level.WARNING, "gateway: configuration " + value + " of " + describe() + " failed: " + e);
                return UsbTransfer.stall();
            }
        }

        @Override
        public UsbTransfer setInterface(int number, int alt) {
            try {
                int now = device.setAltSetting(number, alt).get(REQUEST_SECONDS, TimeUnit.SECONDS);
                return now == alt ? UsbTransfer.ok() : UsbTransfer.stall();
            } catch (Exception e) {
                LOG.log(Level.WARNING, "gateway: alternate setting " + alt + " of interface " + number + " of "
                        + describe() + " failed: " + e);
                return UsbTransfer.stall();
            }
        }

        @Override
        public String describe() {
            return GatewayUsb.describe(device);
        }
    }
}
