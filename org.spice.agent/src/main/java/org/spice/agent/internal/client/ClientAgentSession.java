package org.spice.agent.internal.client;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.spice.agent.api.ClientAgent;
import org.spice.agent.api.ClipboardContent;
import org.spice.agent.api.ClipboardSelection;
import org.spice.agent.api.ClipboardType;
import org.spice.agent.api.FileTransfer;
import org.spice.agent.api.FileTransferException;
import org.spice.agent.api.Monitor;
import org.spice.agent.internal.wire.AgentMessages;
import org.spice.agent.internal.wire.AgentMessages.AnnounceCapabilities;
import org.spice.agent.internal.wire.AgentMessages.Clipboard;
import org.spice.agent.internal.wire.AgentMessages.ClipboardGrab;
import org.spice.agent.internal.wire.AgentMessages.ClipboardRelease;
import org.spice.agent.internal.wire.AgentMessages.ClipboardRequest;
import org.spice.agent.internal.wire.AgentMessages.FileXferStatus;
import org.spice.agent.internal.wire.AgentMessages.MonConfig;
import org.spice.agent.internal.wire.AgentMessages.MonitorsConfig;
import org.spice.agent.internal.wire.AgentMessages.Reply;
import org.spice.protocol.spi.AgentEndpoint;
import org.spice.protocol.spi.AgentHandler;
import org.spice.protocol.spi.ClientChannelContext;

/**
 * The client end of one session's agent stream, as spice-gtk's main channel speaks it: capabilities announced
 * with a request for the agent's, the clipboard shared by demand (grab, request, data, release), monitors config,
 * and file transfers sent in 64 KiB messages, each queued once the previous one has gone out.
 *
 * <p>All state is touched on the main channel's thread; the {@link ClientAgent} methods hop onto it.
 */
final class ClientAgentSession implements AgentHandler, ClientAgent {
    private static final System.Logger LOG = System.getLogger("org.spice.agent");
    /** What this client takes from an agent's clipboard (spice-gtk's max-clipboard default, 100 MiB). */
    static final int MAX_CLIPBOARD = 100 << 20;
    /** spice-gtk's FILE_XFER_CHUNK_SIZE: file data per message. */
    static final int FILE_CHUNK = 32 * 2048;
    /**
     * What spice-gtk announces. No release on regrab: a grab of ours replaces our previous one without a release
     * first, and one of the agent's is taken without ours having been released.
     */
    static final AnnounceCapabilities CAPS = AnnounceCapabilities.of(true, AgentMessages.CAP_MOUSE_STATE,
            AgentMessages.CAP_MONITORS_CONFIG, AgentMessages.CAP_REPLY, AgentMessages.CAP_DISPLAY_CONFIG,
            AgentMessages.CAP_CLIPBOARD_BY_DEMAND, AgentMessages.CAP_CLIPBOARD_SELECTION,
            AgentMessages.CAP_MONITORS_CONFIG_POSITION, AgentMessages.CAP_FILE_XFER_DETAILED_ERRORS,
            AgentMessages.CAP_CLIPBOARD_NO_RELEASE_ON_REGRAB, AgentMessages.CAP_CLIPBOARD_GRAB_SERIAL);

    private final AgentClientFactory factory;
    private final ClientChannelContext main;
    private final AgentEndpoint agent;
    private final CompletableFuture<ClientAgent> ready = new CompletableFuture<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private volatile AnnounceCapabilities peer;
    private volatile boolean open = true;
    private final Map<ClipboardSelection, Shared> selections = new EnumMap<>(ClipboardSelection.class);
    private final ArrayDeque<CompletableFuture<Boolean>> monitorReplies = new ArrayDeque<>();
    private final Map<Long, Outgoing> transfers = new HashMap<>();
    private final AtomicLong nextTransferId = new AtomicLong(1);

    ClientAgentSession(AgentClientFactory factory, ClientChannelContext main, AgentEndpoint agent) {
        this.factory = factory;
        this.main = main;
        this.agent = agent;
        for (ClipboardSelection s : ClipboardSelection.values()) {
            selections.put(s, new Shared());
        }
    }

    /** One selection as this client shares it with the agent. */
    private static final class Shared {
        /** What this client offers, or null while the agent (or nobody) holds the selection. */
        ClipboardContent ours;
        /** The types of the agent's last grab. */
        volatile Set<ClipboardType> remote = Set.of();
        final ArrayDeque<CompletableFuture<ClipboardContent>> requests = new ArrayDeque<>();
        /**
         * The grab serial both ends expect next (VD_AGENT_CAP_CLIPBOARD_GRAB_SERIAL), 0 when the agent connects.
         * Each grab either way takes one; an agent's grab with another serial crossed one of ours and is dropped,
         * as spice-gtk drops it: the client's grab wins.
         */
        long serial;
    }

    /** The main channel the agent stream rides on. */
    ClientChannelContext main() {
        return main;
    }

    /** Completes once the agent announced its capabilities. */
    CompletableFuture<ClientAgent> ready() {
        return ready;
    }

    /** spice-gtk's first words after agent_start: its capabilities, asking for the agent's. */
    void start() {
        agent.send(AgentMessages.ANNOUNCE_CAPABILITIES, CAPS.encode());
    }

    private boolean withSelection() {
        return hasCapability(AgentMessages.CAP_CLIPBOARD_SELECTION);
    }

    private boolean withSerial() {
        return hasCapability(AgentMessages.CAP_CLIPBOARD_GRAB_SERIAL);
    }

    /** The selection {@code code} names, when this agent shares it; null (logged) otherwise. */
    private ClipboardSelection selection(int code, String what) {
        ClipboardSelection s = ClipboardSelection.of(code);
        if (s == null) {
            LOG.log(Level.DEBUG, agent.describe() + ": " + what + " of selection " + code + " ignored: not shared");
        }
        return s;
    }

    /**
     * A Windows guest's agent announces GUEST_LINEEND_CRLF: its text ends lines in CR LF, ours in LF, so text is
     * converted both ways, as spice-gtk does.
     */
    private boolean guestLinesEndInCrLf() {
        return hasCapability(AgentMessages.CAP_GUEST_LINEEND_CRLF);
    }

    @Override
    public boolean hasCapability(int cap) {
        AnnounceCapabilities p = peer;
        return p != null && p.has(cap);
    }

    @Override
    public boolean isOpen() {
        return open && agent.isOpen();
    }

    @Override
    public long maxMessageSize(int type) {
        return type == AgentMessages.CLIPBOARD ? MAX_CLIPBOARD + 8L : DEFAULT_MAX_MESSAGE_SIZE;
    }

    @Override
    public void onMessage(int type, long opaque, byte[] body) {
        switch (type) {
            case AgentMessages.ANNOUNCE_CAPABILITIES -> capabilities(AnnounceCapabilities.decode(body));
            case AgentMessages.CLIPBOARD_GRAB -> agentGrab(ClipboardGrab.decode(body, withSelection(), withSerial()));
            case AgentMessages.CLIPBOARD_RELEASE -> {
                ClipboardSelection s = selection(ClipboardRelease.decode(body, withSelection()).selection(),
                        "release");
                if (s != null) {
                    selections.get(s).remote = Set.of();
                    listeners.forEach(l -> l.clipboardReleased(s));
                }
            }
            case AgentMessages.CLIPBOARD_REQUEST -> {
                ClipboardRequest r = ClipboardRequest.decode(body, withSelection());
                ClipboardSelection s = selection(r.selection(), "request");
                ClipboardContent c = s == null ? null : selections.get(s).ours;
                boolean have = c != null && c.type().code() == r.type();
                agent.send(AgentMessages.CLIPBOARD, (have ? new Clipboard(r.selection(), r.type(),
                        c.type() == ClipboardType.UTF8_TEXT && guestLinesEndInCrLf() ? LineEnds.toCrLf(c.data())
                                : c.data())
                        : new Clipboard(r.selection(), AgentMessages.CLIPBOARD_NONE, new byte[0]))
                        .encode(withSelection()));
            }
            case AgentMessages.CLIPBOARD -> {
                Clipboard c = Clipboard.decode(body, withSelection());
                ClipboardSelection s = selection(c.selection(), "data");
                if (s == null) {
                    return;
                }
                CompletableFuture<ClipboardContent> f = selections.get(s).requests.poll();
                if (f == null) {
                    LOG.log(Level.DEBUG, agent.describe() + ": clipboard data nobody asked for dropped");
                    return;
                }
                ClipboardType t = ClipboardType.of(c.type());
                byte[] data = t == ClipboardType.UTF8_TEXT && guestLinesEndInCrLf() ? LineEnds.toLf(c.data())
                        : c.data();
                f.complete(t == null ? null : new ClipboardContent(t, data));
            }
            case AgentMessages.REPLY -> {
                Reply r = Reply.decode(body);
                if (r.type() == AgentMessages.MONITORS_CONFIG) {
                    CompletableFuture<Boolean> f = monitorReplies.poll();
                    if (f != null) {
                        f.complete(r.error() == AgentMessages.SUCCESS);
                    }
                }
            }
            case AgentMessages.FILE_XFER_STATUS -> {
                FileXferStatus s = FileXferStatus.decode(body);
                Outgoing t = transfers.get(s.id());
                if (t == null) {
                    LOG.log(Level.DEBUG, agent.describe() + ": status of unknown file transfer " + s.id());
                } else {
                    t.status(s);
                }
            }
            default -> LOG.log(Level.DEBUG, agent.describe() + ": agent message " + AgentMessages.name(type)
                    + " ignored");
        }
    }

    private void capabilities(AnnounceCapabilities caps) {
        peer = caps;
        LOG.log(Level.DEBUG, agent.describe() + ": agent capabilities " + caps);
        if (caps.request()) {
            agent.send(AgentMessages.ANNOUNCE_CAPABILITIES, new AnnounceCapabilities(false, CAPS.caps()).encode());
        }
        if (caps.has(AgentMessages.CAP_MAX_CLIPBOARD)) {
            agent.send(AgentMessages.MAX_CLIPBOARD, new AgentMessages.MaxClipboard(MAX_CLIPBOARD).encode());
        }
        selections.forEach((s, shared) -> {
            if (shared.ours != null) {
                grab(s, shared);
            }
        });
        if (!ready.isDone()) {
            // spice-gtk's agent_display_config: once, when an agent that takes it has announced itself. Unlike
            // spice-gtk, nothing is sent when no effect is to go: a client that asked for nothing (a screenshot)
            // must not turn back on what another client of the same desktop turned off.
            if (caps.has(AgentMessages.CAP_DISPLAY_CONFIG) && !factory.disabledEffects().isEmpty()) {
                AgentMessages.DisplayConfig d = AgentMessages.DisplayConfig.of(factory.disabledEffects());
                agent.send(AgentMessages.DISPLAY_CONFIG, d.encode());
                LOG.log(Level.DEBUG, agent.describe() + ": display config sent, effects off: "
                        + factory.disabledEffects());
            }
            ready.complete(this);
            factory.ready(this);
        }
    }

    // ---- clipboard

    /** The agent holds a selection now, unless its grab crossed one of ours (the serials say so). */
    private void agentGrab(ClipboardGrab g) {
        ClipboardSelection s = selection(g.selection(), "grab");
        if (s == null) {
            return;
        }
        Shared shared = selections.get(s);
        if (withSerial()) {
            if (g.serial() != shared.serial) {
                LOG.log(Level.DEBUG, agent.describe() + ": agent's grab of " + s + " with serial " + g.serial()
                        + " dropped: it crossed ours (serial " + shared.serial + " expected)");
                return;
            }
            shared.serial = (shared.serial + 1) & 0xffffffffL;
        }
        EnumSet<ClipboardType> types = EnumSet.noneOf(ClipboardType.class);
        g.types().forEach(t -> {
            ClipboardType c = ClipboardType.of(t);
            if (c != null) {
                types.add(c);
            }
        });
        shared.ours = null; // the agent's grab replaces ours
        shared.remote = Collections.unmodifiableSet(types);
        listeners.forEach(l -> l.clipboardGrabbed(s, shared.remote));
    }

    @Override
    public void setClipboard(ClipboardSelection selection, ClipboardContent content) {
        agent.executor().execute(() -> {
            Shared shared = selections.get(selection);
            shared.ours = content;
            if (peer != null) {
                grab(selection, shared);
            }
        });
    }

    private boolean shares(ClipboardSelection s) {
        if (!hasCapability(AgentMessages.CAP_CLIPBOARD_BY_DEMAND)) {
            LOG.log(Level.DEBUG, agent.describe() + ": the agent does not share clipboards by demand");
            return false;
        }
        if (s != ClipboardSelection.CLIPBOARD && !withSelection()) {
            LOG.log(Level.DEBUG, agent.describe() + ": the agent shares no selection but the clipboard (" + s
                    + " not offered)");
            return false;
        }
        return true;
    }

    private void grab(ClipboardSelection s, Shared shared) {
        if (!shares(s)) {
            return;
        }
        long serial = shared.serial;
        if (withSerial()) {
            shared.serial = (serial + 1) & 0xffffffffL;
        }
        agent.send(AgentMessages.CLIPBOARD_GRAB, new ClipboardGrab(s.code(), serial,
                List.of((long) shared.ours.type().code())).encode(withSelection(), withSerial()));
    }

    @Override
    public void releaseClipboard(ClipboardSelection selection) {
        agent.executor().execute(() -> {
            Shared shared = selections.get(selection);
            if (shared.ours != null && shares(selection)) {
                agent.send(AgentMessages.CLIPBOARD_RELEASE, new ClipboardRelease(selection.code())
                        .encode(withSelection()));
            }
            shared.ours = null;
        });
    }

    @Override
    public Set<ClipboardType> remoteClipboardTypes(ClipboardSelection selection) {
        return selections.get(selection).remote;
    }

    @Override
    public CompletableFuture<ClipboardContent> clipboard(ClipboardSelection selection, ClipboardType type) {
        CompletableFuture<ClipboardContent> f = new CompletableFuture<>();
        agent.executor().execute(() -> {
            if (!isOpen()) {
                f.completeExceptionally(new IllegalStateException("the agent is not connected"));
                return;
            }
            if (selection != ClipboardSelection.CLIPBOARD && !withSelection()) {
                f.completeExceptionally(new IllegalStateException("the agent shares no " + selection));
                return;
            }
            selections.get(selection).requests.add(f);
            agent.send(AgentMessages.CLIPBOARD_REQUEST, new ClipboardRequest(selection.code(), type.code())
                    .encode(withSelection()));
        });
        return f;
    }

    @Override
    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(Listener listener) {
        listeners.remove(listener);
    }

    // ---- monitors

    @Override
    public CompletableFuture<Boolean> setMonitors(List<Monitor> monitors) {
        if (monitors.isEmpty() || monitors.size() > AgentMessages.MAX_MONITORS) {
            throw new IllegalArgumentException(monitors.size() + " monitors");
        }
        List<MonConfig> m = new ArrayList<>();
        for (Monitor x : monitors) {
            m.add(new MonConfig(x.height(), x.width(), 32, x.x(), x.y()));
        }
        CompletableFuture<Boolean> f = new CompletableFuture<>();
        agent.executor().execute(() -> {
            if (!isOpen()) {
                f.completeExceptionally(new IllegalStateException("the agent is not connected"));
                return;
            }
            agent.send(AgentMessages.MONITORS_CONFIG, new MonitorsConfig(AgentMessages.MONITORS_FLAG_USE_POS, m,
                    List.of()).encode());
            if (hasCapability(AgentMessages.CAP_REPLY)) {
                monitorReplies.add(f);
            } else {
                f.complete(true);
            }
        });
        return f;
    }

    // ---- files

    @Override
    public FileTransfer sendFile(Path file) throws IOException {
        FileChannel in = FileChannel.open(file, StandardOpenOption.READ);
        long size;
        try {
            size = in.size();
            if (!Files.isRegularFile(file)) {
                throw new IOException(file + " is not a regular file");
            }
        } catch (IOException e) {
            in.close();
            throw e;
        }
        Outgoing t = new Outgoing(nextTransferId.getAndIncrement(), file.getFileName().toString(), size, in);
        agent.executor().execute(t::begin);
        return t;
    }

    /** One file on its way: start, wait for can-send-data, then the data message by message. */
    private final class Outgoing implements FileTransfer {
        private final long id;
        private final String name;
        private final long size;
        private final FileChannel in;
        private final CompletableFuture<Void> done = new CompletableFuture<>();
        private volatile long sent;
        private boolean sending;

        Outgoing(long id, String name, long size, FileChannel in) {
            this.id = id;
            this.name = name;
            this.size = size;
            this.in = in;
            done.whenComplete((v, e) -> {
                try {
                    in.close();
                } catch (IOException ignored) {
                    // read-only
                }
            });
        }

        void begin() {
            if (!isOpen()) {
                end(-1, "the agent is not connected");
                return;
            }
            if (hasCapability(AgentMessages.CAP_FILE_XFER_DISABLED)) {
                end(AgentMessages.XFER_DISABLED, "the agent does not take files");
                return;
            }
            transfers.put(id, this);
            agent.send(AgentMessages.FILE_XFER_START, new AgentMessages.FileXferStart(id, name, size).encode());
        }

        void status(FileXferStatus s) {
            switch ((int) s.result()) {
                case AgentMessages.XFER_CAN_SEND_DATA -> {
                    if (!sending) {
                        sending = true;
                        next();
                    }
                }
                case AgentMessages.XFER_SUCCESS -> {
                    transfers.remove(id);
                    done.complete(null);
                }
                default -> end(s.result(), describe(s));
            }
        }

        /** Queues the next message of data once the previous ones have gone out. */
        private void next() {
            if (done.isDone()) {
                return;
            }
            if (sent >= size) {
                return; // all sent: the agent's success status ends it
            }
            byte[] chunk;
            try {
                ByteBuffer b = ByteBuffer.allocate((int) Math.min(FILE_CHUNK, size - sent));
                while (b.hasRemaining()) {
                    if (in.read(b, sent + b.position()) < 0) {
                        throw new IOException(name + " ended early: it shrank while being sent");
                    }
                }
                chunk = b.array();
            } catch (IOException e) {
                cancelWith(AgentMessages.XFER_ERROR, "cannot read " + name + ": " + e.getMessage());
                return;
            }
            agent.send(AgentMessages.FILE_XFER_DATA, new AgentMessages.FileXferData(id, chunk).encode());
            long after = sent + chunk.length;
            agent.flushed().whenCompleteAsync((v, e) -> {
                if (e != null) {
                    end(-1, "the agent went away");
                    return;
                }
                sent = after;
                next();
            }, agent.executor());
        }

        private void cancelWith(int status, String why) {
            if (transfers.remove(id) != null && isOpen()) {
                agent.send(AgentMessages.FILE_XFER_STATUS, FileXferStatus.of(id, status).encode());
            }
            end(status == AgentMessages.XFER_CANCELLED ? -1 : status, why);
        }

        private void end(long status, String why) {
            transfers.remove(id);
            done.completeExceptionally(new FileTransferException(status, name + ": " + why));
        }

        @Override
        public long id() {
            return id;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public long sent() {
            return sent;
        }

        @Override
        public CompletableFuture<Void> done() {
            return done;
        }

        @Override
        public void cancel() {
            agent.executor().execute(() -> {
                if (!done.isDone()) {
                    cancelWith(AgentMessages.XFER_CANCELLED, "cancelled");
                }
            });
        }
    }

    private static String describe(FileXferStatus s) {
        return switch ((int) s.result()) {
            case AgentMessages.XFER_CANCELLED -> "the agent cancelled the transfer";
            case AgentMessages.XFER_ERROR -> s.detail().length >= 5 && s.detail()[0] == AgentMessages.XFER_ERROR_GLIB_IO
                    && (s.detail()[1] & 0xff) == AgentMessages.G_IO_ERROR_INVALID_FILENAME
                    ? "the agent refused the file name" : "the agent reported an error";
            case AgentMessages.XFER_NOT_ENOUGH_SPACE -> "not enough space on the agent's side"
                    + (s.detail().length >= 8 ? " (" + java.nio.ByteBuffer.wrap(s.detail()).order(
                            java.nio.ByteOrder.LITTLE_ENDIAN).getLong() + " bytes free)" : "");
            case AgentMessages.XFER_SESSION_LOCKED -> "the agent's session is locked";
            case AgentMessages.XFER_VDAGENT_NOT_CONNECTED -> "the session agent is not connected";
            case AgentMessages.XFER_DISABLED -> "file transfer is disabled";
            default -> "status " + s.result();
        };
    }

    // ---- life

    @Override
    public void onClose() {
        open = false;
        IllegalStateException gone = new IllegalStateException("the agent disconnected");
        CompletableFuture<?> f;
        for (Shared shared : selections.values()) {
            while ((f = shared.requests.poll()) != null) {
                f.completeExceptionally(gone);
            }
            shared.remote = Set.of();
        }
        while ((f = monitorReplies.poll()) != null) {
            f.completeExceptionally(gone);
        }
        for (Outgoing t : transfers.values().toArray(Outgoing[]::new)) {
            t.end(-1, "the agent disconnected");
        }
        ready.completeExceptionally(gone);
        listeners.forEach(Listener::closed);
        factory.closed(this);
    }
}
