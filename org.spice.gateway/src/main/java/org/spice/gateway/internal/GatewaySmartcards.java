package org.spice.gateway.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongFunction;
import java.util.function.LongPredicate;
import org.spice.smartcard.api.RemoteSmartcard;
import org.spice.smartcard.api.SmartcardSharing.SharedReader;
import org.spice.smartcard.api.VirtualCard;

/**
 * The cards viewers put in readers on this runtime's server ({@link RemoteSmartcard}), presented to the VM's
 * smartcard channel while their viewer controls the VM (the {@link GatewayInputs#controls} rule): a reader of the
 * same name holding a card with the same ATR, whose APDUs the gateway passes to the viewer's card and whose answers
 * it passes back. A watcher's card is not presented (logged once); a card taken out, a reader removed, a viewer that
 * leaves or loses control takes the reader out of the VM; a new VM session gets every controller's card again.
 *
 * <p>Every change is worked out by {@link #reconcile()} on the gateway's executor, which the gateway also runs every
 * second, since control passes on without any card event.
 */
final class GatewaySmartcards {
    private static final System.Logger LOG = System.getLogger("org.spice.gateway");
    /** How long the VM waits for a viewer's card to answer one APDU (a real card may ask its holder for a PIN). */
    static final long TRANSMIT_SECONDS = 30;

    /** Shares a card on the VM's smartcard channel. */
    interface Sharer {
        CompletableFuture<SharedReader> share(String readerName, VirtualCard card);
    }

    private final LongPredicate controls;
    private final LongFunction<String> watchReason;
    private final Executor executor;
    private final Set<RemoteSmartcard> cards = ConcurrentHashMap.newKeySet();
    private final RemoteSmartcard.Listener changed = new RemoteSmartcard.Listener() {
        @Override
        public void cardInserted(byte[] atr) {
            changed();
        }

        @Override
        public void cardRemoved() {
            changed();
        }
    };
    /** Executor only from here on. */
    private Sharer sharer;
    private final Map<RemoteSmartcard, Presented> presented = new HashMap<>();
    private final Set<RemoteSmartcard> toldWatching = new java.util.HashSet<>();

    /** A viewer's card as the VM has it: the ATR it was presented with, and the VM's reader. */
    private record Presented(byte[] atr, CompletableFuture<SharedReader> reader) {
    }

    GatewaySmartcards(LongPredicate controls, LongFunction<String> watchReason, Executor executor) {
        this.controls = controls;
        this.watchReason = watchReason;
        this.executor = executor;
    }

    /** A viewer added a reader; any thread. */
    void added(RemoteSmartcard card) {
        cards.add(card);
        card.addListener(changed);
        changed();
    }

    /** A viewer's reader is gone; any thread. */
    void removed(RemoteSmartcard card) {
        cards.remove(card);
        card.removeListener(changed);
        changed();
    }

    private void changed() {
        executor.execute(this::reconcile);
    }

    /** The VM's session has a smartcard channel, shared on through {@code s}; executor only. */
    void attached(Sharer s) {
        sharer = s;
        reconcile();
    }

    /** The VM's session ended, and its readers with it; executor only. */
    void detached() {
        sharer = null;
        presented.clear();
    }

    /** Presents the controllers' cards and takes out every other; executor only. */
    void reconcile() {
        for (RemoteSmartcard card : List.copyOf(presented.keySet())) {
            String why = !cards.contains(card) ? "the viewer removed its reader"
                    : card.atr().isEmpty()
                            ? "the card left the viewer's reader (taken out, or the reader or the viewer went)"
                    : !java.util.Arrays.equals(card.atr().get(), presented.get(card).atr()) ? "the card was reset"
                    : !controls.test(card.connectionId()) ? watchReason.apply(card.connectionId()) : null;
            if (why != null) {
                withdraw(card, why);
            }
        }
        toldWatching.retainAll(cards);
        for (RemoteSmartcard card : cards) {
            if (presented.containsKey(card) || sharer == null || card.atr().isEmpty()) {
                continue;
            }
            if (!controls.test(card.connectionId())) {
                if (toldWatching.add(card)) {
                    LOG.log(Level.INFO, "gateway: " + describe(card) + " is not presented to the VM: "
                            + watchReason.apply(card.connectionId()));
                }
                continue;
            }
            toldWatching.remove(card);
            present(card);
        }
    }

    private void present(RemoteSmartcard card) {
        byte[] atr = card.atr().orElseThrow();
        CompletableFuture<SharedReader> reader = sharer.share(card.readerName(), new RelayedCard(card, atr));
        presented.put(card, new Presented(atr, reader));
        reader.whenComplete((r, failure) -> {
            if (failure != null) {
                // Kept as presented, so it is not offered again and again; a new VM session tries again.
                LOG.log(Level.WARNING, "gateway: the VM did not take " + describe(card) + ": " + failure.getMessage());
            } else {
                LOG.log(Level.INFO, "gateway: " + describe(card) + " is presented to the VM (reader id "
                        + r.readerId() + ", ATR " + HexFormat.of().formatHex(atr) + ")");
            }
        });
    }

    private void withdraw(RemoteSmartcard card, String why) {
        Presented p = presented.remove(card);
        LOG.log(Level.INFO, "gateway: " + describe(card) + " is taken out of the VM: " + why);
        p.reader().thenAccept(SharedReader::close);
    }

    /** Takes every card out of the VM; executor only. */
    void close() {
        for (RemoteSmartcard card : List.copyOf(presented.keySet())) {
            withdraw(card, "the gateway stops");
        }
        cards.forEach(c -> c.removeListener(changed));
    }

    private static String describe(RemoteSmartcard card) {
        return "viewer 0x" + Long.toHexString(card.connectionId()) + "'s card in reader '" + card.readerName() + "'";
    }

    /** A viewer's card as the VM's reader sees it: each APDU is answered by the viewer's card. */
    static final class RelayedCard implements VirtualCard {
        private final RemoteSmartcard card;
        private final byte[] atr;

        RelayedCard(RemoteSmartcard card, byte[] atr) {
            this.card = card;
            this.atr = atr.clone();
        }

        @Override
        public byte[] atr() {
            return atr.clone();
        }

        /** Called on the VM reader's own thread, so it may wait for the viewer's answer. */
        @Override
        public byte[] transmit(byte[] command) throws IOException {
            try {
                return card.transmit(command).toCompletableFuture().get(TRANSMIT_SECONDS, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                throw new IOException(describe() + ": " + e.getCause().getMessage(), e.getCause());
            } catch (TimeoutException e) {
                throw new IOException(describe() + " did not answer within " + TRANSMIT_SECONDS + " s");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException(describe() + ": interrupted");
            }
        }

        @Override
        public String describe() {
            return GatewaySmartcards.describe(card);
        }
    }
}
