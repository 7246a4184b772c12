package org.spice.protocol.wire;

/** Constants of the link stage (spice/protocol.h): magic, version, ticket sizes, common capabilities. */
public final class Link {
    /** "REDQ" read as a little-endian uint32. */
    public static final int MAGIC = 0x51444552;
    public static final int VERSION_MAJOR = 2;
    public static final int VERSION_MINOR = 2;
    public static final int HEADER_SIZE = 16;
    /** SpiceLinkMess without capabilities. */
    public static final int LINK_MESS_SIZE = 18;
    /** SpiceLinkReply without capabilities. */
    public static final int LINK_REPLY_SIZE = 178;
    /** Link bodies are small; spice-server refuses more than this too. */
    public static final int MAX_LINK_BODY = 4096;

    public static final int TICKET_KEY_BITS = 1024;
    /** DER SubjectPublicKeyInfo of a 1024-bit RSA key. */
    public static final int TICKET_PUBKEY_BYTES = TICKET_KEY_BITS / 8 + 34;
    public static final int ENCRYPTED_TICKET_BYTES = TICKET_KEY_BITS / 8;
    public static final int MAX_PASSWORD_LENGTH = 60;

    public static final int CAP_PROTOCOL_AUTH_SELECTION = 0;
    public static final int CAP_AUTH_SPICE = 1;
    public static final int CAP_AUTH_SASL = 2;
    public static final int CAP_MINI_HEADER = 3;

    /** Auth mechanisms travel as the number of their common capability. */
    public static final int AUTH_MECHANISM_SPICE = CAP_AUTH_SPICE;
    public static final int AUTH_MECHANISM_SASL = CAP_AUTH_SASL;

    private Link() {
    }
}
