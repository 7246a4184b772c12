package org.spice.agent.internal.server;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the server's agent (PID {@value #PID}): clipboard, monitors config and file transfer. */
@ObjectClassDefinition(name = "SPICE agent", description = "Our server as its own agent: the clipboard it shares"
        + " with clients, whether the display follows their monitors config, and where files they send go.")
public @interface AgentConfig {
    String PID = "org.spice.agent";

    @AttributeDefinition(description = "The largest clipboard taken from or offered to a client, in bytes.")
    int clipboard_max_size() default 32 << 20;

    @AttributeDefinition(description = "The clipboard shared with clients: 'auto' (the host's clipboard when there"
            + " is a display, else one in memory), 'host' or 'memory'.")
    String clipboard_backend() default "auto";

    @AttributeDefinition(description = "Whether a client's monitors config resizes the display (the demo source"
            + " follows; an image source keeps its size).")
    boolean monitors_config() default true;

    @AttributeDefinition(description = "Whether clients may send files (VD_AGENT_FILE_XFER).")
    boolean file_xfer_enabled() default true;

    @AttributeDefinition(description = "Directory for files clients send; empty for java.io.tmpdir/spice-files.")
    String file_xfer_dir() default "";

    @AttributeDefinition(description = "The largest file a client may send, in bytes.")
    long file_xfer_max_size() default 1L << 30;
}
