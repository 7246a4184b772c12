package org.spice.smartcard.internal.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.osgi.service.component.annotations.Component;
import org.osgi.util.tracker.ServiceTracker;
import org.spice.cli.ClientCommand;
import org.spice.cli.CommandContext;
import org.spice.cli.CommandProvider;
import org.spice.cli.ExitCodes;
import org.spice.protocol.ChannelType;
import org.spice.protocol.SpiceUri;
import org.spice.protocol.client.ClientSession;
import org.spice.smartcard.api.PcscReaders;
import org.spice.smartcard.api.PivCard;
import org.spice.smartcard.api.SmartcardSharing;
import org.spice.smartcard.api.VirtualCard;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code spice smartcard-share (--pkcs12 FILE --pin-file F | --reader NAME) URI}: shares an emulated PIV card or a
 * real card of a PC/SC reader over the server's smartcard channel until killed, the time is up or the server
 * disconnects.
 */
@Command(name = "smartcard-share", mixinStandardHelpOptions = true,
        description = "Share a smartcard over the smartcard channel: an emulated PIV card holding the keys and"
                + " certificates of a PKCS#12 file, or the card in a PC/SC reader.",
        footer = {"", "Secrets come from files or the environment, never from the command line: the card PIN from"
                + " --pin-file or SPICE_CARD_PIN, the PKCS#12 password from --pkcs12-password-file or"
                + " SPICE_PKCS12_PASSWORD (default: the PIN).", "",
                "Example: spice smartcard-share --pkcs12 me.p12 --pin-file pin.txt spice://127.0.0.1:5900"})
public final class SmartcardShareCommand extends ClientCommand<SmartcardSharing> {
    static final String DEFAULT_READER = "SPICE JVM virtual PIV reader";

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = "--pkcs12", paramLabel = "FILE", description = "Emulate a PIV card with this file's keys.")
        Path pkcs12;

        @Option(names = "--reader", paramLabel = "NAME", description = "Pass through the card of this PC/SC reader.")
        String reader;
    }

    @Option(names = "--pin-file", paramLabel = "F", description = "File with the emulated card's PIN (1-8 bytes).")
    Path pinFile;

    @Option(names = "--pkcs12-password-file", paramLabel = "F", description = "File with the PKCS#12 password.")
    Path pkcs12PasswordFile;

    @Option(names = "--reader-name", description = "Reader name the server sees (default: the PC/SC reader's, or"
            + " '" + DEFAULT_READER + "').")
    String readerName;

    @Option(names = "--seconds", description = "Stop after this many seconds (default: share until killed).")
    int seconds;

    /** The card, made or connected by validate(): a bad file or secret, or a reader that is not there, is a usage error. */
    private VirtualCard card;

    SmartcardShareCommand(CommandContext rt) {
        super(rt, SmartcardSharing.class, "smartcard (org.spice.smartcard)");
    }

    @Override
    protected void validate() throws IOException {
        if (source.pkcs12 == null) {
            card = passedThrough();
            return;
        }
        byte[] pin = secret(pinFile, "SPICE_CARD_PIN", "the card PIN: give --pin-file or set SPICE_CARD_PIN");
        byte[] password = pkcs12PasswordFile != null || System.getenv("SPICE_PKCS12_PASSWORD") != null
                ? secret(pkcs12PasswordFile, "SPICE_PKCS12_PASSWORD", null) : pin.clone();
        char[] chars = new String(password, StandardCharsets.UTF_8).toCharArray();
        try {
            card = PivCard.fromPkcs12(source.pkcs12, chars, pin);
        } catch (IOException e) {
            throw new IOException(source.pkcs12 + ": " + e.getMessage()
                    + " (a wrong PKCS#12 password reads as a broken file)", e);
        } catch (GeneralSecurityException e) {
            throw new IOException(source.pkcs12 + ": " + e.getMessage(), e);
        } finally {
            Arrays.fill(chars, '\0');
            Arrays.fill(password, (byte) 0);
            Arrays.fill(pin, (byte) 0);
        }
    }

    @Override
    protected int run(SmartcardSharing sharing, ClientSession session, SpiceUri u) throws Exception {
        String name = readerName != null ? readerName : source.pkcs12 != null ? DEFAULT_READER : source.reader;
        requireChannel(session, u, ChannelType.SMARTCARD);
        SmartcardSharing.SharedReader shared = await(sharing.share(session, name, card),
                "the server did not accept the reader and card");
        rt.out().println("sharing " + card.describe() + " in reader '" + name + "' (reader id " + shared.readerId()
                + ")");
        rt.out().flush();
        CompletableFuture<Object> ended = CompletableFuture.anyOf(session.closed(), shared.closed(), rt.stopped());
        try {
            if (seconds > 0) {
                ended.get(seconds, TimeUnit.SECONDS);
            } else {
                ended.get();
            }
        } catch (ExecutionException | TimeoutException e) {
            // the session or the reader ended (failing), or the time is up: both are reported below
        }
        rt.out().println(shared.apdus() + " APDUs answered");
        if (session.closed().isDone()) {
            rt.err().println("error: the server closed the session");
            return ExitCodes.CONNECT;
        }
        shared.close();
        return 0;
    }

    /** A secret from {@code file} (one trailing newline dropped) or the environment variable. */
    private static byte[] secret(Path file, String env, String missing) throws IOException {
        String s;
        if (file != null) {
            s = Files.readString(file, StandardCharsets.UTF_8);
            s = s.endsWith("\r\n") ? s.substring(0, s.length() - 2) : s.endsWith("\n") ? s.substring(0, s.length() - 1)
                    : s;
        } else {
            s = System.getenv(env);
        }
        if (s == null) {
            throw new IllegalArgumentException("missing " + missing);
        }
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private VirtualCard passedThrough() throws IOException {
        ServiceTracker<PcscReaders, PcscReaders> t = new ServiceTracker<>(rt.context(), PcscReaders.class, null);
        t.open();
        try {
            PcscReaders pcsc = t.waitForService(5_000);
            if (pcsc == null) {
                throw new IOException("PC/SC is not available in this runtime (javax.smartcardio is missing)");
            }
            return pcsc.connect(source.reader);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            t.close();
        }
    }

    /** Contributes {@code spice smartcard-share} while this bundle runs. */
    @Component
    public static final class Provider implements CommandProvider {
        @Override
        public String name() {
            return "smartcard-share";
        }

        @Override
        public Object command(CommandContext context) {
            return new SmartcardShareCommand(context);
        }
    }
}
