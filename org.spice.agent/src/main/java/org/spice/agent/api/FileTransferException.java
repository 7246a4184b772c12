package org.spice.agent.api;

/** A file transfer that did not succeed: the agent's status (VD_AGENT_FILE_XFER_STATUS_*) and why. */
public class FileTransferException extends Exception {
    private static final long serialVersionUID = 1L;
    /** The agent's status number; -1 when the transfer ended without one (cancelled here, agent gone). */
    private final long status;

    public FileTransferException(long status, String message) {
        super(message);
        this.status = status;
    }

    public long status() {
        return status;
    }
}
