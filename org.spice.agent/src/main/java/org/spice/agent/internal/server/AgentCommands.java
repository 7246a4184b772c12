package org.spice.agent.internal.server;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.spice.agent.api.ClipboardContent;
import org.spice.agent.api.ClipboardType;
import org.spice.agent.api.ServerClipboard;

/**
 * Gogo command {@code spice:clipboard [TEXT]}: shows or sets the clipboard our server's agent shares with its
 * clients. Contributed by this bundle, so it goes when the agent bundle goes.
 */
@Component(service = AgentCommands.class, property = {
    "osgi.command.scope=spice",
    "osgi.command.function=clipboard"
})
public final class AgentCommands {
    private final ServerClipboard clipboard;

    @Activate
    public AgentCommands(@Reference(policyOption = ReferencePolicyOption.GREEDY) ServerClipboard clipboard) {
        this.clipboard = clipboard;
    }

    /** What the server's shared clipboard holds: text as it is, other types by type and size. */
    public String clipboard() {
        ClipboardContent content = clipboard.get();
        if (content == null) {
            return "clipboard: empty";
        }
        return content.type() == ClipboardType.UTF8_TEXT ? "clipboard (" + content.size() + " bytes): "
                + content.text() : "clipboard: " + content;
    }

    /** Puts {@code text} on the server's shared clipboard; connected clients are offered it. */
    public String clipboard(String text) {
        clipboard.set(ClipboardContent.text(text));
        return "clipboard set (" + ClipboardContent.text(text).size() + " bytes)";
    }
}
