package org.spice.gateway.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.spice.agent.api.ClientAgent;
import org.spice.agent.api.ClipboardContent;
import org.spice.agent.api.ClipboardSelection;
import org.spice.agent.api.ClipboardType;
import org.spice.agent.api.FileTransfer;
import org.spice.agent.api.Monitor;

class GatewayClipboardTest {
    /** The VM's agent: what it was given, and what it holds (answered when asked). */
    static final class VmAgent implements ClientAgent {
        final List<ClipboardContent> given = new ArrayList<>();
        final List<ClipboardType> asked = new ArrayList<>();
        final List<Listener> listeners = new ArrayList<>();
        ClipboardContent holds;

        void grab(ClipboardContent c) {
            holds = c;
            listeners.forEach(l -> l.clipboardGrabbed(ClipboardSelection.CLIPBOARD, Set.of(c.type())));
        }

        @Override public boolean isOpen() { return true; }
        @Override public boolean hasCapability(int cap) { return true; }
        @Override public void setClipboard(ClipboardSelection s, ClipboardContent c) { given.add(c); }
        @Override public void releaseClipboard(ClipboardSelection s) { }

        @Override
        public Set<ClipboardType> remoteClipboardTypes(ClipboardSelection s) {
            return holds == null ? Set.of() : Set.of(holds.type());
        }

        @Override
        public CompletableFuture<ClipboardContent> clipboard(ClipboardSelection s, ClipboardType type) {
            asked.add(type);
            return CompletableFuture.completedFuture(holds != null && holds.type() == type ? holds : null);
        }

        @Override public void addListener(Listener l) { listeners.add(l); }
        @Override public void removeListener(Listener l) { listeners.remove(l); }
        @Override public CompletableFuture<Boolean> setMonitors(List<Monitor> monitors) { return null; }
        @Override public FileTransfer sendFile(Path file) { throw new UnsupportedOperationException(); }
    }

    private static final long CONTROLLER = 1;
    private static final long WATCHER = 2;

    private final VmAgent vm = new VmAgent();
    private final List<ClipboardContent> offered = new ArrayList<>();
    private final GatewayClipboard clipboard = new GatewayClipboard(id -> id == CONTROLLER);

    GatewayClipboardTest() {
        clipboard.addListener(offered::add);
    }

    @Test
    void theControllersCopyGoesToTheVmAndToTheOtherViewers() {
        clipboard.attach(vm);
        clipboard.set(CONTROLLER, ClipboardContent.text("from the controller"));
        assertEquals(List.of(ClipboardContent.text("from the controller")), vm.given);
        assertEquals(List.of(ClipboardContent.text("from the controller")), offered);
        assertEquals(ClipboardContent.text("from the controller"), clipboard.get());
    }

    @Test
    void aWatchersCopyGoesNowhere() {
        clipboard.attach(vm);
        clipboard.set(CONTROLLER, ClipboardContent.text("kept"));
        clipboard.set(WATCHER, ClipboardContent.text("from a watcher"));
        assertEquals(List.of(ClipboardContent.text("kept")), vm.given);
        assertEquals(List.of(ClipboardContent.text("kept")), offered);
        assertEquals(ClipboardContent.text("kept"), clipboard.get());
    }

    @Test
    void whatTheVmCopiesIsFetchedAtOnceAndOfferedToEveryViewer() {
        clipboard.attach(vm);
        vm.grab(ClipboardContent.png(new byte[] {(byte) 0x89, 'P', 'N', 'G'}));
        assertEquals(List.of(ClipboardType.IMAGE_PNG), vm.asked);
        assertEquals(List.of(ClipboardContent.png(new byte[] {(byte) 0x89, 'P', 'N', 'G'})), offered);

        vm.listeners.forEach(l -> l.clipboardReleased(ClipboardSelection.CLIPBOARD));
        assertNull(clipboard.get());
        assertNull(offered.get(offered.size() - 1));
        assertTrue(vm.given.isEmpty(), "the VM's own clipboard went back to it");
    }

    @Test
    void theVmsClipboardHeldBeforeAttachingIsOfferedAndADetachedVmHearsNothing() {
        vm.holds = ClipboardContent.text("held before");
        clipboard.attach(vm);
        assertEquals(List.of(ClipboardContent.text("held before")), offered);

        clipboard.detach();
        assertTrue(vm.listeners.isEmpty());
        clipboard.set(CONTROLLER, ClipboardContent.text("viewers only"));
        assertTrue(vm.given.isEmpty());
        assertEquals(ClipboardContent.text("viewers only"), clipboard.get(), "viewers still share among themselves");
    }

    @Test
    void textIsPreferredThenPng() {
        assertEquals(ClipboardType.UTF8_TEXT, GatewayClipboard.preferred(EnumSet.allOf(ClipboardType.class)));
        assertEquals(ClipboardType.IMAGE_PNG, GatewayClipboard.preferred(
                EnumSet.of(ClipboardType.IMAGE_JPG, ClipboardType.IMAGE_PNG)));
        assertNull(GatewayClipboard.preferred(Set.of()));
    }
}
