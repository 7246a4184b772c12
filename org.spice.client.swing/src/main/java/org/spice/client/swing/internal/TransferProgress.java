package org.spice.client.swing.internal;

import java.awt.BorderLayout;
import java.util.concurrent.CompletionException;
import javax.swing.JButton;
import javax.swing.JPanel;
import javax.swing.JProgressBar;
import org.spice.agent.api.FileTransfer;

/**
 * One file transfer's progress bar with a Cancel button, and then its outcome (sent, cancelled, or why it failed).
 * A panel, so that it works without a screen; the window around it is {@link AgentBridge}'s. Used on the event
 * dispatch thread.
 */
final class TransferProgress extends JPanel {
    private static final long serialVersionUID = 1L;

    /** How a transfer ended, as {@link #refresh} finds it. */
    enum Outcome {
        SENDING, SENT, CANCELLED, FAILED
    }

    private final transient FileTransfer transfer;
    private final JProgressBar bar = new JProgressBar(0, 1000);
    private final JButton cancel = new JButton("Cancel");
    private boolean cancelled;
    private Outcome outcome = Outcome.SENDING;
    private String failure;

    TransferProgress(FileTransfer transfer) {
        super(new BorderLayout());
        this.transfer = transfer;
        bar.setStringPainted(true);
        bar.setString("Sending " + transfer.name());
        cancel.addActionListener(e -> {
            cancelled = true;
            cancel.setEnabled(false);
            bar.setString("Cancelling " + transfer.name());
            transfer.cancel();
        });
        add(bar, BorderLayout.CENTER);
        add(cancel, BorderLayout.EAST);
    }

    /** Shows the transfer's progress or outcome now; returns the outcome (SENDING until it ended). */
    Outcome refresh() {
        if (outcome != Outcome.SENDING) {
            return outcome;
        }
        long size = transfer.size();
        bar.setValue(size == 0 ? 1000 : (int) (1000 * Math.min(transfer.sent(), size) / size));
        if (!transfer.done().isDone()) {
            return outcome;
        }
        cancel.setEnabled(false);
        if (!transfer.done().isCompletedExceptionally()) {
            outcome = Outcome.SENT;
            bar.setValue(1000);
            bar.setString("Sent " + transfer.name());
        } else if (cancelled) {
            outcome = Outcome.CANCELLED;
            bar.setString("Cancelled " + transfer.name() + " (" + percent() + " sent)");
        } else {
            outcome = Outcome.FAILED;
            failure = transfer.done().handle((v, e) -> (e instanceof CompletionException c && c.getCause() != null
                    ? c.getCause() : e).getMessage()).join();
            bar.setString("Not sent: " + failure);
        }
        return outcome;
    }

    /** Why the transfer failed, once {@link #refresh} said FAILED; else null. */
    String failure() {
        return failure;
    }

    /** What the bar says. */
    String text() {
        return bar.getString();
    }

    JButton cancelButton() {
        return cancel;
    }

    private String percent() {
        return transfer.size() == 0 ? "100%" : (100 * Math.min(transfer.sent(), transfer.size()) / transfer.size())
                + "%";
    }
}
