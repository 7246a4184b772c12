package org.spice.inputs.internal;

import org.spice.inputs.internal.wire.InputsMessages;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.spice.desktop.InputSink;
import org.spice.desktop.KeyLocks;
import org.spice.desktop.UsKeyboard;
import org.spice.protocol.Capabilities;
import org.spice.protocol.ChannelType;
import org.spice.protocol.spi.ChannelHandler;
import org.spice.protocol.spi.ServerChannelContext;
import org.spice.protocol.spi.ServerChannelFactory;
import org.spice.protocol.spi.SpiceChannel;

/**
 * The server side of the inputs channel: sends init with the lock keys' state, acknowledges every fourth motion
 * or position message, and hands keys and pointer events to the registered {@link InputSink}s. The lock keys
 * are one state for the whole session, as a guest has one keyboard: Caps, Num and Scroll Lock presses toggle it
 * and every client hears of the change.
 */
@Component(configurationPid = InputsConfig.PID)
@SpiceChannel(type = ChannelType.INPUTS)
@Designate(ocd = InputsConfig.class)
public final class InputsServerFactory implements ServerChannelFactory {
    static final System.Logger LOG = System.getLogger("org.spice.inputs");

    final List<InputSink> sinks = new CopyOnWriteArrayList<>();
    final Set<InputsServerChannel> channels = ConcurrentHashMap.newKeySet();
    volatile boolean logKeys;
    private volatile int locks;

    @Activate
    public InputsServerFactory(InputsConfig config) {
        modified(config);
    }

    private InputsServerFactory(boolean logKeys) {
        this.logKeys = logKeys;
    }

    /** Outside a framework, for diagnosis: key presses are logged at INFO. */
    public static InputsServerFactory loggingKeys() {
        return new InputsServerFactory(true);
    }

    @Modified
    void modified(InputsConfig config) {
        logKeys = config.log_keys();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    public void addSink(InputSink sink) {
        sinks.add(sink);
    }

    public void removeSink(InputSink sink) {
        sinks.remove(sink);
    }

    @Override
    public Capabilities channelCapabilities() {
        return Capabilities.of(InputsMessages.CAP_KEY_SCANCODE);
    }

    @Override
    public ChannelHandler open(ServerChannelContext ctx) {
        InputsServerChannel c = new InputsServerChannel(this, ctx);
        channels.add(c);
        ctx.send(new InputsMessages.Init(locks));
        return c;
    }

    /** Toggles lock flags; synchronized, since clients' channels run on different threads. */
    synchronized void toggleLocks(int flags) {
        setLocks(locks ^ flags);
    }

    /** The session's lock keys changed: tell every client, as spice-server does. */
    synchronized void setLocks(int newLocks) {
        if (newLocks != locks) {
            locks = newLocks;
            LOG.log(Level.DEBUG, () -> "inputs: lock keys now " + KeyLocks.describe(newLocks));
            for (InputsServerChannel c : channels) {
                c.locksChanged(newLocks);
            }
        }
    }

    static int lockOf(int code) {
        return switch (code) {
            case UsKeyboard.CAPS_LOCK -> KeyLocks.CAPS_LOCK;
            case UsKeyboard.NUM_LOCK -> KeyLocks.NUM_LOCK;
            case UsKeyboard.SCROLL_LOCK -> KeyLocks.SCROLL_LOCK;
            default -> 0;
        };
    }
}
