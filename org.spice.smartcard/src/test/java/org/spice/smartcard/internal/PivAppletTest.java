package org.spice.smartcard.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PivAppletTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void answersWhatAPivDriverAsks(@TempDir Path dir) throws Exception {
        Path p12 = TestCards.pkcs12(dir, "RSA", "EC");
        PivApplet card = PivApplet.fromPkcs12(p12, TestCards.PASSWORD.toCharArray(), TestCards.PIN);
        PivClient piv = new PivClient(card::transmit);

        byte[] select = piv.select();
        assertEquals(0x9000, PivClient.sw(select));
        Map<Integer, byte[]> apt = Tlv.parse(PivClient.data(select));
        assertEquals("000010000100", HEX.formatHex(Tlv.parse(apt.get(0x61)).get(0x4F)));
        assertEquals(0x6A82, PivClient.sw(card.transmit(HEX.parseHex("00a4040005a000000397"))));

        // certificates: the PKCS#12 ones, byte for byte, needing GET RESPONSE chaining (> 256 bytes)
        byte[] auth = piv.getData(0x5FC105);
        assertEquals(0x9000, PivClient.sw(auth));
        X509Certificate c9a = PivClient.certificate(auth);
        assertArrayEquals(card.certificate(PivApplet.SLOT_AUTHENTICATION).getEncoded(), c9a.getEncoded());
        assertEquals("CN=PIV test 0", c9a.getSubjectX500Principal().getName());
        X509Certificate c9c = PivClient.certificate(piv.getData(0x5FC10A));
        assertEquals("CN=PIV test 1", c9c.getSubjectX500Principal().getName());
        assertEquals(0x6A82, PivClient.sw(piv.getData(0x5FC10B)));
        byte[] chuid = Tlv.parse(PivClient.data(piv.getData(0x5FC102))).get(0x53);
        assertEquals(16, Tlv.parse(chuid).get(0x34).length);
        assertEquals(25, Tlv.parse(chuid).get(0x30).length);
        assertEquals("7e124f0ba0000003080000100001005f2f024000", HEX.formatHex(PivClient.data(piv.getData(0x7E))));

        // signing needs the PIN; a wrong one costs a retry
        byte[] message = "sign me".getBytes(StandardCharsets.UTF_8);
        RSAPublicKey rsa = (RSAPublicKey) c9a.getPublicKey();
        byte[] block = PivClient.pkcs1Sha256(rsa, message);
        assertEquals(0x6982, PivClient.sw(piv.sign(PivApplet.ALG_RSA_2048, 0x9A, block)));
        assertEquals(0x63C3, PivClient.sw(piv.exchange(HEX.parseHex("00200080"))));
        assertEquals(0x63C2, PivClient.sw(piv.verify("654321".getBytes(StandardCharsets.US_ASCII))));
        assertEquals(0x9000, PivClient.sw(piv.verify(TestCards.PIN)));
        assertEquals(0x9000, PivClient.sw(piv.exchange(HEX.parseHex("00200080"))));

        byte[] signed = piv.sign(PivApplet.ALG_RSA_2048, 0x9A, block);
        assertEquals(0x9000, PivClient.sw(signed));
        Signature v = Signature.getInstance("SHA256withRSA");
        v.initVerify(c9a.getPublicKey());
        v.update(message);
        assertTrue(v.verify(PivClient.signature(signed)), "RSA signature verifies with the certificate's key");
        assertEquals(0x6A86, PivClient.sw(piv.sign(PivApplet.ALG_ECC_P256, 0x9A, block)));

        byte[] hash = MessageDigest.getInstance("SHA-256").digest(message);
        byte[] ec = piv.sign(PivApplet.ALG_ECC_P256, 0x9C, hash);
        assertEquals(0x9000, PivClient.sw(ec));
        Signature ev = Signature.getInstance("SHA256withECDSA");
        ev.initVerify(c9c.getPublicKey());
        ev.update(message);
        assertTrue(ev.verify(PivClient.signature(ec)), "ECDSA signature verifies with the certificate's key");

        // PIN reset, then blocked after three wrong tries
        assertEquals(0x9000, PivClient.sw(piv.exchange(HEX.parseHex("00 20 FF 80".replace(" ", "")))));
        assertEquals(0x6982, PivClient.sw(piv.sign(PivApplet.ALG_RSA_2048, 0x9A, block)));
        byte[] wrong = "000000".getBytes(StandardCharsets.US_ASCII);
        assertEquals(0x63C2, PivClient.sw(piv.verify(wrong)));
        assertEquals(0x63C1, PivClient.sw(piv.verify(wrong)));
        assertEquals(0x6983, PivClient.sw(piv.verify(wrong)));
        assertEquals(0x6983, PivClient.sw(piv.verify(TestCards.PIN)));
    }

    @Test
    void malformedCommandsGetStatusWordsNotExceptions(@TempDir Path dir) throws Exception {
        PivApplet card = PivApplet.fromPkcs12(TestCards.pkcs12(dir, "EC"), TestCards.PASSWORD.toCharArray(),
                TestCards.PIN);
        assertEquals(0x6700, PivClient.sw(card.transmit(new byte[] {0, (byte) 0xA4})));
        assertEquals(0x6700, PivClient.sw(card.transmit(HEX.parseHex("00a4040009a0000003"))));
        assertEquals(0x6E00, PivClient.sw(card.transmit(HEX.parseHex("80a40400"))));
        assertEquals(0x6D00, PivClient.sw(card.transmit(HEX.parseHex("00ff0000"))));
        assertEquals(0x6A80, PivClient.sw(card.transmit(HEX.parseHex("00cb3fff025c0500"))));
        assertEquals(0x6A80, PivClient.sw(card.transmit(HEX.parseHex("00cb3fff037c81ff00"))));
        assertEquals(0x6985, PivClient.sw(card.transmit(HEX.parseHex("00c0000000"))));
        // extended length: the whole certificate object at once
        byte[] ext = card.transmit(HEX.parseHex("00cb3fff000005" + "5c035fc105" + "0000"));
        assertEquals(0x9000, PivClient.sw(ext));
        assertArrayEquals(card.certificate(PivApplet.SLOT_AUTHENTICATION).getEncoded(),
                PivClient.certificate(ext).getEncoded());
        // the ATR is well formed: T0 announces 12 historical bytes and TD1, and TCK makes the XOR zero
        byte[] atr = card.atr();
        assertEquals(0x3B, atr[0]);
        assertEquals(4 + 12 + 1, atr.length);
        int x = 0;
        for (int i = 1; i < atr.length; i++) {
            x ^= atr[i];
        }
        assertEquals(0, x);
    }
}
