package org.spice.usbredir.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.spice.usbredir.api.UsbIdentity.InterfaceClass;
import org.spice.usbredir.api.UsbRedirFilter.Rule;
import org.spice.usbredir.api.UsbRedirFilter.Verdict;

/** The rules and verdicts of usbredir's usbredirfilter, including the cases of its own filter test. */
class UsbRedirFilterTest {
    private static final InterfaceClass MASS_STORAGE = new InterfaceClass(0x08, 0x06, 0x50);
    private static final InterfaceClass BOOT_KEYBOARD = new InterfaceClass(0x03, 0x01, 0x01);
    private static final InterfaceClass NON_BOOT_HID = new InterfaceClass(0x03, 0x00, 0x00);
    private static final InterfaceClass AUDIO = new InterfaceClass(0x01, 0x01, 0x00);

    static UsbIdentity device(int cls, int vid, int pid, int bcd, InterfaceClass... ifs) {
        return new UsbIdentity(cls, 0, 0, vid, pid, bcd, List.of(ifs));
    }

    @Test
    void parsesLikeUsbredirfilterStringToRules() {
        assertTrue(UsbRedirFilter.parse("").isEmpty());
        assertTrue(UsbRedirFilter.parse("|||").isEmpty());
        assertEquals(List.of(new Rule(3, -1, -1, -1, false)), UsbRedirFilter.parse("0x03,-1,-1,-1,0").rules());
        assertEquals("0x03,-1,-1,-1,0|-1,-1,-1,-1,1",
                UsbRedirFilter.parse("||||0x03,-1,-1,-1,0|||-1,-1,-1,-1,1||||").toString());
        assertEquals("0x03,-1,-1,-1,0", UsbRedirFilter.parse("\t 0x03,-1;-1;-1,0\n\n", ",;", " \t\n").toString());
        assertEquals(2, UsbRedirFilter.parse("\n\t0x03;-1,-1,-1,0\n\n-1,-1,-1;-1;1", ",;", " \t\n").rules().size());
        // base 0: hex, octal, decimal; a sign; leading white space; allow is any non-zero value
        assertEquals(new Rule(8, 0x1209, 8, 0x0100, true), UsbRedirFilter.parse("8,0X1209,010, 256,-7").rules()
                .get(0));
        assertEquals(new Rule(255, 65535, 0, -1, false), UsbRedirFilter.parse("0xff,65535,0,-1,0x0").rules()
                .get(0));
    }

    @Test
    void refusesWhatUsbredirfilterRefuses() {
        for (String bad : List.of("0x100,-1,-1,-1,0", "-2,-1,-1,-1,0", "0x03,,0x10000-1,-1,0", "0x03,-2,-1,-1,0",
                "0x03,-1,0x10000-1,,0", "0x03,-1,-2,-1,0", "0x03,-1,-1,0x10000,0", "0x03,-1,-1,-2,0",
                "0x03,-1,-1,-1,0,1", "0x03,-1,-1,-1", "0x03,-1,-1,,-1", "0x03,-1,-1,a,-1", "0x03,-1,-1,#,-1",
                "0x,-1,-1,-1,1", "08,-1,-1,-1,1", "+-1,-1,-1,-1,1", "3 ,-1,-1,-1,1", "-1,-1,-1,-1,1|junk")) {
            assertThrows(IllegalArgumentException.class, () -> UsbRedirFilter.parse(bad), bad);
        }
    }

    @Test
    void hugeNumbersAreCutToAnIntAsCStoresThem() {
        // strtol saturates at LONG_MAX, which an int holds as -1: a wildcard
        assertEquals(-1, UsbRedirFilter.parse("99999999999999999999,-1,-1,-1,1").rules().get(0).deviceClass());
        assertEquals(0, UsbRedirFilter.parse("4294967296,-1,-1,-1,1").rules().get(0).deviceClass());
        assertEquals(1, UsbRedirFilter.parse("4294967297,-1,-1,-1,1").rules().get(0).deviceClass());
    }

    @Test
    void theFirstMatchingRuleDecides() {
        UsbRedirFilter f = UsbRedirFilter.parse("-1,0x1209,0x0001,-1,0|0x08,-1,-1,-1,1|-1,-1,-1,-1,0");
        assertEquals(Verdict.DENY, f.check(device(0, 0x1209, 1, 0x100, MASS_STORAGE), 0));
        assertEquals(Verdict.ALLOW, f.check(device(0, 0x1209, 2, 0x100, MASS_STORAGE), 0));
        assertEquals(Verdict.DENY, f.check(device(0, 0x046d, 2, 0x100, AUDIO), 0));
        UsbRedirFilter version = UsbRedirFilter.parse("-1,-1,-1,0x0100,1");
        assertTrue(version.allows(device(0, 1, 2, 0x0100, AUDIO), 0));
        assertEquals(Verdict.NO_MATCH, version.check(device(0, 1, 2, 0x0200, AUDIO), 0));
        assertEquals(Verdict.ALLOW, version.check(device(0, 1, 2, 0x0200, AUDIO), UsbRedirFilter.DEFAULT_ALLOW));
        assertEquals(Verdict.NO_MATCH, UsbRedirFilter.NONE.check(device(0, 1, 2, 3, AUDIO), 0));
    }

    @Test
    void theDeviceClassAndEveryInterfaceClassMustPass() {
        UsbRedirFilter noAudio = UsbRedirFilter.parse("0x01,-1,-1,-1,0|-1,-1,-1,-1,1");
        assertEquals(Verdict.DENY, noAudio.check(device(0, 1, 2, 3, MASS_STORAGE, AUDIO), 0));
        assertEquals(Verdict.ALLOW, noAudio.check(device(0, 1, 2, 3, MASS_STORAGE), 0));
        // a device class of its own is checked too, but 0x00 and 0xef (miscellaneous) defer to the interfaces
        assertEquals(Verdict.DENY, noAudio.check(device(0x01, 1, 2, 3, MASS_STORAGE), 0));
        assertEquals(Verdict.ALLOW, noAudio.check(device(0xef, 1, 2, 3, MASS_STORAGE), 0));
        UsbRedirFilter onlyStorage = UsbRedirFilter.parse("0x08,-1,-1,-1,1");
        assertEquals(Verdict.NO_MATCH, onlyStorage.check(device(0xff, 1, 2, 3, MASS_STORAGE), 0));
        assertEquals(Verdict.NO_MATCH, onlyStorage.check(device(0, 1, 2, 3, MASS_STORAGE, AUDIO), 0));
        assertEquals(Verdict.ALLOW, onlyStorage.check(device(0, 1, 2, 3), 0), "no interfaces: nothing to refuse");
    }

    @Test
    void nonBootHidInterfacesOfCompositeDevicesAreSkipped() {
        UsbRedirFilter noHid = UsbRedirFilter.parse("0x03,-1,-1,-1,0|-1,-1,-1,-1,1");
        // a storage device with a vendor HID interface (class 3, no boot protocol) passes...
        assertTrue(noHid.allows(device(0, 1, 2, 3, MASS_STORAGE, NON_BOOT_HID), 0));
        // ...unless told not to skip it
        assertFalse(noHid.allows(device(0, 1, 2, 3, MASS_STORAGE, NON_BOOT_HID),
                UsbRedirFilter.DONT_SKIP_NON_BOOT_HID));
        // a boot keyboard interface is never skipped
        assertFalse(noHid.allows(device(0, 1, 2, 3, MASS_STORAGE, BOOT_KEYBOARD), 0));
        // a single non-boot HID interface is checked
        assertFalse(noHid.allows(device(0, 1, 2, 3, NON_BOOT_HID), 0));
        // when every interface would be skipped, all are checked
        assertFalse(noHid.allows(device(0, 1, 2, 3, NON_BOOT_HID, NON_BOOT_HID), 0));
    }

    @Test
    void identityFromDescriptors() {
        byte[] dd = {18, 1, 0, 2, 0, 0, 0, 64, 0x09, 0x12, 0x02, 0x00, 0x00, 0x01, 1, 2, 3, 1};
        byte[] cfg = {9, 2, 41, 0, 2, 1, 0, (byte) 0x80, 50,
            9, 4, 0, 0, 2, 0x08, 0x06, 0x50, 0,
            7, 5, (byte) 0x81, 2, 0, 2, 0,
            9, 4, 0, 1, 0, 0x01, 0x01, 0x00, 0, // alternate setting 1 of interface 0: not counted
            9, 4, 1, 0, 1, 0x03, 0x00, 0x00, 0};
        UsbIdentity id = UsbIdentity.of(dd, cfg);
        assertEquals(new UsbIdentity(0, 0, 0, 0x1209, 0x0002, 0x0100, List.of(MASS_STORAGE, NON_BOOT_HID)), id);
        assertEquals("1209:0002", id.ids());
    }
}
