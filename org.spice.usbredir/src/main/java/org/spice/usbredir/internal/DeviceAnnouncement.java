package org.spice.usbredir.internal;

import org.spice.usbredir.internal.wire.UsbRedirMessages;
import java.util.Arrays;

/**
 * What the usbredir host announces for a device, from its descriptors: interface_info (the interfaces of the
 * active configuration at alternate setting 0), ep_info (type, interval, interface and max packet size of each of
 * the 32 endpoints; endpoint 0 both ways is control) and device_connect. A pure mapping, shared by emulated and host
 * devices.
 */
public record DeviceAnnouncement(UsbRedirMessages.InterfaceInfo interfaces, UsbRedirMessages.EpInfo endpoints,
        UsbRedirMessages.DeviceConnect connect) {

    public static DeviceAnnouncement of(int speed, byte[] device, byte[] configuration) {
        if (device.length < 18) {
            throw new IllegalArgumentException("a device descriptor has 18 bytes, not " + device.length);
        }
        int[][] ifs = new int[4][32];
        int count = 0;
        int[] type = new int[32];
        int[] interval = new int[32];
        int[] epIface = new int[32];
        int[] maxPkt = new int[32];
        Arrays.fill(type, UsbRedirMessages.EP_TYPE_INVALID);
        type[0] = UsbRedirMessages.EP_TYPE_CONTROL;
        type[16] = UsbRedirMessages.EP_TYPE_CONTROL;
        maxPkt[0] = device[7] & 0xff;
        maxPkt[16] = device[7] & 0xff;
        int current = 0;
        boolean altZero = true;
        byte[] cfg = configuration;
        for (int i = 0; i + 1 < cfg.length && (cfg[i] & 0xff) >= 2; i += cfg[i] & 0xff) {
            int dt = cfg[i + 1] & 0xff;
            if (dt == 4 && i + 8 < cfg.length) {
                current = cfg[i + 2] & 0xff;
                altZero = cfg[i + 3] == 0;
                if (altZero && count < 32) {
                    ifs[0][count] = current;
                    ifs[1][count] = cfg[i + 5] & 0xff;
                    ifs[2][count] = cfg[i + 6] & 0xff;
                    ifs[3][count] = cfg[i + 7] & 0xff;
                    count++;
                }
            } else if (dt == 5 && i + 6 < cfg.length && altZero) {
                int x = UsbRedirMessages.EpInfo.index(cfg[i + 2] & 0xff);
                type[x] = cfg[i + 3] & 3;
                maxPkt[x] = (cfg[i + 4] & 0xff) | (cfg[i + 5] & 0xff) << 8;
                interval[x] = cfg[i + 6] & 0xff;
                epIface[x] = current;
            }
        }
        return new DeviceAnnouncement(new UsbRedirMessages.InterfaceInfo(count, ifs[0], ifs[1], ifs[2], ifs[3]),
                new UsbRedirMessages.EpInfo(type, interval, epIface, maxPkt, new int[32]),
                new UsbRedirMessages.DeviceConnect(speed, device[4] & 0xff, device[5] & 0xff, device[6] & 0xff,
                        u16(device, 8), u16(device, 10), u16(device, 12)));
    }

    /** The type of endpoint {@code address} (an EP_TYPE_ constant). */
    public int endpointType(int address) {
        return endpoints.epType()[UsbRedirMessages.EpInfo.index(address)];
    }

    public int maxPacketSize(int address) {
        return endpoints.maxPacketSize()[UsbRedirMessages.EpInfo.index(address)];
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
    }
}
