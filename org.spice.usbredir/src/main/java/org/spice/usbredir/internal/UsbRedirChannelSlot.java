package org.spice.usbredir.internal;

/** One usbredir channel of a session: its handler once linked and the device offered on it. */
final class UsbRedirChannelSlot {
    UsbRedirClientChannel host;
    UsbRedirSharedDevice offered;
}
