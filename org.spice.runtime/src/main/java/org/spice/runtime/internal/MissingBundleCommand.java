package org.spice.runtime.internal;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** A command whose bundle is not installed in this runtime. */
@Command(mixinStandardHelpOptions = true, description = "Not available: its bundle is not installed.")
final class MissingBundleCommand implements Callable<Integer> {
    private final String bundle;
    private final Runtime rt;

    /** Whatever was given, options included: the answer is the missing bundle, not a usage error. */
    @CommandLine.Unmatched
    List<String> ignored;

    MissingBundleCommand(String bundle, Runtime rt) {
        this.bundle = bundle;
        this.rt = rt;
    }

    @Override
    public Integer call() {
        rt.err().println("error: channel bundle not installed: " + bundle + "; drop the bundle jar into the"
                + " runtime's deploy directory or use the full runtime (spice.jar)");
        return 1;
    }
}
