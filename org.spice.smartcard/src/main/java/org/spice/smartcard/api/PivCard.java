package org.spice.smartcard.api;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import org.spice.smartcard.internal.PivApplet;

/**
 * An emulated PIV card (NIST SP 800-73-4): the PIV application answers SELECT, GET DATA (CHUID, discovery object,
 * certificates), VERIFY (PIN) and GENERAL AUTHENTICATE (signing with the private keys). Its keys and certificates
 * come from a PKCS#12 file: the key entries in alias order fill the slots PIV Authentication (9A), Digital
 * Signature (9C), Key Management (9D) and Card Authentication (9E).
 */
public final class PivCard {
    private PivCard() {
    }

    /**
     * The card holding the key entries of {@code pkcs12}, opened with {@code password}, protected by {@code pin}
     * (1 to 8 bytes; guests send 6 to 8 digits). The arrays are not kept.
     */
    public static VirtualCard fromPkcs12(Path pkcs12, char[] password, byte[] pin)
            throws IOException, GeneralSecurityException {
        return PivApplet.fromPkcs12(pkcs12, password, pin);
    }
}
