package org.spice.gateway.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.spice.agent.api.ClientAgents;
import org.spice.agent.api.ServerClipboard;
import org.spice.cursor.api.ClientCursors;
import org.spice.display.api.ClientDisplays;
import org.spice.desktop.DisplaySource;
import org.spice.inputs.api.ClientInputs;
import org.spice.desktop.InputSink;
import org.spice.playback.api.AudioSource;
import org.spice.playback.api.ClientPlaybacks;
import org.spice.protocol.SpiceUri;
import org.spice.protocol.client.ClientOptions;
import org.spice.protocol.client.SpiceClient;
import org.spice.protocol.server.SpiceServer;
import org.spice.protocol.wire.Link;
import org.spice.record.api.AudioSink;
import org.spice.record.api.ClientRecords;
import org.spice.smartcard.api.RemoteSmartcard;
import org.spice.smartcard.api.SmartcardSharing;
import org.spice.tunnel.api.ClientPorts;
import org.spice.tunnel.api.ServerPort;
import org.spice.usbredir.api.RedirectedUsbDevice;
import org.spice.usbredir.api.UsbDeviceAdmission;
import org.spice.usbredir.api.UsbSharing;

/**
 * One gateway per configuration of factory PID {@value GatewayConfig#PID}: a client session to the VM
 * ({@link Upstream}) whose picture is registered as a {@link DisplaySource} named by the configuration, and an
 * {@link InputSink} that sends the viewers' input to the VM, the VM's sound as the highest-ranked
 * {@link AudioSource} for every viewer, the highest-ranked record {@link AudioSink}, which sends the microphone
 * of the viewer holding the record floor to the VM, the highest-ranked {@link ServerClipboard}, the VM's, each port
 * the VM offers as a {@link ServerPort} of the same name relayed to the controlling viewer ({@link GatewayPorts}),
 * and the controlling viewer's smart cards and USB devices presented to the VM ({@link GatewaySmartcards},
 * {@link GatewayUsb}). This runtime's SPICE server serves the viewers: its display shows the source when configured
 * with {@code source=service:NAME}, and encodes the picture for each viewer as that viewer's capabilities allow.
 */
@Component(configurationPid = GatewayConfig.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true)
@Designate(ocd = GatewayConfig.class, factory = true)
public final class Gateway {
    private static final System.Logger LOG = System.getLogger("org.spice.gateway");

    private final ScheduledExecutorService executor;
    private final Upstream upstream;
    private final ServiceRegistration<DisplaySource> sourceRegistration;
    private final ServiceRegistration<InputSink> inputRegistration;
    private final ServiceRegistration<AudioSource> audioRegistration;
    private final ServiceRegistration<AudioSink> recordRegistration;
    private final ServiceRegistration<ServerClipboard> clipboardRegistration;
    private final Recorder recorder;
    private final GatewayPorts relayedPorts;
    private final GatewaySmartcards relayedCards;
    private final GatewayUsb relayedUsb;
    private final ServiceRegistration<UsbDeviceAdmission> usbAdmission;
    /**
     * Above the playback bundle's demo tone, so viewers hear the VM or silence, never the tone; above the record
     * bundle's WAV files, so viewers' microphones go to the VM; and above the agent bundle's clipboard (the host's or
     * one in memory), so viewers share the VM's.
     */
    static final int AUDIO_RANKING = 100;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile SpiceServer server;

    @Activate
    public Gateway(GatewayConfig config, BundleContext context, @Reference SpiceClient client,
            @Reference ClientDisplays displays, @Reference ClientInputs inputs,
            @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
            ClientCursors cursors,
            @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
            ClientPlaybacks playbacks,
            @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
            ClientRecords records,
            @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
            ClientAgents agents,
            @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
            ClientPorts ports,
            @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
            SmartcardSharing smartcards,
            @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
            UsbSharing usb) throws IOException {
        SpiceUri target = SpiceUri.parse(config.target());
        Control control = Control.parse(config.control());
        RecordFloor.Rule floorRule = RecordFloor.Rule.forControl(config.record_floor(), control);
        ClientOptions options = ClientOptions.defaults().withPassword(password(config.target_password_file()))
                .withTimeout(Duration.ofSeconds(Math.max(1, config.timeout_seconds())));
        if (!config.target_ca_file().isBlank() || !config.target_host_subject().isBlank()) {
            options = options.withTls(config.target_ca_file().isBlank() ? null : Path.of(config.target_ca_file()),
                    config.target_host_subject().isBlank() ? null : config.target_host_subject());
        }
        String name = config.name();
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "spice-gateway-" + name);
            t.setDaemon(true);
            return t;
        });
        GatewaySource source = new GatewaySource(executor);
        GatewayInputs sink = new GatewayInputs(control, this::viewers, source);
        GatewayAudio audio = new GatewayAudio();
        GatewayClipboard clipboard = new GatewayClipboard(sink::controls);
        GatewayRecord record = new GatewayRecord(new RecordFloor(floorRule, sink::controller,
                GatewayRecord.IDLE_NANOS), System::nanoTime);
        relayedPorts = new GatewayPorts(sink::controls, sink::watchReason, port -> {
            Hashtable<String, Object> p = new Hashtable<>();
            p.put(ServerPort.NAME, port.name());
            return context.registerService(ServerPort.class, port, p)::unregister;
        });
        relayedCards = new GatewaySmartcards(sink::controls, sink::watchReason, executor);
        relayedUsb = new GatewayUsb(sink::controls, sink::watchReason, executor);
        executor.scheduleWithFixedDelay(() -> {
            relayedCards.reconcile();
            relayedUsb.reconcile();
        }, 1, 1, TimeUnit.SECONDS);
        recorder = recorder(config);
        if (recorder != null) {
            source.addListener(recorder);
        }
        upstream = new Upstream(new Upstream.Channels(client, displays, inputs, cursors, playbacks, records, agents,
                ports, smartcards, usb), new Upstream.Relays(source, sink, audio, record, clipboard, relayedPorts,
                relayedCards, relayedUsb, recorder), target, options, executor);
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(DisplaySource.NAME, name);
        sourceRegistration = context.registerService(DisplaySource.class, source, props);
        inputRegistration = context.registerService(InputSink.class, sink, null);
        Hashtable<String, Object> ranked = new Hashtable<>();
        ranked.put(Constants.SERVICE_RANKING, AUDIO_RANKING);
        audioRegistration = context.registerService(AudioSource.class, audio, ranked);
        recordRegistration = context.registerService(AudioSink.class, record, ranked);
        clipboardRegistration = context.registerService(ServerClipboard.class, clipboard, ranked);
        usbAdmission = context.registerService(UsbDeviceAdmission.class, relayedUsb, null);
        LOG.log(Level.INFO, "gateway '" + name + "': VM " + target + ", control " + control.configName()
                + ", record floor " + floorRule.configName()
                + "; viewers see it where the display is configured with source=service:" + name);
        upstream.start();
    }

    /** A viewer added a smart card reader on this runtime's server. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addCard(RemoteSmartcard card) {
        relayedCards.added(card);
    }

    void removeCard(RemoteSmartcard card) {
        relayedCards.removed(card);
    }

    /** A viewer redirected a USB device to this runtime's server. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addUsbDevice(RedirectedUsbDevice device) {
        relayedUsb.added(device);
    }

    void removeUsbDevice(RedirectedUsbDevice device) {
        relayedUsb.removed(device);
    }

    /** The recorder the configuration asks for, or null. */
    private static Recorder recorder(GatewayConfig config) throws IOException {
        if (config.record_dir().isBlank()) {
            return null;
        }
        if (config.record_max_mb() < 1 || config.record_max_mb() > 1024 * 1024) {
            throw new IllegalArgumentException("record.max.mb must be 1..1048576, not " + config.record_max_mb());
        }
        return new Recorder(Path.of(config.record_dir()), config.name(), config.record_max_mb() * 1024L * 1024L);
    }

    private List<org.spice.protocol.server.ConnectedClient> viewers() {
        SpiceServer s = server;
        return s == null ? List.of() : s.session().clients();
    }

    /** The VM's password from {@code file} (never logged), or null for none. */
    static String password(String file) throws IOException {
        if (file.isBlank()) {
            return null;
        }
        String pw = Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
        if (pw.getBytes(StandardCharsets.UTF_8).length > Link.MAX_PASSWORD_LENGTH) {
            throw new IOException("the password in " + file + " is longer than " + Link.MAX_PASSWORD_LENGTH
                    + " bytes");
        }
        return pw;
    }

    @Deactivate
    void stop() {
        for (ServiceRegistration<?> r : List.of(sourceRegistration, inputRegistration, audioRegistration,
                recordRegistration, clipboardRegistration, usbAdmission)) {
            try {
                r.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle is stopping and the framework unregistered it first
            }
        }
        upstream.close();
        relayedPorts.close();
        executor.execute(relayedCards::close);
        executor.execute(relayedUsb::close);
        executor.shutdown();
        try {
            executor.awaitTermination(3, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (recorder != null) {
            recorder.close();
        }
    }
}
