package org.spice.agent.internal.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.spice.agent.api.ClipboardContent;
import org.spice.agent.api.ServerClipboard;

/** {@code spice:clipboard} shows and sets the server's shared clipboard. */
class AgentCommandsTest {

    static final class Clipboard implements ServerClipboard {
        ClipboardContent content;
        final List<Listener> listeners = new ArrayList<>();

        public ClipboardContent get() {
            return content;
        }

        public void set(ClipboardContent c) {
            content = c;
            listeners.forEach(l -> l.changed(c));
        }

        public void addListener(Listener l) {
            listeners.add(l);
        }

        public void removeListener(Listener l) {
            listeners.remove(l);
        }
    }

    @Test
    void clipboardShowsAndSets() {
        Clipboard c = new Clipboard();
        List<ClipboardContent> heard = new ArrayList<>();
        c.addListener(heard::add);
        AgentCommands commands = new AgentCommands(c);
        assertEquals("clipboard: empty", commands.clipboard());
        assertEquals("clipboard set (7 bytes)", commands.clipboard("h\u00e9llo!"));
        assertEquals(List.of(ClipboardContent.text("h\u00e9llo!")), heard);
        assertEquals("clipboard (7 bytes): h\u00e9llo!", commands.clipboard());
        c.set(ClipboardContent.png(new byte[300]));
        assertEquals("clipboard: image/png, 300 bytes", commands.clipboard());
    }
}
