package org.spice.cursor.internal;

import io.netty.buffer.ByteBuf;
import org.osgi.service.component.annotations.Component;
import org.spice.cursor.api.CursorShape;
import org.spice.protocol.Capabilities;
import org.spice.protocol.ChannelType;
import org.spice.protocol.spi.ChannelHandler;
import org.spice.protocol.spi.ServerChannelContext;
import org.spice.protocol.spi.ServerChannelFactory;

/**
 * The server side of the cursor channel: every client gets the demo cursor ({@link #ROWS}, an orange arrow) at the
 * centre of a 1024x768 screen.
 */
@Component(property = ServerChannelFactory.CHANNEL_TYPE + ":Integer=" + ChannelType.CURSOR)
public final class CursorServerFactory implements ServerChannelFactory {
    @Override
    public int channelType() {
        return ChannelType.CURSOR;
    }

    @Override
    public Capabilities channelCapabilities() {
        return Capabilities.NONE;
    }

    @Override
    public boolean usesAckWindow() {
        return true;
    }

    @Override
    public ChannelHandler open(ServerChannelContext ctx) {
        ctx.send(new CursorMessages.Init(512, 384, true, 1, ARROW));
        return new ChannelHandler() {
            @Override
            public void onMessage(int type, ByteBuf body) {
                throw ChannelHandler.unknownMessage(ctx, type); // clients send nothing on the cursor channel
            }
        };
    }

    /**
     * The demo cursor: a 16x22 orange arrow with a dark blue outline and a magenta dot, transparent around, hot spot
     * at (1,1). Colours no desktop theme uses, so a viewer that shows it is plainly showing ours.
     */
    static final String[] ROWS = {
        "BB", "BOB", "BOOB", "BOOOB", "BOOOOB", "BOOOOOB", "BOOOOOOB", "BOOOMOOOB", "BOOOMMMOOB", "BOOOMMMOOOB",
        "BOOOOMOOOOOB", "BOOOOOOOOOOOB", "BOOOOOOOOOOOOB", "BOOOOOOBBBBBBBB", "BOOOBOOB", "BOOBBOOOB",
        "BOB  BOOB", "BB   BOOOB", "B     BOOB", "      BOOOB", "       BOOB", "        BB"};
    static final int OUTLINE = 0xff1a237e;
    static final int FILL = 0xffff8f00;
    static final int DOT = 0xffd500f9;
    static final CursorShape ARROW = arrow();

    private static CursorShape arrow() {
        int w = 16;
        int h = ROWS.length;
        int[] px = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < ROWS[y].length(); x++) {
                char c = ROWS[y].charAt(x);
                px[y * w + x] = c == 'B' ? OUTLINE : c == 'O' ? FILL : c == 'M' ? DOT : 0;
            }
        }
        return new CursorShape(w, h, 1, 1, px, new boolean[w * h]);
    }
}
