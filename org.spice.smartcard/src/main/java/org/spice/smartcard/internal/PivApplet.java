package org.spice.smartcard.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import org.spice.smartcard.api.VirtualCard;

/**
 * The PIV card application (NIST SP 800-73-4 part 2) in software, over keys and certificates from a PKCS#12 file.
 * Short and extended APDUs; responses longer than the command allows are chained with 61xx and GET RESPONSE,
 * command data may be chained with CLA bit 0x10.
 */
public final class PivApplet implements VirtualCard {
    /** The full PIV AID; SELECT may give any prefix of at least the RID and PIX start. */
    static final byte[] AID = {(byte) 0xA0, 0, 0, 3, 8, 0, 0, 0x10, 0, 1, 0};
    static final int SW_OK = 0x9000;
    static final int SW_WRONG_LENGTH = 0x6700;
    static final int SW_SECURITY = 0x6982;
    static final int SW_BLOCKED = 0x6983;
    static final int SW_DATA_INVALID = 0x6A80;
    static final int SW_NOT_FOUND = 0x6A82;
    static final int SW_BAD_P1P2 = 0x6A86;
    static final int SW_REF_NOT_FOUND = 0x6A88;
    static final int SW_INS = 0x6D00;
    static final int SW_CLA = 0x6E00;
    static final int SW_CONDITIONS = 0x6985;

    static final int INS_SELECT = 0xA4;
    static final int INS_GET_DATA = 0xCB;
    static final int INS_VERIFY = 0x20;
    static final int INS_GENERAL_AUTHENTICATE = 0x87;
    static final int INS_GET_RESPONSE = 0xC0;

    public static final int SLOT_AUTHENTICATION = 0x9A;
    public static final int SLOT_SIGNATURE = 0x9C;
    public static final int SLOT_KEY_MANAGEMENT = 0x9D;
    public static final int SLOT_CARD_AUTHENTICATION = 0x9E;
    private static final int[] SLOTS = {SLOT_AUTHENTICATION, SLOT_SIGNATURE, SLOT_KEY_MANAGEMENT,
        SLOT_CARD_AUTHENTICATION};

    public static final int ALG_RSA_1024 = 0x06;
    public static final int ALG_RSA_2048 = 0x07;
    public static final int ALG_ECC_P256 = 0x11;
    public static final int ALG_ECC_P384 = 0x14;

    /** Data object tags (GET DATA's 5C) of the certificate of each slot. */
    static final Map<Integer, Integer> CERT_TAGS = Map.of(SLOT_AUTHENTICATION, 0x5FC105, SLOT_SIGNATURE, 0x5FC10A,
            SLOT_KEY_MANAGEMENT, 0x5FC10B, SLOT_CARD_AUTHENTICATION, 0x5FC101);
    static final int TAG_CHUID = 0x5FC102;
    static final int TAG_DISCOVERY = 0x7E;

    static final int PIN_RETRIES = 3;
    /** Largest command accepted after chaining (an RSA-4096 GENERAL AUTHENTICATE is about 530 bytes). */
    static final int MAX_COMMAND = 4096;

    /** T=1 card with twelve historical bytes: category 00, "SPICEJVM", status "operational" 05 90 00. */
    static final byte[] ATR = makeAtr();

    private record Slot(int reference, PrivateKey key, X509Certificate certificate, int algorithm) {
    }

    private final Map<Integer, Slot> slots;
    private final Map<Integer, byte[]> objects = new LinkedHashMap<>();
    private final byte[] pin;
    private int retries = PIN_RETRIES;
    private boolean verified;
    private byte[] pendingResponse;
    private final ByteArrayOutputStream chained = new ByteArrayOutputStream();
    private int chainedIns = -1;
    private final String description;

    private PivApplet(List<Slot> slots, byte[] pin, String description) throws CertificateEncodingException {
        if (pin.length < 1 || pin.length > 8) {
            throw new IllegalArgumentException("the PIN must have 1 to 8 bytes, not " + pin.length);
        }
        this.pin = Arrays.copyOf(pin, 8);
        Arrays.fill(this.pin, pin.length, 8, (byte) 0xff);
        Map<Integer, Slot> m = new LinkedHashMap<>();
        for (Slot s : slots) {
            m.put(s.reference, s);
            objects.put(CERT_TAGS.get(s.reference), Tlv.of(0x53, Tlv.of(0x70, s.certificate.getEncoded()),
                    Tlv.of(0x71, new byte[] {0}), Tlv.of(0xFE)));
        }
        this.slots = Collections.unmodifiableMap(m);
        this.description = description;
        objects.put(TAG_CHUID, chuid(slots.get(0).certificate.getEncoded()));
        objects.put(TAG_DISCOVERY, Tlv.of(0x7E, Tlv.of(0x4F, AID), Tlv.of(0x5F2F, new byte[] {0x40, 0})));
    }

    /** See {@link org.spice.smartcard.api.PivCard#fromPkcs12}. */
    public static PivApplet fromPkcs12(Path file, char[] password, byte[] pin) throws IOException,
            GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, password);
        }
        List<String> aliases = new ArrayList<>(Collections.list(ks.aliases()));
        Collections.sort(aliases);
        List<Slot> slots = new ArrayList<>();
        for (String alias : aliases) {
            if (!ks.isKeyEntry(alias) || slots.size() == SLOTS.length) {
                continue;
            }
            if (ks.getKey(alias, password) instanceof PrivateKey key
                    && ks.getCertificate(alias) instanceof X509Certificate cert) {
                slots.add(new Slot(SLOTS[slots.size()], key, cert, algorithm(key)));
            }
        }
        if (slots.isEmpty()) {
            throw new GeneralSecurityException(file + " holds no private key with an X.509 certificate");
        }
        return new PivApplet(slots, pin, "emulated PIV card (" + slots.size() + " key" + (slots.size() == 1 ? ""
                : "s") + " from " + file.getFileName() + ")");
    }

    private static int algorithm(PrivateKey key) throws GeneralSecurityException {
        if (key instanceof RSAPrivateKey rsa) {
            int bits = rsa.getModulus().bitLength();
            if (bits > 1024 && bits <= 2048) {
                return ALG_RSA_2048;
            }
            if (bits > 512 && bits <= 1024) {
                return ALG_RSA_1024;
            }
            throw new GeneralSecurityException("PIV has no algorithm for RSA-" + bits);
        }
        if (key instanceof ECPrivateKey ec) {
            int bits = ec.getParams().getOrder().bitLength();
            if (bits == 256) {
                return ALG_ECC_P256;
            }
            if (bits == 384) {
                return ALG_ECC_P384;
            }
            throw new GeneralSecurityException("PIV has no algorithm for a " + bits + "-bit curve");
        }
        throw new GeneralSecurityException("PIV has no algorithm for " + key.getAlgorithm() + " keys");
    }

    private static byte[] chuid(byte[] firstCertificate) {
        // A FASC-N of agency 9999 (test), a GUID derived from the certificate so that it stays the same per file.
        byte[] fascn = {(byte) 0xD4, (byte) 0xE7, 0x39, (byte) 0xDA, 0x73, (byte) 0x9C, (byte) 0xED, 0x39,
            (byte) 0xCE, 0x73, (byte) 0x9D, (byte) 0x83, 0x68, 0x58, 0x21, 0x08, 0x42, 0x10, (byte) 0x84, 0x21,
            (byte) 0xC8, 0x42, 0x10, (byte) 0xC3, (byte) 0xEB};
        byte[] guid;
        try {
            guid = Arrays.copyOf(MessageDigest.getInstance("SHA-256").digest(firstCertificate), 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
        return Tlv.of(0x53, Tlv.of(0x30, fascn), Tlv.of(0x34, guid),
                Tlv.of(0x35, "20991231".getBytes(StandardCharsets.US_ASCII)), Tlv.of(0x3E), Tlv.of(0xFE));
    }

    private static byte[] makeAtr() {
        byte[] historical = Tlv.concat(new byte[] {0}, "SPICEJVM".getBytes(StandardCharsets.US_ASCII),
                new byte[] {0x05, (byte) 0x90, 0x00});
        byte[] a = Tlv.concat(new byte[] {0x3B, (byte) (0x80 | historical.length), (byte) 0x80, 0x01}, historical,
                new byte[1]);
        int tck = 0;
        for (int i = 1; i < a.length - 1; i++) {
            tck ^= a[i];
        }
        a[a.length - 1] = (byte) tck;
        return a;
    }

    @Override
    public byte[] atr() {
        return ATR.clone();
    }

    @Override
    public String describe() {
        return description;
    }

    /** The certificate of slot {@code reference}, or null. */
    public X509Certificate certificate(int reference) {
        Slot s = slots.get(reference);
        return s == null ? null : s.certificate;
    }

    /** A parsed command APDU. */
    record Command(int cla, int ins, int p1, int p2, byte[] data, int le) {
        /** Parses short and extended forms; null when the lengths do not add up. Le 0 means "none". */
        static Command parse(byte[] b) {
            if (b.length < 4) {
                return null;
            }
            int cla = b[0] & 0xff;
            int ins = b[1] & 0xff;
            int p1 = b[2] & 0xff;
            int p2 = b[3] & 0xff;
            int n = b.length - 4;
            if (n == 0) {
                return new Command(cla, ins, p1, p2, new byte[0], 0);
            }
            int first = b[4] & 0xff;
            if (n == 1) {
                return new Command(cla, ins, p1, p2, new byte[0], first == 0 ? 256 : first);
            }
            if (first != 0 || n < 3) {
                int lc = first;
                if (n == 1 + lc) {
                    return new Command(cla, ins, p1, p2, Arrays.copyOfRange(b, 5, 5 + lc), 0);
                }
                if (n == 2 + lc) {
                    int le = b[b.length - 1] & 0xff;
                    return new Command(cla, ins, p1, p2, Arrays.copyOfRange(b, 5, 5 + lc), le == 0 ? 256 : le);
                }
                return null;
            }
            int ext = (b[5] & 0xff) << 8 | b[6] & 0xff;
            if (n == 3) {
                return new Command(cla, ins, p1, p2, new byte[0], ext == 0 ? 65536 : ext);
            }
            if (n == 3 + ext) {
                return new Command(cla, ins, p1, p2, Arrays.copyOfRange(b, 7, 7 + ext), 0);
            }
            if (n == 5 + ext) {
                int le = (b[b.length - 2] & 0xff) << 8 | b[b.length - 1] & 0xff;
                return new Command(cla, ins, p1, p2, Arrays.copyOfRange(b, 7, 7 + ext), le == 0 ? 65536 : le);
            }
            return null;
        }
    }

    @Override
    public synchronized byte[] transmit(byte[] apdu) {
        Command c = Command.parse(apdu);
        if (c == null) {
            return sw(SW_WRONG_LENGTH);
        }
        if ((c.cla & ~0x10) != 0) {
            return sw(SW_CLA);
        }
        if (c.ins != INS_GET_RESPONSE) {
            pendingResponse = null;
        }
        if ((c.cla & 0x10) != 0) {
            if (chainedIns != -1 && chainedIns != c.ins || chained.size() + c.data.length > MAX_COMMAND) {
                resetChain();
                return sw(SW_CONDITIONS);
            }
            chainedIns = c.ins;
            chained.writeBytes(c.data);
            return sw(SW_OK);
        }
        byte[] data = c.data;
        if (chainedIns != -1) {
            if (chainedIns != c.ins) {
                resetChain();
                return sw(SW_CONDITIONS);
            }
            chained.writeBytes(c.data);
            data = chained.toByteArray();
            resetChain();
        }
        return switch (c.ins) {
            case INS_SELECT -> select(c, data);
            case INS_GET_DATA -> respond(getData(c, data), c.le);
            case INS_VERIFY -> verify(c, data);
            case INS_GENERAL_AUTHENTICATE -> respond(generalAuthenticate(c, data), c.le);
            case INS_GET_RESPONSE -> getResponse(c);
            default -> sw(SW_INS);
        };
    }

    private void resetChain() {
        chained.reset();
        chainedIns = -1;
    }

    private byte[] select(Command c, byte[] aid) {
        if (c.p1 != 0x04 || aid.length < 5 || aid.length > AID.length
                || !Arrays.equals(aid, Arrays.copyOf(AID, aid.length))) {
            return sw(SW_NOT_FOUND);
        }
        byte[] apt = Tlv.of(0x61, Tlv.of(0x4F, Arrays.copyOfRange(AID, 5, AID.length)),
                Tlv.of(0x79, Tlv.of(0x4F, Arrays.copyOf(AID, 5))));
        return respond(new Result(apt, SW_OK), c.le);
    }

    /** Response data with its status word, before chaining. */
    private record Result(byte[] data, int sw) {
        static Result status(int sw) {
            return new Result(new byte[0], sw);
        }
    }

    private Result getData(Command c, byte[] data) {
        if (c.p1 != 0x3F || c.p2 != 0xFF) {
            return Result.status(SW_BAD_P1P2);
        }
        Map<Integer, byte[]> tags = Tlv.parse(data);
        byte[] tag = tags == null ? null : tags.get(0x5C);
        if (tag == null || tag.length < 1 || tag.length > 3) {
            return Result.status(SW_DATA_INVALID);
        }
        int t = 0;
        for (byte x : tag) {
            t = t << 8 | x & 0xff;
        }
        byte[] object = objects.get(t);
        return object == null ? Result.status(SW_NOT_FOUND) : new Result(object, SW_OK);
    }

    private byte[] verify(Command c, byte[] data) {
        if (c.p2 != 0x80) {
            return sw(SW_REF_NOT_FOUND);
        }
        if (c.p1 == 0xFF && data.length == 0) {
            verified = false;
            return sw(SW_OK);
        }
        if (c.p1 != 0) {
            return sw(SW_BAD_P1P2);
        }
        if (retries == 0) {
            return sw(SW_BLOCKED);
        }
        if (data.length == 0) {
            return sw(verified ? SW_OK : 0x63C0 | retries);
        }
        if (data.length != 8) {
            return sw(SW_WRONG_LENGTH);
        }
        if (MessageDigest.isEqual(data, pin)) {
            retries = PIN_RETRIES;
            verified = true;
            return sw(SW_OK);
        }
        verified = false;
        retries--;
        return sw(retries == 0 ? SW_BLOCKED : 0x63C0 | retries);
    }

    private Result generalAuthenticate(Command c, byte[] data) {
        Slot slot = slots.get(c.p2);
        if (slot == null) {
            return Result.status(SW_REF_NOT_FOUND);
        }
        if (c.p1 != slot.algorithm) {
            return Result.status(SW_BAD_P1P2);
        }
        if (slot.reference != SLOT_CARD_AUTHENTICATION && !verified) {
            return Result.status(SW_SECURITY);
        }
        Map<Integer, byte[]> outer = Tlv.parse(data);
        Map<Integer, byte[]> template = outer == null || outer.get(0x7C) == null ? null : Tlv.parse(outer.get(0x7C));
        if (template == null || !template.containsKey(0x82) || template.get(0x82).length != 0
                || template.get(0x81) == null) {
            return Result.status(SW_DATA_INVALID);
        }
        byte[] challenge = template.get(0x81);
        try {
            byte[] signature;
            if (slot.key instanceof RSAPrivateKey rsa) {
                int size = (rsa.getModulus().bitLength() + 7) / 8;
                if (challenge.length != size || new BigInteger(1, challenge).compareTo(rsa.getModulus()) >= 0) {
                    return Result.status(SW_DATA_INVALID);
                }
                Cipher raw = Cipher.getInstance("RSA/ECB/NoPadding");
                raw.init(Cipher.DECRYPT_MODE, rsa);
                signature = leftPad(raw.doFinal(challenge), size);
            } else {
                Signature ecdsa = Signature.getInstance("NONEwithECDSA");
                ecdsa.initSign(slot.key);
                ecdsa.update(challenge);
                signature = ecdsa.sign();
            }
            return new Result(Tlv.of(0x7C, Tlv.of(0x82, signature)), SW_OK);
        } catch (GeneralSecurityException e) {
            return Result.status(SW_DATA_INVALID);
        }
    }

    private static byte[] leftPad(byte[] b, int size) {
        if (b.length >= size) {
            return b;
        }
        byte[] out = new byte[size];
        System.arraycopy(b, 0, out, size - b.length, b.length);
        return out;
    }

    private byte[] getResponse(Command c) {
        if (pendingResponse == null) {
            return sw(SW_CONDITIONS);
        }
        byte[] rest = pendingResponse;
        pendingResponse = null;
        return respond(new Result(rest, SW_OK), c.le);
    }

    /** The response, or as much as Le allows followed by 61xx with the rest kept for GET RESPONSE. */
    private byte[] respond(Result r, int le) {
        int max = le == 0 ? 256 : le;
        if (r.data.length <= max) {
            return Tlv.concat(r.data, sw(r.sw));
        }
        pendingResponse = Arrays.copyOfRange(r.data, max, r.data.length);
        int next = Math.min(pendingResponse.length, 256);
        return Tlv.concat(Arrays.copyOf(r.data, max), sw(0x6100 | next & 0xff));
    }

    private static byte[] sw(int sw) {
        return new byte[] {(byte) (sw >> 8), (byte) sw};
    }
}
