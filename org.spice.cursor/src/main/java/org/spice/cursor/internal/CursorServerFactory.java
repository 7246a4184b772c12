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
 * The server side of the cursor channel: every client gets an arrow at the centre of a 1024x768 screen. The
 * cursor follows the pointer once the inputs channel reports positions.
 */
@Component(property = ServerChannelFactory.CHANNEL_TYPE + ":Integer=" + ChannelType.CURSOR)
public final class CursorServerFactory implements ServerChannelFactory {
    static final CursorShape ARROW = arrow();

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

    /** A 12x19 arrow: black outline, white inside, transparent around, hot spot at its tip. */
    private static CursorShape arrow() {
        String[] rows = {
            "X", "XX", "X.X", "X..X", "X...X", "X....X", "X.....X", "X......X", "X.......X", "X........X",
            "X.........X", "X......XXXXX", "X...X..X", "X..XX..X", "X.X  X..X", "XX   X..X", "X     X..X",
            "      X..X", "       XX"};
        int w = 12;
        int h = rows.length;
        int[] px = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < rows[y].length(); x++) {
                char c = rows[y].charAt(x);
                px[y * w + x] = c == 'X' ? 0xff000000 : c == '.' ? 0xffffffff : 0;
            }
        }
        return new CursorShape(w, h, 0, 0, px, new boolean[w * h]);
    }
}
