package org.spice.tunnel.internal;

import org.spice.tunnel.internal.wire.TunnelMessages;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.spice.protocol.Capabilities;
import org.spice.protocol.ChannelType;
import org.spice.protocol.FakeFactories;
import org.spice.protocol.LeakCheck;
import org.spice.protocol.LogCapture;
import org.spice.protocol.client.ClientOptions;
import org.spice.protocol.client.ClientSession;
import org.spice.protocol.internal.engine.ClientEngine;
import org.spice.protocol.internal.engine.ServerEngine;
import org.spice.protocol.spi.ClientChannelFactory;
import org.spice.protocol.wire.SpiceMessage;
import org.spice.tunnel.api.PortConnection;

/** A client that sends a crafted bad tunnel message: our server closes that channel only, the port still echoes. */
@ExtendWith(LeakCheck.class)
class BadInputTest {

    @Test
    void aBadServiceAddClosesOnlyTheTunnelChannel() throws Exception {
        try (ServerEngine server = PortTest.server("bad").start();
                LogCapture log = new LogCapture("org.spice.protocol")) {
            server.addFactory(new TunnelServerFactory());
            PortServerFactory ports = new PortServerFactory();
            ports.addPort(new EchoPort());
            server.addFactory(ports);
            PortClientFactory portClient = new PortClientFactory();
            ClientChannelFactory evil = FakeFactories.client(ChannelType.TUNNEL, Capabilities.NONE, ctx -> {
                // service_add whose name pointer lies past the end of the message
                ctx.send(new SpiceMessage() {
                    public int type() {
                        return TunnelMessages.C_SERVICE_ADD;
                    }

                    public void encode(ByteBuf out) {
                        out.writeShortLE(TunnelMessages.SERVICE_GENERIC).writeIntLE(1).writeIntLE(0).writeIntLE(80)
                                .writeIntLE(5000).writeIntLE(22);
                    }
                });
                return (type, body) -> body.skipBytes(body.readableBytes());
            });
            try (ClientEngine engine = new ClientEngine(t -> t == ChannelType.TUNNEL ? evil
                    : t == ChannelType.PORT ? portClient : null)) {
                ClientSession s = engine.connect(PortTest.uri(server), ClientOptions.defaults()).get(20, TimeUnit.SECONDS);
                String line = log.await("service_add name: offset 5000 outside the message");
                assertTrue(line.contains("tunnel:0"), line);
                assertFalse(s.closed().isDone());
                try (PortConnection p = portClient.open(s, EchoPort.NAME).get(20, TimeUnit.SECONDS)) {
                    p.output().write(new byte[] {1, 2, 3});
                    assertArrayEquals(new byte[] {1, 2, 3}, p.input().readNBytes(3));
                }
            }
        }
    }
}
