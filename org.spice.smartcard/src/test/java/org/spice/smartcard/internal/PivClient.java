package org.spice.smartcard.internal;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.interfaces.RSAPublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.io.ByteArrayInputStream;
import java.util.Arrays;
import java.util.Map;

/** What a host's PIV driver does, as the tests need it: APDUs, GET RESPONSE chaining, the data objects. */
final class PivClient {
    /** Sends one APDU and returns the response; throws nothing itself. */
    interface Transport {
        byte[] transmit(byte[] apdu) throws Exception;
    }

    private final Transport t;

    PivClient(Transport t) {
        this.t = t;
    }

    static int sw(byte[] r) {
        return (r[r.length - 2] & 0xff) << 8 | r[r.length - 1] & 0xff;
    }

    static byte[] data(byte[] r) {
        return Arrays.copyOf(r, r.length - 2);
    }

    /** Sends {@code apdu} and follows 61xx with GET RESPONSE; returns all data and the final status word. */
    byte[] exchange(byte[] apdu) throws Exception {
        byte[] r = t.transmit(apdu);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        while (sw(r) >> 8 == 0x61) {
            all.writeBytes(data(r));
            r = t.transmit(new byte[] {0, (byte) 0xC0, 0, 0, (byte) (sw(r) & 0xff)});
        }
        all.writeBytes(r);
        return all.toByteArray();
    }

    static byte[] apdu(int cla, int ins, int p1, int p2, byte[] data, boolean le) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(cla);
        b.write(ins);
        b.write(p1);
        b.write(p2);
        if (data.length > 0) {
            b.write(data.length);
            b.writeBytes(data);
        }
        if (le) {
            b.write(0);
        }
        return b.toByteArray();
    }

    byte[] select() throws Exception {
        return exchange(apdu(0, 0xA4, 4, 0, new byte[] {(byte) 0xA0, 0, 0, 3, 8}, true));
    }

    byte[] getData(int tag) throws Exception {
        byte[] t = tag > 0xffff ? new byte[] {(byte) (tag >> 16), (byte) (tag >> 8), (byte) tag} : new byte[] {(byte) tag};
        return exchange(apdu(0, 0xCB, 0x3F, 0xFF, Tlv.concat(new byte[] {0x5C, (byte) t.length}, t), true));
    }

    /** The certificate of a GET DATA response (53 { 70 cert, 71 info, FE }). */
    static X509Certificate certificate(byte[] response) throws Exception {
        Map<Integer, byte[]> outer = Tlv.parse(data(response));
        byte[] der = Tlv.parse(outer.get(0x53)).get(0x70);
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(der));
    }

    byte[] verify(byte[] pin) throws Exception {
        byte[] padded = Arrays.copyOf(pin, 8);
        Arrays.fill(padded, pin.length, 8, (byte) 0xff);
        return exchange(apdu(0, 0x20, 0, 0x80, padded, false));
    }

    /** GENERAL AUTHENTICATE of {@code challenge} with slot {@code key}, sent in 255-byte chained pieces. */
    byte[] sign(int alg, int key, byte[] challenge) throws Exception {
        byte[] body = Tlv.of(0x7C, Tlv.of(0x82), Tlv.of(0x81, challenge));
        byte[] r = null;
        for (int off = 0; off < body.length; off += 255) {
            int n = Math.min(255, body.length - off);
            boolean last = off + n == body.length;
            r = (last ? this : new PivClient(t)).exchange(apdu(last ? 0 : 0x10, 0x87, alg, key,
                    Arrays.copyOfRange(body, off, off + n), last));
            if (!last && sw(r) != 0x9000) {
                return r;
            }
        }
        return r;
    }

    /** The signature inside a GENERAL AUTHENTICATE response (7C { 82 sig }). */
    static byte[] signature(byte[] response) {
        return Tlv.parse(Tlv.parse(data(response)).get(0x7C)).get(0x82);
    }

    /** A PKCS#1 v1.5 SHA-256 DigestInfo block padded to the key's size, as a host builds it for raw RSA. */
    static byte[] pkcs1Sha256(RSAPublicKey key, byte[] message) throws Exception {
        byte[] prefix = new BigInteger("3031300d060960864801650304020105000420", 16).toByteArray();
        byte[] digestInfo = Tlv.concat(prefix, MessageDigest.getInstance("SHA-256").digest(message));
        int size = (key.getModulus().bitLength() + 7) / 8;
        byte[] block = new byte[size];
        Arrays.fill(block, (byte) 0xff);
        block[0] = 0;
        block[1] = 1;
        block[size - digestInfo.length - 1] = 0;
        System.arraycopy(digestInfo, 0, block, size - digestInfo.length, digestInfo.length);
        return block;
    }
}
