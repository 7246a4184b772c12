package org.spice.tunnel.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TunnelShareCommandTest {
    private static String refusal(org.junit.jupiter.api.function.Executable check) {
        return assertThrows(IllegalArgumentException.class, check).getMessage();
    }

    @Test
    void aTunnelServiceIsANameAndAHostPort() {
        TunnelShareCommand.Service s = TunnelShareCommand.Service.parse("web=localhost:8080");
        assertEquals("web", s.name());
        assertEquals("localhost", s.target().getHostString());
        assertEquals(8080, s.target().getPort());
        assertEquals("--service wants NAME=HOST:PORT, not web",
                refusal(() -> TunnelShareCommand.Service.parse("web")));
        assertEquals("--service web wants HOST:PORT, not localhost",
                refusal(() -> TunnelShareCommand.Service.parse("web=localhost")));
        assertEquals("--service web 127.0.0.1:99999: port out of range",
                refusal(() -> TunnelShareCommand.Service.parse("web=127.0.0.1:99999")));
    }
}
