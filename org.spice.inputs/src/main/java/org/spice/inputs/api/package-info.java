/**
 * The inputs bundle's API, client role: {@link org.spice.inputs.api.ClientInputs}, which sends keys and pointer
 * events to a server. What a server receives (InputSink, the key and pointer events, buttons, lock keys and the US
 * keyboard's scancodes) is the desktop SPI's (bundle org.spice.desktop); 1.0.0 because those types moved there.
 */
@Export
@Version("1.0.0")
package org.spice.inputs.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
