/**
 * The smartcard bundle's API. Client role: {@link org.spice.smartcard.api.SmartcardSharing} shares a
 * {@link org.spice.smartcard.api.VirtualCard} (an emulated PIV card from {@link org.spice.smartcard.api.PivCard},
 * or a real card through the optional {@link org.spice.smartcard.api.PcscReaders} service) in a reader on a
 * session's smartcard channel. Server role: each reader a client adds is a
 * {@link org.spice.smartcard.api.RemoteSmartcard} service, also listed by
 * {@link org.spice.smartcard.api.RemoteSmartcards}.
 */
@Export
@Version("1.0.0")
package org.spice.smartcard.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
