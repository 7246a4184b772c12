package org.spice.smartcard.internal.pcsc;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import javax.smartcardio.Card;
import javax.smartcardio.CardException;
import javax.smartcardio.CardTerminal;
import javax.smartcardio.CommandAPDU;
import javax.smartcardio.TerminalFactory;
import org.spice.smartcard.api.PcscReaders;
import org.spice.smartcard.api.VirtualCard;

/** PC/SC through javax.smartcardio: the only class of the bundle that needs that module. */
final class PcscCardReaders implements PcscReaders {

    @Override
    public List<String> readers() throws IOException {
        try {
            List<String> names = new ArrayList<>();
            for (CardTerminal t : TerminalFactory.getDefault().terminals().list()) {
                names.add(t.getName());
            }
            return names;
        } catch (CardException e) {
            throw new IOException("PC/SC: " + e.getMessage(), e);
        }
    }

    @Override
    public VirtualCard connect(String name) throws IOException {
        try {
            CardTerminal t = TerminalFactory.getDefault().terminals().getTerminal(name);
            if (t == null) {
                throw new IOException("PC/SC has no reader '" + name + "'" + known());
            }
            if (!t.isCardPresent()) {
                throw new IOException("no card in reader '" + name + "'");
            }
            Card card = t.connect("*");
            card.beginExclusive();
            return new PassedThrough(name, card);
        } catch (CardException e) {
            throw new IOException("PC/SC reader '" + name + "': " + e.getMessage(), e);
        }
    }

    /** " (readers: [...])" for the error message, or nothing when PC/SC cannot list them. */
    private String known() {
        try {
            return " (readers: " + readers() + ")";
        } catch (IOException e) {
            return "";
        }
    }

    /** A real card: its ATR, and APDUs passed to it unchanged. */
    private record PassedThrough(String reader, Card card) implements VirtualCard {
        @Override
        public byte[] atr() {
            return card.getATR().getBytes();
        }

        @Override
        public byte[] transmit(byte[] command) throws IOException {
            try {
                return card.getBasicChannel().transmit(new CommandAPDU(command)).getBytes();
            } catch (CardException | IllegalArgumentException e) {
                throw new IOException("PC/SC reader '" + reader + "': " + e.getMessage(), e);
            }
        }

        @Override
        public String describe() {
            return "card in PC/SC reader '" + reader + "'";
        }
    }
}
