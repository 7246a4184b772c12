package org.spice.agent.internal.server;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.spice.agent.internal.wire.AgentMessages;
import org.spice.agent.internal.wire.AgentMessages.FileXferData;
import org.spice.agent.internal.wire.AgentMessages.FileXferStart;
import org.spice.agent.internal.wire.AgentMessages.FileXferStatus;

/**
 * The files one client sends (VD_AGENT_FILE_XFER), received as spice-vdagent receives them: a start with the
 * file's name and size is answered with can-send-data (or why not), the data follows in messages of any size,
 * and the last byte brings a success status. Each file is written to a hidden part file in the directory and
 * renamed to a free name ({@code name}, {@code name (1)}, ...) once complete; a cancelled, failed or abandoned
 * transfer leaves nothing behind.
 */
final class FileReceiver {
    private static final System.Logger LOG = System.getLogger("org.spice.agent");
    /** Transfers one client may have under way at once. */
    static final int MAX_TRANSFERS = 32;

    /** The limits and the directory, from the agent's configuration. */
    record Settings(boolean enabled, Path dir, long maxSize) {
    }

    private final Settings settings;
    private final Consumer<FileXferStatus> reply;
    private final String peer;
    private final boolean detailedErrors;
    private final Map<Long, Transfer> transfers = new HashMap<>();

    private static final class Transfer {
        final long id;
        final String name;
        final long size;
        final Path part;
        final FileChannel out;
        long written;

        Transfer(long id, String name, long size, Path part, FileChannel out) {
            this.id = id;
            this.name = name;
            this.size = size;
            this.part = part;
            this.out = out;
        }
    }

    /**
     * @param reply sends a status to the client
     * @param detailedErrors whether the client announced VD_AGENT_CAP_FILE_XFER_DETAILED_ERRORS
     */
    FileReceiver(Settings settings, Consumer<FileXferStatus> reply, String peer, boolean detailedErrors) {
        this.settings = settings;
        this.reply = reply;
        this.peer = peer;
        this.detailedErrors = detailedErrors;
    }

    void start(FileXferStart s) {
        if (!settings.enabled()) {
            LOG.log(Level.INFO, peer + ": file " + s.id() + " refused: file transfer is disabled");
            reply.accept(FileXferStatus.of(s.id(), AgentMessages.XFER_DISABLED));
            return;
        }
        if (transfers.containsKey(s.id())) {
            LOG.log(Level.WARNING, peer + ": file " + s.id() + " refused: that id is already under way");
            reply.accept(FileXferStatus.of(s.id(), AgentMessages.XFER_ERROR));
            return;
        }
        String name = safeName(s.name());
        if (name == null) {
            LOG.log(Level.WARNING, peer + ": file " + s.id() + " refused: invalid file name");
            reply.accept(detailedErrors ? FileXferStatus.ioError(s.id(), AgentMessages.G_IO_ERROR_INVALID_FILENAME)
                    : FileXferStatus.of(s.id(), AgentMessages.XFER_ERROR));
            return;
        }
        if (s.size() > settings.maxSize()) {
            LOG.log(Level.WARNING, peer + ": file " + name + " refused: " + s.size() + " bytes exceed the limit of "
                    + settings.maxSize());
            reply.accept(FileXferStatus.of(s.id(), AgentMessages.XFER_ERROR));
            return;
        }
        if (transfers.size() >= MAX_TRANSFERS) {
            LOG.log(Level.WARNING, peer + ": file " + name + " refused: " + MAX_TRANSFERS + " transfers under way");
            reply.accept(FileXferStatus.of(s.id(), AgentMessages.XFER_ERROR));
            return;
        }
        Path part;
        FileChannel out;
        try {
            Files.createDirectories(settings.dir());
            long free = Files.getFileStore(settings.dir()).getUsableSpace();
            if (free < s.size()) {
                LOG.log(Level.WARNING, peer + ": file " + name + " refused: " + s.size() + " bytes, " + free
                        + " free in " + settings.dir());
                reply.accept(detailedErrors ? FileXferStatus.notEnoughSpace(s.id(), free)
                        : FileXferStatus.of(s.id(), AgentMessages.XFER_NOT_ENOUGH_SPACE));
                return;
            }
            part = Files.createTempFile(settings.dir(), ".spice-xfer-", ".part");
            out = FileChannel.open(part, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            LOG.log(Level.WARNING, peer + ": file " + name + " refused: " + e);
            reply.accept(FileXferStatus.of(s.id(), AgentMessages.XFER_ERROR));
            return;
        }
        Transfer t = new Transfer(s.id(), name, s.size(), part, out);
        transfers.put(s.id(), t);
        LOG.log(Level.INFO, peer + ": receiving file " + name + " (" + s.size() + " bytes)");
        if (s.size() == 0) {
            finish(t);
        } else {
            reply.accept(FileXferStatus.of(s.id(), AgentMessages.XFER_CAN_SEND_DATA));
        }
    }

    void data(FileXferData d) {
        Transfer t = transfers.get(d.id());
        if (t == null) {
            LOG.log(Level.DEBUG, peer + ": data for file " + d.id() + ", which is not under way, dropped");
            return;
        }
        if (t.written + d.data().length > t.size) {
            fail(t, "more data than the " + t.size + " bytes announced", AgentMessages.XFER_ERROR);
            return;
        }
        try {
            ByteBuffer b = ByteBuffer.wrap(d.data());
            while (b.hasRemaining()) {
                t.out.write(b);
            }
        } catch (IOException e) {
            fail(t, "cannot write: " + e, AgentMessages.XFER_ERROR);
            return;
        }
        t.written += d.data().length;
        if (t.written == t.size) {
            finish(t);
        }
    }

    /** A status from the client: it cancelled or failed the transfer. */
    void status(FileXferStatus s) {
        Transfer t = transfers.get(s.id());
        if (t == null) {
            return;
        }
        abort(t, s.result() == AgentMessages.XFER_CANCELLED ? "cancelled by the client"
                : "the client reports status " + s.result());
    }

    private void finish(Transfer t) {
        transfers.remove(t.id);
        try {
            t.out.force(false);
            t.out.close();
            Path target = moveToFreeName(t.part, t.name);
            LOG.log(Level.INFO, peer + ": file received: " + t.name + " (" + t.size + " bytes) saved as " + target);
            reply.accept(FileXferStatus.of(t.id, AgentMessages.XFER_SUCCESS));
        } catch (IOException e) {
            discard(t);
            LOG.log(Level.WARNING, peer + ": file " + t.name + " failed: " + e);
            reply.accept(FileXferStatus.of(t.id, AgentMessages.XFER_ERROR));
        }
    }

    private Path moveToFreeName(Path part, String name) throws IOException {
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : "";
        for (int i = 0; i < 10_000; i++) {
            Path target = settings.dir().resolve(i == 0 ? name : stem + " (" + i + ")" + ext);
            if (Files.exists(target)) {
                continue;
            }
            try {
                // a hard link never replaces a file that appeared meanwhile; then the part file goes
                Files.createLink(target, part);
                Files.delete(part);
                return target;
            } catch (FileAlreadyExistsException raced) {
                continue;
            } catch (UnsupportedOperationException | IOException noLinks) {
                if (Files.exists(target)) {
                    continue;
                }
                return Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
            }
        }
        throw new IOException("no free name for " + name + " in " + settings.dir());
    }

    private void fail(Transfer t, String why, int status) {
        abort(t, why);
        reply.accept(FileXferStatus.of(t.id, status));
    }

    private void abort(Transfer t, String why) {
        transfers.remove(t.id);
        discard(t);
        LOG.log(Level.INFO, peer + ": file " + t.name + " not received: " + why);
    }

    private static void discard(Transfer t) {
        try {
            t.out.close();
        } catch (IOException ignored) {
            // being thrown away
        }
        try {
            Files.deleteIfExists(t.part);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot delete " + t.part + ": " + e);
        }
    }

    /** The client went away: transfers under way are thrown away. */
    void close() {
        for (Transfer t : transfers.values().toArray(Transfer[]::new)) {
            abort(t, "the client's agent stream ended");
        }
    }

    int underWay() {
        return transfers.size();
    }

    /**
     * The name to save a file under: its last path element (clients send a base name; a path is cut to it), or
     * null when nothing usable is left (empty, "." or "..", control characters, longer than 255 bytes).
     */
    static String safeName(String sent) {
        String n = sent;
        int cut = Math.max(n.lastIndexOf('/'), n.lastIndexOf('\\'));
        if (cut >= 0) {
            n = n.substring(cut + 1);
        }
        if (n.isEmpty() || n.equals(".") || n.equals("..") || n.startsWith(".spice-xfer-")
                || n.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 255) {
            return null;
        }
        for (int i = 0; i < n.length(); i++) {
            if (n.charAt(i) < 0x20 || n.charAt(i) == 0x7f) {
                return null;
            }
        }
        return n;
    }
}
