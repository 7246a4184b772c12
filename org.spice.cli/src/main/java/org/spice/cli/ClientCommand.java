package org.spice.cli;

import java.io.IOException;
import java.util.NoSuchElementException;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.osgi.annotation.versioning.ConsumerType;
import org.osgi.util.tracker.ServiceTracker;
import org.spice.protocol.ChannelType;
import org.spice.protocol.SpiceUri;
import org.spice.protocol.client.ClientSession;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * What every client command does around its own work: parse the URI and check the options, find the channel bundle's
 * service, connect, turn failures into the documented exit codes, and close channels before main at the end.
 *
 * <p>The service is tracked for the whole run because channel bundles register delayed DS components: releasing the
 * last reference would deactivate the component under the command.
 *
 * @param <S> the channel bundle's client service the command works with
 */
@ConsumerType
public abstract class ClientCommand<S> implements Callable<Integer> {
    protected final CommandContext rt;
    private final Class<S> service;
    private final String bundle;

    @Mixin
    protected ClientAuth auth = new ClientAuth();

    @Parameters(index = "0", arity = "0..1", paramLabel = "URI",
            description = "spice://HOST:PORT[?tls-port=P] or spice+tls://HOST:PORT")
    protected String uri;

    /** {@code bundle} names the bundle that registers {@code service}, for the error when it is not running. */
    protected ClientCommand(CommandContext rt, Class<S> service, String bundle) {
        this.rt = rt;
        this.service = service;
        this.bundle = bundle;
    }

    /** Checks the options before anything connects; an IllegalArgumentException or IOException is a usage error. */
    protected void validate() throws IOException {
    }

    /**
     * A command that can answer without a server (a listing; its option then carries picocli's help = true, so the
     * URI may be left out) does so here and returns its exit code; null connects as usual.
     */
    protected Integer withoutServer() throws Exception {
        return null;
    }

    /** Whether every channel the server offers is linked at connect; otherwise the command links what it needs. */
    protected boolean linkAllChannels() {
        return false;
    }

    /**
     * When the command line names no server: the URI (or what {@link #target} takes) the command asks the user for,
     * or null when the user chose none. By default a server is required and this is not called.
     *
     * @throws IllegalArgumentException when the command needs a URI on its command line
     */
    protected String chooseTarget(S service) {
        throw new IllegalArgumentException("Missing required parameter: 'URI'");
    }

    /** Whether the command may run without a URI on its command line (it then calls {@link #chooseTarget}). */
    protected boolean uriOptional() {
        return false;
    }

    /** The server to connect to, from the URI parameter; a command that also takes files reads them here. */
    protected SpiceUri target(String arg) throws IOException {
        return SpiceUri.parse(arg);
    }

    /** Connects; a command that adds to the options or asks for a password on the way overrides this. */
    protected ClientSession connect(S service, SpiceUri u) throws Exception {
        return rt.client().connect(u, auth.options(rt, u).withConnectChannels(linkAllChannels())).get();
    }

    /**
     * The command's work on a connected session. Throw {@link NoSuchElementException} for something the server does
     * not offer, or let an ExecutionException or TimeoutException from {@link #await} escape: all become exit codes.
     */
    protected abstract int run(S service, ClientSession session, SpiceUri uri) throws Exception;

    @Override
    public final Integer call() throws Exception {
        Integer early = withoutServer();
        if (early != null) {
            return early;
        }
        SpiceUri u = null;
        try {
            if (uri == null && !uriOptional()) {
                throw new IllegalArgumentException("Missing required parameter: 'URI'");
            }
            if (uri != null) {
                u = target(uri);
            }
            auth.checkEnvironment();
            validate();
        } catch (IllegalArgumentException | IOException e) {
            rt.err().println("error: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        ServiceTracker<S, S> tracker = new ServiceTracker<>(rt.context(), service, null);
        tracker.open();
        ClientSession session = null;
        try {
            S s = tracker.waitForService(10_000);
            if (s == null) {
                rt.err().println("error: the " + bundle + " bundle is not running");
                return 1;
            }
            if (u == null) {
                String chosen = chooseTarget(s);
                if (chosen == null) {
                    rt.err().println("no server chosen");
                    return 0;
                }
                try {
                    u = target(chosen);
                } catch (IllegalArgumentException | IOException e) {
                    rt.err().println("error: " + e.getMessage());
                    return ExitCodes.USAGE;
                }
            }
            session = connect(s, u);
            return ended(session, run(s, session, u));
        } catch (ExecutionException e) {
            return ended(session, failure(e.getCause()));
        } catch (NoSuchElementException | TimeoutException e) {
            return ended(session, failure(e));
        } finally {
            if (session != null) {
                closeAndWait(session);
            }
            tracker.close();
        }
    }

    /**
     * The exit code of a run that ended with {@code code}: when the server or the network ended the session under
     * the command (a killed or stopped server, a lost network), says so in one line and makes it a failure.
     */
    private int ended(ClientSession session, int code) {
        if (session == null || !session.closed().isDone() || session.lost().isEmpty()) {
            return code;
        }
        rt.err().println("error: session lost: " + session.lost().get());
        return code != 0 ? code : ExitCodes.CONNECT;
    }

    private int failure(Throwable t) {
        if (t instanceof NoSuchElementException) {
            rt.err().println("error: " + t.getMessage());
            return ExitCodes.CONNECT;
        }
        return ExitCodes.failure(rt, t);
    }

    /**
     * Waits for one step within {@code --timeout}; on timeout fails with "{@code whatDidNotHappen} within N s", e.g.
     * {@code await(f, "the inputs channel did not link")}.
     */
    protected final <T> T await(Future<T> step, String whatDidNotHappen)
            throws ExecutionException, InterruptedException, TimeoutException {
        try {
            return step.get(auth.timeoutSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new TimeoutException(whatDidNotHappen + " within " + auth.timeoutSeconds() + " s");
        }
    }

    /** Closes a session in order (channels, then main) and waits a little for it, so the server sees a clean end. */
    public static void closeAndWait(ClientSession session) {
        session.close();
        try {
            session.closed().get(3, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // the process ends anyway; the server copes with a dropped connection
        }
    }

    /** Fails with exit 3 unless the server lists a channel of {@code type}. */
    protected static void requireChannel(ClientSession session, SpiceUri uri, int type) {
        if (session.main().channels().stream().noneMatch(c -> c.type() == type)) {
            throw new NoSuchElementException(uri + " offers no " + ChannelType.name(type) + " channel");
        }
    }
}
