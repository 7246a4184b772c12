/**
 * Interoperability tests against real SPICE peers: QEMU (reference server), spice-gtk's spicy-screenshot (reference
 * client), tshark (Wireshark's SPICE dissector) and openssl (test certificates).
 *
 * <p>{@code ./mvnw -B verify} runs them (maven-failsafe-plugin, {@code *IT}) after the package phase has exported
 * {@code org.spice.runtime/target/spice.jar}; they drive our side through the {@code ./spice} script, as a user does.
 * Every process a test starts writes its command line, stdout and stderr to
 * {@code org.spice.runtime/target/interop/TESTCLASS/TEST/} (capture files too) and is ended with its whole process tree
 * when the test or class ends; long-lived peers also run under timeout(1). A missing peer fails the test: install the
 * peers with {@code scripts/install-peers.sh}. One class alone: {@code ./mvnw -B verify -Dit.test=OurServerIT}.
 */
package org.spice.runtime.interop;
