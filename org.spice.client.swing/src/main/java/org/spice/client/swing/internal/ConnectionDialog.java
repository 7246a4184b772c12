package org.spice.client.swing.internal;

import java.awt.BorderLayout;
import java.util.List;
import java.util.function.Function;
import javax.swing.JComboBox;
import javax.swing.JDialog;
import javax.swing.JLabel;
import javax.swing.JOptionPane;
import javax.swing.JPanel;

/**
 * The dialog of {@code spice connect} without a URI: an address (or .vv file) typed or picked from the recent
 * connections. What the check refuses is shown in a message and asked again; the accepted address is remembered.
 */
final class ConnectionDialog {
    private ConnectionDialog() {
    }

    /** Asks on the event dispatch thread; null when the user cancels. */
    static String ask(GuiSettings settings, Function<String, String> check) {
        List<String> recent = settings.recent();
        JComboBox<String> address = new JComboBox<>(recent.toArray(String[]::new));
        address.setEditable(true);
        address.setPrototypeDisplayValue("spice://www.example.com:5900?tls-port=5901");
        JPanel panel = new JPanel(new BorderLayout(0, 6));
        panel.add(new JLabel("Connection address (spice://HOST:PORT, spice+tls://HOST:PORT or a .vv file):"),
                BorderLayout.NORTH);
        panel.add(address, BorderLayout.CENTER);
        JOptionPane[] current = new JOptionPane[1];
        ((javax.swing.JTextField) address.getEditor().getEditorComponent()).addActionListener(
                e -> current[0].setValue(JOptionPane.OK_OPTION));
        while (true) {
            JOptionPane pane = new JOptionPane(panel, JOptionPane.QUESTION_MESSAGE, JOptionPane.OK_CANCEL_OPTION);
            current[0] = pane;
            JDialog dialog = pane.createDialog("Connect to a SPICE server");
            dialog.addWindowFocusListener(new java.awt.event.WindowAdapter() {
                @Override
                public void windowGainedFocus(java.awt.event.WindowEvent e) {
                    address.getEditor().getEditorComponent().requestFocusInWindow();
                }
            });
            dialog.setVisible(true);
            dialog.dispose();
            if (!Integer.valueOf(JOptionPane.OK_OPTION).equals(pane.getValue())) {
                return null;
            }
            Object item = address.getEditor().getItem();
            String text = item == null ? "" : item.toString().strip();
            String wrong = text.isEmpty() ? "no address given" : check.apply(text);
            if (wrong == null) {
                settings.remember(text);
                return text;
            }
            JOptionPane.showMessageDialog(null, "Cannot connect to \"" + text + "\":\n" + wrong,
                    "Connect to a SPICE server", JOptionPane.ERROR_MESSAGE);
        }
    }
}
