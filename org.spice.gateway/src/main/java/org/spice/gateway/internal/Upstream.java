package org.spice.gateway.internal;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.spice.agent.api.ClientAgent;
import org.spice.agent.api.ClientAgents;
import org.spice.cursor.api.ClientCursors;
import org.spice.display.api.ClientDisplay;
import org.spice.display.api.ClientDisplays;
import org.spice.inputs.api.ClientInput;
import org.spice.inputs.api.ClientInputs;
import org.spice.playback.api.ClientPlayback;
import org.spice.playback.api.ClientPlaybacks;
import org.spice.protocol.ChannelType;
import org.spice.protocol.SpiceUri;
import org.spice.protocol.client.ClientOptions;
import org.spice.protocol.client.ClientSession;
import org.spice.protocol.client.LinkedChannel;
import org.spice.protocol.client.SpiceClient;
import org.spice.protocol.client.SpiceLinkException;
import org.spice.protocol.wire.MainMessages;
import org.spice.record.api.ClientRecord;
import org.spice.record.api.ClientRecords;
import org.spice.smartcard.api.SmartcardSharing;
import org.spice.tunnel.api.ClientPorts;
import org.spice.usbredir.api.UsbSharing;

/**
 * The gateway's one client session to the VM: links every display, cursor 0, inputs, playback, record, the port
 * channels, the smartcard and the usbredir channels, shows them through the {@link GatewaySource},
 * {@link GatewayInputs}, {@link GatewayAudio}, {@link GatewayRecord}, {@link GatewayPorts},
 * {@link GatewaySmartcards} and {@link GatewayUsb}, and connects again whenever the session ends (the VM restarted or
 * went away), waiting 1 s and then longer, up to {@value #MAX_RETRY_SECONDS} s, between tries. Every other channel
 * the VM offers is named in the log as not relayed. Everything runs on the gateway's one executor.
 */
final class Upstream implements GatewayInputs.Upstream {
    private static final System.Logger LOG = System.getLogger("org.spice.gateway");
    static final int MAX_RETRY_SECONDS = 10;
    private static final long CURSOR_POLL_MS = 40;
    /** How often the linked display channels are compared with those shown, to drop a closed one. */
    private static final long DISPLAY_CHECK_MS = 1000;
    /** How soon viewers hear of the VM's record start and stop. */
    private static final long RECORD_POLL_MS = 100;

    private final SpiceClient client;
    private final ClientDisplays displays;
    private final ClientCursors cursors;
    private final ClientInputs inputs;
    private final ClientPlaybacks playbacks;
    private final GatewayAudio audio;
    private final ClientRecords records;
    private final GatewayRecord record;
    private final ClientPorts ports;
    private final GatewayPorts relayedPorts;
    private final SmartcardSharing smartcards;
    private final GatewaySmartcards relayedCards;
    private final UsbSharing usb;
    private final GatewayUsb relayedUsb;
    private final SpiceUri target;
    private final ClientOptions options;
    private final GatewaySource source;
    private final GatewayInputs sink;
    private final Recorder recorder;
    private final ClientAgents agents;
    private final GatewayClipboard clipboard;
    private final ScheduledExecutorService executor;
    private volatile ClientSession session;
    private volatile ClientInput input;
    private volatile boolean closed;
    private ScheduledFuture<?> cursorPoll;
    private ScheduledFuture<?> displayCheck;
    private ScheduledFuture<?> recordPoll;
    private int retrySeconds = 1;

    /** The client role's services the session drives; an optional one is null while its bundle is not running. */
    record Channels(SpiceClient client, ClientDisplays displays, ClientInputs inputs, ClientCursors cursors,
            ClientPlaybacks playbacks, ClientRecords records, ClientAgents agents, ClientPorts ports,
            SmartcardSharing smartcards, UsbSharing usb) {
    }

    /** Where the session's channels reach the viewers; {@code recorder} is null without {@code --record}. */
    record Relays(GatewaySource source, GatewayInputs inputs, GatewayAudio audio, GatewayRecord record,
            GatewayClipboard clipboard, GatewayPorts ports, GatewaySmartcards cards, GatewayUsb usb,
            Recorder recorder) {
    }

    Upstream(Channels channels, Relays relays, SpiceUri target, ClientOptions options,
            ScheduledExecutorService executor) {
        this.client = channels.client();
        this.displays = channels.displays();
        this.cursors = channels.cursors();
        this.inputs = channels.inputs();
        this.playbacks = channels.playbacks();
        this.records = channels.records();
        this.agents = channels.agents();
        this.ports = channels.ports();
        this.smartcards = channels.smartcards();
        this.usb = channels.usb();
        this.source = relays.source();
        this.sink = relays.inputs();
        this.audio = relays.audio();
        this.record = relays.record();
        this.clipboard = relays.clipboard();
        this.relayedPorts = relays.ports();
        this.relayedCards = relays.cards();
        this.relayedUsb = relays.usb();
        this.recorder = relays.recorder();
        this.target = target;
        this.options = options.withConnectChannels(false);
        this.executor = executor;
    }

    void start() {
        executor.execute(this::connect);
    }

    private void connect() {
        if (closed) {
            return;
        }
        client.connect(target, options).whenCompleteAsync((s, failure) -> {
            if (failure != null) {
                Throwable c = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                String why = c instanceof SpiceLinkException l && l.isAuthenticationFailure()
                        ? "authentication failed (check the target password file)" : String.valueOf(c.getMessage());
                retry("cannot connect to the VM at " + target + ": " + why);
                return;
            }
            if (closed) {
                s.close();
                return;
            }
            session = s;
            retrySeconds = 1;
            LOG.log(Level.INFO, "gateway: connected to the VM at " + target + " (" + s.main().channels().size()
                    + " channels offered)");
            if (recorder != null) {
                recorder.sessionStarted(target.toString());
            }
            s.closed().whenCompleteAsync((v, t) -> ended(s), executor);
            link(s);
            watchAgent(s);
        }, executor);
    }

    private void link(ClientSession s) {
        List<Integer> displayIds = new ArrayList<>();
        boolean portChannels = false;
        List<Integer> usbChannels = new ArrayList<>();
        for (MainMessages.ChannelId c : s.main().channels()) {
            String name = ChannelType.name(c.type()) + ":" + c.id();
            if (c.type() == ChannelType.DISPLAY) {
                int id = c.id();
                displayIds.add(id);
                s.link(c.type(), id).whenCompleteAsync((l, t) -> {
                    ClientDisplay d = t == null ? displays.display(s, id) : null;
                    if (d == null) {
                        LOG.log(Level.WARNING, "gateway: the VM's display:" + id + " channel did not link"
                                + (t == null ? "" : ": " + t.getMessage()) + "; viewers keep the last picture");
                    } else if (session == s) {
                        source.attach(id, d);
                    }
                }, executor);
            } else if (c.type() == ChannelType.CURSOR && c.id() == 0 && cursors != null) {
                s.link(c.type(), c.id()).whenCompleteAsync((l, t) -> {
                    if (t == null && session == s) {
                        cursorPoll = executor.scheduleWithFixedDelay(() -> source.cursor(cursors.cursor(s)), 0,
                                CURSOR_POLL_MS, TimeUnit.MILLISECONDS);
                    }
                }, executor);
            } else if (c.type() == ChannelType.INPUTS && c.id() == 0) {
                s.link(c.type(), c.id()).whenCompleteAsync((l, t) -> {
                    if (t == null && session == s) {
                        input = inputs.inputs(s);
                        if ((s.main().supportedMouseModes() & MainMessages.MOUSE_MODE_CLIENT) != 0) {
                            s.requestMouseMode(MainMessages.MOUSE_MODE_CLIENT);
                        }
                        sink.upstream(this);
                    }
                }, executor);
            } else if (c.type() == ChannelType.PLAYBACK && c.id() == 0 && playbacks != null) {
                s.link(c.type(), c.id()).whenCompleteAsync((l, t) -> {
                    ClientPlayback p = t == null ? playbacks.playback(s) : null;
                    if (p != null && session == s) {
                        p.addPcmListener(audio);
                        LOG.log(Level.INFO, "gateway: the VM's sound is played to every viewer");
                    }
                }, executor);
            } else if (c.type() == ChannelType.RECORD && c.id() == 0 && records != null) {
                s.link(c.type(), c.id()).whenCompleteAsync((l, t) -> {
                    ClientRecord r = t == null ? records.record(s) : null;
                    if (r != null && session == s) {
                        record.attached(true);
                        r.source(record);
                        recordPoll = executor.scheduleWithFixedDelay(() -> record.vmRecording(r.recording()), 0,
                                RECORD_POLL_MS, TimeUnit.MILLISECONDS);
                        LOG.log(Level.INFO, "gateway: the VM hears the viewer with the record floor ("
                                + record + ")");
                    }
                }, executor);
            } else if (c.type() == ChannelType.PORT && ports != null) {
                portChannels = true;
            } else if (c.type() == ChannelType.USBREDIR && usb != null) {
                usbChannels.add(c.id());
                // Linked now: a device shared later is announced at once on a linked channel.
                s.link(c.type(), c.id()).whenComplete((l, t) -> {
                    if (t != null) {
                        LOG.log(Level.WARNING, "gateway: the VM's " + name + " channel did not link: "
                                + t.getMessage());
                    }
                });
            } else if (c.type() == ChannelType.SMARTCARD && c.id() == 0 && smartcards != null) {
                relayedCards.attached((reader, card) -> smartcards.share(s, reader, card));
                LOG.log(Level.INFO, "gateway: the controlling viewer's smart cards are presented to the VM");
            } else {
                LOG.log(Level.INFO, "gateway: the VM's " + name + " channel is not relayed to viewers (the gateway"
                        + " relays every display, cursor:0, inputs:0, playback:0, record:0, the port channels,"
                        + " smartcard:0 and usbredir)");
            }
        }
        if (!usbChannels.isEmpty()) {
            relayedUsb.attached(usbChannels, (channel, device) -> usb.share(s, channel, device));
            LOG.log(Level.INFO, "gateway: the controlling viewer's USB devices are shared with the VM ("
                    + usbChannels.size() + " usbredir channels)");
        }
        if (portChannels) {
            ports.announced(s).whenCompleteAsync((names, t) -> {
                if (t != null) {
                    LOG.log(Level.WARNING, "gateway: the VM's port channels did not link: " + t.getMessage());
                } else if (session == s) {
                    relayedPorts.attached(names, n -> ports.open(s, n));
                }
            }, executor);
        }
        displayCheck = executor.scheduleWithFixedDelay(() -> checkDisplays(s), DISPLAY_CHECK_MS, DISPLAY_CHECK_MS,
                TimeUnit.MILLISECONDS);
        if (displayIds.isEmpty()) {
            LOG.log(Level.WARNING, "gateway: the VM at " + target + " offers no display channel");
        } else if (displayIds.size() > 1) {
            LOG.log(Level.INFO, "gateway: the VM's displays " + displayIds.stream().sorted().toList()
                    + " are shown side by side, each a head (a window of its own in remote-viewer); the pointer's"
                    + " image follows cursor:0");
        }
    }

    /**
     * A display channel that closed while the session goes on leaves the picture (the others are laid out again),
     * and one linked again (after a migration) comes back.
     */
    private void checkDisplays(ClientSession s) {
        if (session != s) {
            return;
        }
        Set<Integer> linked = new HashSet<>();
        for (LinkedChannel c : s.channels()) {
            if (c.type() == ChannelType.DISPLAY) {
                linked.add(c.id());
            }
        }
        Set<Integer> shown = source.attached();
        for (int id : shown) {
            if (!linked.contains(id)) {
                LOG.log(Level.WARNING, "gateway: the VM's display:" + id + " channel closed; viewers see the other"
                        + " displays");
                source.detach(id);
            }
        }
        for (int id : linked) {
            ClientDisplay d = shown.contains(id) ? null : displays.display(s, id);
            if (d != null) {
                source.attach(id, d);
            }
        }
    }

    /**
     * Shares the clipboard with the VM's agent once it is there (a guest's spice-vdagent may come long after the
     * session, or never), and again when it comes back.
     */
    private void watchAgent(ClientSession s) {
        if (agents == null) {
            return;
        }
        agents.ready(s).thenAcceptAsync(a -> {
            if (session != s || !a.isOpen()) {
                return;
            }
            clipboard.attach(a);
            a.addListener(new ClientAgent.Listener() {
                @Override
                public void closed() {
                    executor.execute(() -> {
                        clipboard.detach();
                        LOG.log(Level.INFO, "gateway: the VM's agent went away; the clipboard is not shared with the"
                                + " VM until it is back");
                        if (session == s) {
                            watchAgent(s);
                        }
                    });
                }
            });
        }, executor);
    }

    private void ended(ClientSession s) {
        if (session != s) {
            return;
        }
        session = null;
        input = null;
        sink.upstream(null);
        clipboard.detach();
        record.attached(false);
        relayedPorts.detached();
        relayedCards.detached();
        relayedUsb.detached();
        if (recorder != null) {
            recorder.sessionEnded(); // before the away banner: a recording holds the VM's pictures only
        }
        source.away();
        if (cursorPoll != null) {
            cursorPoll.cancel(false);
            cursorPoll = null;
        }
        if (displayCheck != null) {
            displayCheck.cancel(false);
            displayCheck = null;
        }
        if (recordPoll != null) {
            recordPoll.cancel(false);
            recordPoll = null;
        }
        if (!closed) {
            retry("the VM's session at " + target + " ended");
        }
    }

    private void retry(String why) {
        if (closed) {
            return;
        }
        LOG.log(Level.WARNING, "gateway: " + why + "; reconnecting in " + retrySeconds + " s");
        executor.schedule(this::connect, retrySeconds, TimeUnit.SECONDS);
        retrySeconds = Math.min(MAX_RETRY_SECONDS, retrySeconds * 2);
    }

    @Override
    public ClientInput input() {
        return input;
    }

    @Override
    public boolean clientMouseMode() {
        ClientSession s = session;
        return s != null && s.main().currentMouseMode() == MainMessages.MOUSE_MODE_CLIENT;
    }

    /** Ends the session for good. */
    void close() {
        closed = true;
        ClientSession s = session;
        if (s != null) {
            s.close();
        }
    }
}
