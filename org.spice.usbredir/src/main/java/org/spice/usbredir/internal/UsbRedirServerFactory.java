package org.spice.usbredir.internal;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.spice.protocol.Capabilities;
import org.spice.protocol.ChannelType;
import org.spice.protocol.spi.ChannelHandler;
import org.spice.protocol.spi.ServerChannelContext;
import org.spice.protocol.spi.ServerChannelFactory;
import org.spice.protocol.spi.SpiceChannel;
import org.spice.usbredir.api.RedirectedUsbDevice;
import org.spice.usbredir.api.RedirectedUsbDevices;
import org.spice.usbredir.api.UsbDeviceAdmission;
import org.spice.usbredir.api.UsbIdentity;
import org.spice.usbredir.api.UsbRedirFilter;
import org.spice.usbredir.api.UsbTransfer;

/**
 * The server side of the usbredir channel: the usbredir "guest" that drives a device a client redirects. Each
 * connected device is listed by {@link #devices()} and, under OSGi, registered as a {@link RedirectedUsbDevice}
 * service until it disconnects. A configured filter is sent to clients and applied to each device_connect, as
 * QEMU's usb-redir does: a refused device gets a filter_reject and a log line. Several requests may be outstanding;
 * when the device goes, those still pending complete with {@link UsbTransfer#CANCELLED}, and the channel takes the
 * next device.
 */
@Component(configurationPid = UsbRedirServerConfig.PID)
@SpiceChannel(type = ChannelType.USBREDIR)
@Designate(ocd = UsbRedirServerConfig.class)
public final class UsbRedirServerFactory implements ServerChannelFactory, RedirectedUsbDevices {
    /** What a pending request completes with when its device goes. */
    static final Object GONE = new Object();
    final List<RedirectedUsbDevice> devices = new CopyOnWriteArrayList<>();
    final BundleContext bundleContext;
    final UsbRedirFilter filter;
    /** Admission services: a device any of them refuses is refused. */
    final List<UsbDeviceAdmission> admissions = new CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addAdmission(UsbDeviceAdmission a) {
        admissions.add(a);
    }

    void removeAdmission(UsbDeviceAdmission a) {
        admissions.remove(a);
    }

    /** Why a device is refused by an admission service, or empty. */
    Optional<String> refusal(long connectionId, int channelId, UsbIdentity identity) {
        for (UsbDeviceAdmission a : admissions) {
            Optional<String> why = a.refusal(connectionId, channelId, identity);
            if (why.isPresent()) {
                return why;
            }
        }
        return Optional.empty();
    }

    @Activate
    public UsbRedirServerFactory(BundleContext bundleContext, UsbRedirServerConfig config) {
        this.bundleContext = bundleContext;
        this.filter = UsbRedirFilter.parse(config.filter());
    }

    private UsbRedirServerFactory(UsbRedirFilter filter) {
        this.bundleContext = null;
        this.filter = filter;
    }

    /** Outside a framework: no services, devices accepted by {@code filter} (empty: all). */
    public static UsbRedirServerFactory withoutFramework(UsbRedirFilter filter) {
        return new UsbRedirServerFactory(filter);
    }

    @Override
    public Capabilities channelCapabilities() {
        return Capabilities.NONE; // no LZ4
    }

    @Override
    public List<RedirectedUsbDevice> devices() {
        return List.copyOf(devices);
    }

    @Override
    public ChannelHandler open(ServerChannelContext ctx) {
        return new UsbRedirServerChannel(this, ctx);
    }
}
