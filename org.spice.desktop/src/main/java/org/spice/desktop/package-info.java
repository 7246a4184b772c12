/**
 * The desktop SPI: what a SPICE server shows and what it receives, apart from any channel. A
 * {@link org.spice.desktop.DisplaySource} publishes {@link org.spice.desktop.Frame}s and a
 * {@link org.spice.desktop.Pointer} (the display and cursor channels send them, the agent resizes the source);
 * {@link org.spice.desktop.InputSink}s receive the keys and pointer events the inputs channel reads, as PC AT
 * scancodes ({@link org.spice.desktop.UsKeyboard}), {@link org.spice.desktop.Buttons} and
 * {@link org.spice.desktop.KeyLocks}. {@link org.spice.desktop.AbstractDisplaySource} keeps a source's listeners,
 * frame and pointer; 0.4.0 added {@link org.spice.desktop.DisplayEffect}s a client's agent may turn off, 1.1.0 the
 * {@link org.spice.desktop.ScreenCapture} service through which the screen source reads the host's screen, and the
 * listeners' {@code wantsFrame} with the sources' {@code wanted}, by which a source that captures skips frames no
 * client would take. Channel
 * bundles import this package and never each other's.
 */
@Export
@Version("1.1.0")
package org.spice.desktop;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
