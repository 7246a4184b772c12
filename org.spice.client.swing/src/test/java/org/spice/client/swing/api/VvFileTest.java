package org.spice.client.swing.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.spice.protocol.SpiceUri;

class VvFileTest {
    /** As virt-manager / oVirt write them: other sections, comments, an inline CA with \n escapes. */
    private static final String FULL = """
            # written by a management tool
            [ovirt]
            host=engine.example:443

            [virt-viewer]
            type=spice
            host=192.0.2.7
            port=5900
            tls-port=5901
            password=s3cret=with=equals
            title=Guest one\\s(test)
            fullscreen=1
            delete-this-file=1
            ca=-----BEGIN CERTIFICATE-----\\nMIIBszCCAVmgAwIBAgIU\\n-----END CERTIFICATE-----\\n
            host-subject=C=XX,L=City,O=Org,CN=host
            secure-channels=main;inputs
            """;

    @Test
    void readsEveryKeyOfTheVirtViewerSection() {
        VvFile f = VvFile.parse(FULL);
        assertEquals("192.0.2.7", f.host());
        assertEquals(5900, f.port());
        assertEquals(5901, f.tlsPort());
        assertEquals("s3cret=with=equals", f.password());
        assertEquals("Guest one (test)", f.title());
        assertTrue(f.fullScreen());
        assertTrue(f.deleteThisFile());
        assertEquals("-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----\n", f.ca());
        assertEquals("C=XX,L=City,O=Org,CN=host", f.hostSubject());
        assertEquals(new SpiceUri("192.0.2.7", 5900, 5901, null), f.uri());
    }

    /** As Proxmox VE writes them: the host is a name only its spiceproxy resolves, reached through proxy=. */
    @Test
    void proxmoxFileKeepsItsHostNameProxyAndUser() {
        VvFile f = VvFile.parse("[virt-viewer]\ntype=spice\nhost=pvespiceproxy:6543f2b3:101:pve::9a3c1e\n"
                + "tls-port=61000\nproxy=http://192.0.2.9:3128\nusername=alice\npassword=x\n");
        assertEquals("pvespiceproxy:6543f2b3:101:pve::9a3c1e", f.uri().host());
        assertEquals("http://192.0.2.9:3128", f.proxy());
        assertEquals("alice", f.username());
        assertFalse(f.toString().contains("192.0.2.9"), "proxy credentials may sit in the URI: " + f);
    }

    @Test
    void neverShowsThePassword() {
        VvFile f = VvFile.parse(FULL);
        assertFalse(f.toString().contains("s3cret"), f.toString());
        assertNull(f.uri().password());
    }

    @Test
    void aTlsOnlyFileHasNoPlainPortAndDefaultsAreOff() {
        VvFile f = VvFile.parse("[virt-viewer]\r\ntype=spice\r\nhost=h\r\ntls-port=5901\r\n");
        assertEquals(-1, f.port());
        assertEquals(5901, f.tlsPort());
        assertNull(f.password());
        assertNull(f.ca());
        assertFalse(f.fullScreen());
        assertFalse(f.deleteThisFile());
        assertEquals("spice+tls://h:5901", f.uri().toString());
    }

    @Test
    void refusesWhatIsNotASpiceConnection() {
        assertThrows(IllegalArgumentException.class, () -> VvFile.parse("[other]\ntype=spice\nhost=h\nport=1\n"));
        assertThrows(IllegalArgumentException.class,
                () -> VvFile.parse("[virt-viewer]\ntype=vnc\nhost=h\nport=5900\n"));
        assertThrows(IllegalArgumentException.class, () -> VvFile.parse("[virt-viewer]\ntype=spice\nport=5900\n"));
        assertThrows(IllegalArgumentException.class, () -> VvFile.parse("[virt-viewer]\ntype=spice\nhost=h\n"));
        assertThrows(IllegalArgumentException.class,
                () -> VvFile.parse("[virt-viewer]\ntype=spice\nhost=h\nport=70000\n"));
        assertThrows(IllegalArgumentException.class,
                () -> VvFile.parse("[virt-viewer]\ntype=spice\nhost=h\nport=5900\nfullscreen=maybe\n"));
        assertThrows(IllegalArgumentException.class,
                () -> VvFile.parse("[virt-viewer]\ntype=spice\nhost=h\nport=5900\ntitle=a\\q\n"));
        assertThrows(IllegalArgumentException.class, () -> VvFile.parse("[virt-viewer]\nnot a key\n"));
    }

    @Test
    void tellsFilesFromUris() {
        assertTrue(VvFile.looksLikeFile("console.vv"));
        assertTrue(VvFile.looksLikeFile("/tmp/Console.VV"));
        assertFalse(VvFile.looksLikeFile("spice://h:5900"));
        assertFalse(VvFile.looksLikeFile("spice://h/x.vv"));
    }
}
