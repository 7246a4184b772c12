package org.spice.smartcard.internal;

import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.spice.smartcard.api.RemoteSmartcard;
import org.spice.smartcard.api.RemoteSmartcards;

/** Gogo commands {@code spice:smartcards} (the readers clients added) and {@code spice:apdu HEX}. */
@Component(service = SmartcardCommands.class, property = {
    "osgi.command.scope=spice",
    "osgi.command.function=smartcards",
    "osgi.command.function=apdu"
})
public final class SmartcardCommands {
    /** How long apdu waits for a client's card to appear. */
    static final long WAIT_SECONDS = 60;
    private final RemoteSmartcards cards;

    @Activate
    public SmartcardCommands(@Reference RemoteSmartcards cards) {
        this.cards = cards;
    }

    public String smartcards() {
        StringBuilder b = new StringBuilder();
        for (RemoteSmartcard r : cards.readers()) {
            b.append("client 0x").append(Long.toHexString(r.connectionId())).append(" reader ").append(r.readerId())
                    .append(" '").append(r.readerName()).append("': ")
                    .append(r.atr().map(a -> "ATR " + HexFormat.of().formatHex(a)).orElse("no card")).append('\n');
        }
        return b.length() == 0 ? "no smartcard readers\n" : b.toString();
    }

    /**
     * Sends a command APDU (hex) to the first client card, waiting up to a minute for one to be inserted, and
     * returns the response in hex.
     */
    public String apdu(String hex) throws Exception {
        byte[] command = HexFormat.of().parseHex(hex.replace(" ", ""));
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (true) {
            for (RemoteSmartcard r : cards.readers()) {
                if (r.atr().isPresent()) {
                    byte[] response = r.transmit(command).toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
                    return HexFormat.of().withUpperCase().formatHex(response);
                }
            }
            if (System.nanoTime() > end) {
                return "no client card within " + WAIT_SECONDS + " s";
            }
            Thread.sleep(200);
        }
    }
}
