package org.spice.agent.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.util.concurrent.ImmediateEventExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;
import org.spice.agent.api.ClientAgent;
import org.spice.agent.api.ClipboardContent;
import org.spice.agent.api.ClipboardSelection;
import org.spice.agent.api.ClipboardType;
import org.spice.agent.internal.wire.AgentMessages;
import org.spice.agent.internal.wire.AgentMessages.AnnounceCapabilities;
import org.spice.agent.internal.wire.AgentMessages.Clipboard;
import org.spice.agent.internal.wire.AgentMessages.ClipboardGrab;
import org.spice.agent.internal.wire.AgentMessages.ClipboardRequest;
import org.spice.protocol.Capabilities;
import org.spice.protocol.ChannelType;
import org.spice.protocol.FakeChannelContext;
import org.spice.protocol.spi.AgentEndpoint;

/**
 * The client's side of the agent's clipboards, as spice-gtk shares them: the PRIMARY selection beside the clipboard,
 * and grab serials (VD_AGENT_CAP_CLIPBOARD_GRAB_SERIAL) that drop the agent's grab when it crossed ours.
 */
class ClipboardSelectionsTest {
    /** What the session sent, as (type, body). */
    private final List<Object[]> sent = new ArrayList<>();
    private final List<String> events = new ArrayList<>();
    private final ClientAgentSession session;

    ClipboardSelectionsTest() {
        AgentClientFactory factory = new AgentClientFactory();
        factory.configure(Map.of());
        session = new ClientAgentSession(factory, FakeChannelContext.client(ChannelType.MAIN, Capabilities.NONE),
                new AgentEndpoint() {
                    @Override
                    public void send(int type, byte[] body) {
                        sent.add(new Object[] {type, body});
                    }

                    @Override
                    public long queuedBytes() {
                        return 0;
                    }

                    @Override
                    public CompletableFuture<Void> flushed() {
                        return CompletableFuture.completedFuture(null);
                    }

                    @Override
                    public boolean isOpen() {
                        return true;
                    }

                    @Override
                    public ScheduledExecutorService executor() {
                        return ImmediateEventExecutor.INSTANCE;
                    }

                    @Override
                    public String describe() {
                        return "test agent";
                    }
                });
        session.addListener(new ClientAgent.Listener() {
            @Override
            public void clipboardGrabbed(ClipboardSelection selection, Set<ClipboardType> types) {
                events.add("grab " + selection + " " + types);
            }

            @Override
            public void clipboardReleased(ClipboardSelection selection) {
                events.add("release " + selection);
            }
        });
    }

    /** The agent announces spice-vdagent's clipboard capabilities, with or without the grab serial. */
    private void agentAnnounces(boolean serial) {
        List<Integer> caps = new ArrayList<>(List.of(AgentMessages.CAP_CLIPBOARD_BY_DEMAND,
                AgentMessages.CAP_CLIPBOARD_SELECTION));
        if (serial) {
            caps.add(AgentMessages.CAP_CLIPBOARD_GRAB_SERIAL);
        }
        session.onMessage(AgentMessages.ANNOUNCE_CAPABILITIES, 0, AnnounceCapabilities.of(false,
                caps.stream().mapToInt(Integer::intValue).toArray()).encode());
        sent.clear();
    }

    private void agentGrabs(ClipboardSelection s, long serial) {
        session.onMessage(AgentMessages.CLIPBOARD_GRAB, 0, new ClipboardGrab(s.code(), serial,
                List.of((long) AgentMessages.CLIPBOARD_UTF8_TEXT)).encode(true, true));
    }

    /** The grab we sent last, decoded with the serial. */
    private ClipboardGrab lastGrab() {
        Object[] m = sent.get(sent.size() - 1);
        assertEquals(AgentMessages.CLIPBOARD_GRAB, m[0]);
        return ClipboardGrab.decode((byte[]) m[1], true, true);
    }

    @Test
    void serialsCountEachGrabEitherWayAndPerSelection() {
        agentAnnounces(true);
        session.setClipboard(ClipboardSelection.CLIPBOARD, ClipboardContent.text("a"));
        assertEquals(0, lastGrab().serial());
        agentGrabs(ClipboardSelection.CLIPBOARD, 1); // the agent saw ours: its grab is next
        session.setClipboard(ClipboardSelection.CLIPBOARD, ClipboardContent.text("b"));
        assertEquals(2, lastGrab().serial());
        session.setClipboard(ClipboardSelection.PRIMARY, ClipboardContent.text("p"));
        assertEquals(0, lastGrab().serial(), "PRIMARY counts on its own");
        assertEquals(AgentMessages.SELECTION_PRIMARY, lastGrab().selection());
        assertEquals(List.of("grab CLIPBOARD [UTF8_TEXT]"), events);
    }

    @Test
    void anAgentGrabThatCrossedOursIsDroppedAndOursStands() {
        agentAnnounces(true);
        session.setClipboard(ClipboardSelection.CLIPBOARD, ClipboardContent.text("ours"));
        agentGrabs(ClipboardSelection.CLIPBOARD, 0); // sent before ours reached it: the same serial
        assertEquals(List.of(), events);
        assertEquals(Set.of(), session.remoteClipboardTypes());
        // the agent asks for ours (it took our grab): we still hold it
        session.onMessage(AgentMessages.CLIPBOARD_REQUEST, 0, new ClipboardRequest(0,
                AgentMessages.CLIPBOARD_UTF8_TEXT).encode(true));
        Clipboard answer = Clipboard.decode((byte[]) sent.get(sent.size() - 1)[1], true);
        assertEquals("ours", new String(answer.data(), java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void withoutTheSerialCapabilityGrabsCarryNone() {
        agentAnnounces(false);
        session.setClipboard(ClipboardContent.text("x"));
        byte[] body = (byte[]) sent.get(0)[1];
        assertEquals(8, body.length, "selection header and one type, no serial");
        session.onMessage(AgentMessages.CLIPBOARD_GRAB, 0, new ClipboardGrab(0, List.of(1L)).encode(true));
        assertEquals(List.of("grab CLIPBOARD [UTF8_TEXT]"), events);
    }

    @Test
    void primaryIsSharedApartFromTheClipboard() throws Exception {
        agentAnnounces(true);
        agentGrabs(ClipboardSelection.PRIMARY, 0);
        assertEquals(Set.of(ClipboardType.UTF8_TEXT), session.remoteClipboardTypes(ClipboardSelection.PRIMARY));
        assertEquals(Set.of(), session.remoteClipboardTypes(ClipboardSelection.CLIPBOARD));
        CompletableFuture<ClipboardContent> primary = session.clipboard(ClipboardSelection.PRIMARY,
                ClipboardType.UTF8_TEXT);
        assertEquals(new ClipboardRequest(1, AgentMessages.CLIPBOARD_UTF8_TEXT),
                ClipboardRequest.decode((byte[]) sent.get(sent.size() - 1)[1], true));
        session.onMessage(AgentMessages.CLIPBOARD, 0, new Clipboard(1, AgentMessages.CLIPBOARD_UTF8_TEXT,
                "selected".getBytes(java.nio.charset.StandardCharsets.UTF_8)).encode(true));
        assertEquals("selected", primary.get().text());
        session.onMessage(AgentMessages.CLIPBOARD_RELEASE, 0, new AgentMessages.ClipboardRelease(1).encode(true));
        assertEquals(List.of("grab PRIMARY [UTF8_TEXT]", "release PRIMARY"), events);
        // SECONDARY is not shared: its grab is ignored, its request answered with nothing
        session.onMessage(AgentMessages.CLIPBOARD_GRAB, 0, new ClipboardGrab(2, 0, List.of(1L)).encode(true, true));
        assertEquals(2, events.size());
    }

    @Test
    void anAgentWithoutSelectionsGetsNoPrimary() {
        session.onMessage(AgentMessages.ANNOUNCE_CAPABILITIES, 0, AnnounceCapabilities.of(false,
                AgentMessages.CAP_CLIPBOARD_BY_DEMAND).encode());
        sent.clear();
        session.setClipboard(ClipboardSelection.PRIMARY, ClipboardContent.text("p"));
        assertTrue(sent.isEmpty(), "nothing offered");
        ExecutionException e = assertThrows(ExecutionException.class, () -> session.clipboard(
                ClipboardSelection.PRIMARY, ClipboardType.UTF8_TEXT).get());
        assertTrue(e.getCause().getMessage().contains("PRIMARY"), e.getCause().getMessage());
        assertNull(ClipboardSelection.of(2));
    }
}
