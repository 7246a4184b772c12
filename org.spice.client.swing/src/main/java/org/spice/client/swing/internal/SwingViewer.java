package org.spice.client.swing.internal;

import java.awt.GraphicsEnvironment;
import java.lang.reflect.InvocationTargetException;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import javax.swing.JCheckBox;
import javax.swing.JLabel;
import javax.swing.JOptionPane;
import javax.swing.JPanel;
import javax.swing.JPasswordField;
import javax.swing.SwingUtilities;
import org.osgi.service.component.annotations.Activate;
import org.spice.agent.api.ClientAgents;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.spice.client.swing.api.Viewer;
import org.spice.cursor.api.ClientCursors;
import org.spice.display.api.ClientDisplays;
import org.spice.inputs.api.ClientInputs;
import org.spice.protocol.client.ClientSession;
import org.spice.usbredir.api.HostUsbDevices;
import org.spice.usbredir.api.UsbSharing;

/**
 * The Swing viewer service. The display bundle is required; without the cursor or inputs bundle the windows
 * show the display only, the USB menu needs the usbredir bundle, and lists host devices when
 * org.spice.usbredir.host runs.
 */
@Component(service = Viewer.class)
public final class SwingViewer implements Viewer {
    final ClientDisplays displays;
    final ClientCursors cursors;
    final ClientInputs inputs;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile UsbSharing usb;

    /** The machine's own USB devices, from the optional org.spice.usbredir.host bundle. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile HostUsbDevices hostUsb;

    /** The server's agent (clipboard, resolution, files), from the optional org.spice.agent bundle. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile ClientAgents agents;

    private final Set<SessionView> open = ConcurrentHashMap.newKeySet();
    private final Keychain keychain = Keychain.platform();

    @Activate
    public SwingViewer(@Reference ClientDisplays displays,
            @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
            ClientCursors cursors,
            @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
            ClientInputs inputs) {
        this.displays = displays;
        this.cursors = cursors;
        this.inputs = inputs;
    }

    @Deactivate
    void deactivate() {
        for (SessionView v : open) {
            SwingUtilities.invokeLater(v::close);
        }
    }

    @Override
    public String unavailable() {
        String display = System.getenv("DISPLAY");
        if (GraphicsEnvironment.isHeadless()) {
            return display == null || display.isEmpty()
                    ? "no display: DISPLAY is not set (run it in a desktop session, or under Xvfb)"
                    : "the JVM runs headless (java.awt.headless=true)";
        }
        try {
            GraphicsEnvironment.getLocalGraphicsEnvironment().getDefaultScreenDevice();
            return null;
        } catch (Error e) {
            // AWT reports an X server it cannot reach as an InternalError or AWTError, and a JRE without its
            // X11 library as a LinkageError: each means no window can be opened, which is what the caller asks.
            return "cannot open display " + display + ": " + e.getMessage();
        }
    }

    @Override
    public Password askPassword(String where) {
        Password[] answer = new Password[1];
        String noKeychain = keychain.unavailable();
        try {
            SwingUtilities.invokeAndWait(() -> {
                JPasswordField field = new JPasswordField(24);
                JCheckBox keep = new JCheckBox("Keep it in the keychain");
                keep.setEnabled(noKeychain == null);
                keep.setToolTipText(noKeychain == null ? "The platform keychain keeps it, for this address only"
                        : noKeychain);
                JPanel panel = new JPanel(new java.awt.BorderLayout(0, 6));
                panel.add(new JLabel(where + " asks for a password:"), java.awt.BorderLayout.NORTH);
                panel.add(field, java.awt.BorderLayout.CENTER);
                panel.add(keep, java.awt.BorderLayout.SOUTH);
                JOptionPane pane = new JOptionPane(panel, JOptionPane.QUESTION_MESSAGE, JOptionPane.OK_CANCEL_OPTION);
                javax.swing.JDialog dialog = pane.createDialog("SPICE password");
                dialog.addWindowFocusListener(new java.awt.event.WindowAdapter() {
                    @Override
                    public void windowGainedFocus(java.awt.event.WindowEvent e) {
                        field.requestFocusInWindow();
                    }
                });
                field.addActionListener(e -> pane.setValue(JOptionPane.OK_OPTION));
                dialog.setVisible(true);
                dialog.dispose();
                if (Integer.valueOf(JOptionPane.OK_OPTION).equals(pane.getValue())) {
                    answer[0] = new Password(new String(field.getPassword()), keep.isSelected());
                }
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("the password dialog failed", e.getCause());
        }
        return answer[0];
    }

    @Override
    public String keptPassword(String where) {
        return keychain.lookup(where);
    }

    @Override
    public boolean keepPassword(String where, String password) {
        return keychain.store(where, password);
    }

    @Override
    public void forgetPassword(String where) {
        keychain.clear(where);
    }

    @Override
    public String chooseConnection(java.util.function.Function<String, String> check) {
        String[] answer = new String[1];
        try {
            SwingUtilities.invokeAndWait(() -> answer[0] = ConnectionDialog.ask(GuiSettings.load(), check));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("the connection dialog failed", e.getCause());
        }
        return answer[0];
    }

    @Override
    public CompletableFuture<Void> show(ClientSession session, Options options) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        SwingUtilities.invokeLater(() -> {
            SessionView v = new SessionView(this, session, options, done);
            open.add(v);
            done.whenComplete((r, e) -> open.remove(v));
            try {
                v.open();
            } catch (RuntimeException e) {
                v.close();
                done.completeExceptionally(e);
            }
        });
        return done;
    }
}
