package org.spice.client.swing.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import javax.swing.SwingUtilities;
import org.junit.jupiter.api.Test;
import org.spice.agent.api.FileTransfer;
import org.spice.agent.api.FileTransferException;

/** A file transfer's progress panel: the bar, the Cancel button and the outcome it says (no screen needed). */
class TransferProgressTest {
    /** A transfer the test moves on by hand; cancel() fails it as the agent bundle does. */
    private static final class Transfer implements FileTransfer {
        final CompletableFuture<Void> done = new CompletableFuture<>();
        volatile long sent;
        int cancels;

        @Override
        public long id() {
            return 1;
        }

        @Override
        public String name() {
            return "big.bin";
        }

        @Override
        public long size() {
            return 1000;
        }

        @Override
        public long sent() {
            return sent;
        }

        @Override
        public CompletableFuture<Void> done() {
            return done;
        }

        @Override
        public void cancel() {
            cancels++;
            done.completeExceptionally(new FileTransferException(-1, "big.bin: cancelled"));
        }
    }

    @Test
    void cancelStopsTheTransferAndSaysSo() throws Exception {
        Transfer t = new Transfer();
        SwingUtilities.invokeAndWait(() -> {
            TransferProgress p = new TransferProgress(t);
            t.sent = 250;
            assertEquals(TransferProgress.Outcome.SENDING, p.refresh());
            assertEquals("Sending big.bin", p.text());
            assertTrue(p.cancelButton().isEnabled());

            p.cancelButton().doClick();
            assertEquals(1, t.cancels, "Cancel cancels the transfer");
            assertFalse(p.cancelButton().isEnabled(), "Cancel is pressed once");
            assertEquals(TransferProgress.Outcome.CANCELLED, p.refresh());
            assertEquals("Cancelled big.bin (25% sent)", p.text());
            assertNull(p.failure());
            assertEquals(TransferProgress.Outcome.CANCELLED, p.refresh(), "the outcome stays");
        });
    }

    @Test
    void aSentFileSaysSent() throws Exception {
        Transfer t = new Transfer();
        SwingUtilities.invokeAndWait(() -> {
            TransferProgress p = new TransferProgress(t);
            t.sent = 1000;
            t.done.complete(null);
            assertEquals(TransferProgress.Outcome.SENT, p.refresh());
            assertEquals("Sent big.bin", p.text());
            assertFalse(p.cancelButton().isEnabled());
            assertEquals(0, t.cancels);
        });
    }

    /** A failure not asked for (the agent's disk full) is a failure with the agent's reason, not a cancel. */
    @Test
    void aFailureSaysWhy() throws Exception {
        Transfer t = new Transfer();
        SwingUtilities.invokeAndWait(() -> {
            TransferProgress p = new TransferProgress(t);
            t.done.completeExceptionally(new FileTransferException(3, "big.bin: not enough space on the agent's side"));
            assertEquals(TransferProgress.Outcome.FAILED, p.refresh());
            assertEquals("big.bin: not enough space on the agent's side", p.failure());
            assertEquals("Not sent: big.bin: not enough space on the agent's side", p.text());
        });
    }
}
