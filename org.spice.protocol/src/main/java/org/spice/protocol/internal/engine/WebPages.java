package org.spice.protocol.internal.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * The browser client pages the server's port serves on plain HTTP GET: the files of a spice-html5 installation
 * (Debian's package spice-html5 puts them in {@value #DEFAULT_ROOT}) and, at {@code /}, a launcher that opens its
 * {@code spice_auto.html}, which connects back by WebSocket to the host and port that served it. Without the files
 * every path answers a 404 page naming the missing package.
 */
final class WebPages {
    static final String DEFAULT_ROOT = "/usr/share/spice-html5";
    /** spice-html5's page that connects to the host and port it was served from. */
    static final String CLIENT_PAGE = "spice_auto.html";
    /** spice-html5's largest file is about 100 KB; nothing of a client page comes near this. */
    static final long MAX_FILE_SIZE = 4L << 20;
    /** ES modules only run when served as JavaScript; a browser refuses a module with another type. */
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "mjs", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "map", "application/json",
            "json", "application/json",
            "png", "image/png",
            "svg", "image/svg+xml",
            "ico", "image/x-icon");

    /** What to answer: an HTTP status, the content type and the body. */
    record Page(int status, String contentType, byte[] body) {
    }

    private final Path root;

    WebPages(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    Path root() {
        return root;
    }

    /** The page for a request's path (already without its query), or a 404 page saying why there is none. */
    Page get(String path) {
        if (!Files.isRegularFile(root.resolve(CLIENT_PAGE))) {
            return notFound("The browser client is not installed here: this server serves spice-html5 from " + root
                    + ", which has no " + CLIENT_PAGE + ". On Debian install the package spice-html5, or set"
                    + " web.root of the server's configuration (org.spice.server) to where spice-html5 is.");
        }
        if (path.equals("/") || path.equals("/index.html")) {
            return new Page(200, TYPES.get("html"), launcher());
        }
        Path file = file(path);
        if (file == null) {
            return notFound("No page " + path + " here.");
        }
        String type = TYPES.get(extension(file));
        try {
            if (type == null || !Files.isRegularFile(file) || Files.size(file) > MAX_FILE_SIZE) {
                return notFound("No page " + path + " here.");
            }
            return new Page(200, type, Files.readAllBytes(file));
        } catch (IOException e) {
            return notFound("Cannot read " + path + ": " + e.getMessage());
        }
    }

    /** The file a path names under the root, or null when it names none (escapes the root, hidden, odd). */
    private Path file(String path) {
        if (!path.startsWith("/") || path.length() > 256) {
            return null;
        }
        for (String segment : path.substring(1).split("/", -1)) {
            if (segment.isEmpty() || segment.startsWith(".") || segment.contains("\\")) {
                return null;
            }
        }
        Path file = root.resolve(path.substring(1)).normalize();
        return file.startsWith(root) ? file : null;
    }

    private static String extension(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /**
     * The launcher: opens spice_auto.html with the query the launcher got (spice-html5 reads host, port, path and
     * password from it; without them it connects to the host and port it was served from).
     */
    private static byte[] launcher() {
        String html = """
                <!DOCTYPE html>
                <html><head><meta charset="utf-8"><title>SPICE</title></head>
                <body>
                <p>Opening the SPICE browser client (spice-html5)&hellip; <a id="open" href="%s">open it</a></p>
                <script>
                  location.replace('%s' + location.search);
                </script>
                </body></html>
                """.formatted(CLIENT_PAGE, CLIENT_PAGE);
        return html.getBytes(StandardCharsets.UTF_8);
    }

    private static Page notFound(String text) {
        String html = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Not found</title></head>\n<body><p>"
                + escape(text) + "</p></body></html>\n";
        return new Page(404, TYPES.get("html"), html.getBytes(StandardCharsets.UTF_8));
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
