package org.spice.tunnel.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * A small WebDAV server (RFC 4918 class 1 and the lock answers class 2 clients expect) over one shared folder, for
 * one mux stream: OPTIONS, PROPFIND (depth 0 or 1), GET/HEAD with byte ranges, PUT, DELETE, MKCOL, MOVE, COPY, and
 * LOCK/UNLOCK answered without real locking, as phodav answers a single client. Paths with {@code ..}, NUL or a
 * symbolic link out of the folder are refused; a read-only share refuses every change with 403.
 */
final class WebdavHandler extends SimpleChannelInboundHandler<HttpObject> {
    private static final Logger LOG = Logger.getLogger(WebdavHandler.class.getName());
    /** Largest request body this side reads into memory (PROPFIND, LOCK); PUT bodies go to disk. */
    static final int MAX_SMALL_BODY = 64 * 1024;
    /** Largest file a PUT may write. */
    static final long MAX_PUT = 8L << 30;
    static final int CHUNK = 60 * 1024;
    private static final HttpMethod PROPFIND = HttpMethod.valueOf("PROPFIND");
    private static final HttpMethod PROPPATCH = HttpMethod.valueOf("PROPPATCH");
    private static final HttpMethod MKCOL = HttpMethod.valueOf("MKCOL");
    private static final HttpMethod MOVE = HttpMethod.valueOf("MOVE");
    private static final HttpMethod COPY = HttpMethod.valueOf("COPY");
    private static final HttpMethod LOCK = HttpMethod.valueOf("LOCK");
    private static final HttpMethod UNLOCK = HttpMethod.valueOf("UNLOCK");
    private static final String ALLOW =
            "OPTIONS, PROPFIND, GET, HEAD, PUT, DELETE, MKCOL, MOVE, COPY, LOCK, UNLOCK";

    private final Path root;
    private final boolean readOnly;

    /** The request whose body is arriving, and where its body goes. */
    private HttpRequest request;
    private boolean keepAlive;
    private Path target;
    private Path upload;
    private FileChannel uploadChannel;
    private long bodyBytes;
    private HttpResponseStatus refused;

    /** {@code root} is the shared folder's real path. */
    WebdavHandler(Path root, boolean readOnly) {
        this.root = root;
        this.readOnly = readOnly;
    }

    /** Why a request is refused before anything is done. */
    static final class Refusal extends Exception {
        final HttpResponseStatus status;

        Refusal(HttpResponseStatus status, String why) {
            super(why, null, false, false);
            this.status = status;
        }
    }

    /**
     * The file a request path names inside {@code root}: percent-decoded, without NUL, {@code .} or {@code ..}
     * segments, and (for what exists, or else its nearest existing parent) with its real path inside root, so a
     * symbolic link cannot lead out.
     */
    static Path resolve(Path root, String rawPath) throws Refusal {
        String path;
        try {
            path = QueryStringDecoder.decodeComponent(rawPath, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new Refusal(HttpResponseStatus.BAD_REQUEST, "bad percent-encoding in " + rawPath);
        }
        if (path.indexOf('\0') >= 0) {
            throw new Refusal(HttpResponseStatus.BAD_REQUEST, "NUL in path");
        }
        if (!path.startsWith("/")) {
            throw new Refusal(HttpResponseStatus.BAD_REQUEST, "path not absolute: " + rawPath);
        }
        Path p = root;
        for (String seg : path.split("/")) {
            if (seg.isEmpty()) {
                continue;
            }
            if (seg.equals(".") || seg.equals("..") || seg.indexOf('\\') >= 0) {
                throw new Refusal(HttpResponseStatus.FORBIDDEN, "path segment '" + seg + "' refused in " + rawPath);
            }
            p = p.resolve(seg);
        }
        Path existing = p;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        try {
            if (existing == null || !existing.toRealPath().startsWith(root)) {
                throw new Refusal(HttpResponseStatus.FORBIDDEN, rawPath + " leads out of the shared folder");
            }
        } catch (IOException e) {
            throw new Refusal(HttpResponseStatus.FORBIDDEN, rawPath + " leads out of the shared folder ("
                    + e.getMessage() + ")");
        }
        return p;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) throws IOException {
        if (msg instanceof HttpRequest req) {
            startRequest(ctx, req);
        }
        if (msg instanceof HttpContent content && request != null) {
            body(ctx, content);
        }
    }

    private void startRequest(ChannelHandlerContext ctx, HttpRequest req) throws IOException {
        request = req;
        keepAlive = HttpUtil.isKeepAlive(req);
        bodyBytes = 0;
        refused = null;
        target = null;
        if (req.decoderResult().isFailure()) {
            keepAlive = false;
            refuse(HttpResponseStatus.BAD_REQUEST, "undecodable request: " + req.decoderResult().cause());
            return;
        }
        try {
            target = resolve(root, new QueryStringDecoder(req.uri()).rawPath());
        } catch (Refusal r) {
            refuse(r.status, req.method() + " " + req.uri() + ": " + r.getMessage());
            return;
        }
        HttpMethod m = req.method();
        boolean writes = m.equals(HttpMethod.PUT) || m.equals(HttpMethod.DELETE) || m.equals(MKCOL)
                || m.equals(MOVE) || m.equals(COPY) || m.equals(LOCK) || m.equals(PROPPATCH);
        if (readOnly && writes) {
            refuse(HttpResponseStatus.FORBIDDEN, m + " " + req.uri() + ": the share is read-only");
            return;
        }
        if (m.equals(HttpMethod.PUT)) {
            long length = HttpUtil.getContentLength(req, -1L);
            if (length > MAX_PUT) {
                keepAlive = false;
                refuse(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "PUT of " + length + " bytes over " + MAX_PUT);
                return;
            }
            if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                refuse(HttpResponseStatus.METHOD_NOT_ALLOWED, "PUT on a folder: " + req.uri());
                return;
            }
            if (!Files.isDirectory(target.getParent())) {
                refuse(HttpResponseStatus.CONFLICT, "PUT without a parent folder: " + req.uri());
                return;
            }
            upload = Files.createTempFile(target.getParent(), ".webdav-", ".part");
            uploadChannel = FileChannel.open(upload, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        }
    }

    /** Answers a request now; its body is then read and dropped (or the connection closed when that is too long). */
    private void refuse(HttpResponseStatus status, String why) {
        LOG.info(() -> "webdav refused (" + status.code() + "): " + why);
        refused = status;
    }

    private void body(ChannelHandlerContext ctx, HttpContent content) throws IOException {
        ByteBuf buf = content.content();
        bodyBytes += buf.readableBytes();
        if (uploadChannel != null) {
            if (bodyBytes > MAX_PUT) {
                abortUpload();
                keepAlive = false;
                refuse(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "PUT body over " + MAX_PUT + " bytes");
            } else {
                ByteBuffer nio = buf.nioBuffer();
                while (nio.hasRemaining()) {
                    uploadChannel.write(nio);
                }
            }
        } else if (bodyBytes > MAX_SMALL_BODY && refused == null) {
            keepAlive = false;
            refuse(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, request.method() + " body over " + MAX_SMALL_BODY
                    + " bytes");
        }
        if (refused != null && !keepAlive) {
            // no need to read the rest: answer and close
            finish(ctx, error(refused));
            return;
        }
        if (content instanceof LastHttpContent) {
            if (refused != null) {
                finish(ctx, error(refused));
            } else {
                answer(ctx);
            }
        }
    }

    private void finish(ChannelHandlerContext ctx, HttpResponse response) {
        boolean close = !keepAlive;
        request = null;
        abortUpload();
        if (close) {
            response.headers().set(HttpHeaderNames.CONNECTION, "close");
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.writeAndFlush(response);
        }
    }

    private void abortUpload() {
        if (uploadChannel != null) {
            try {
                uploadChannel.close();
                Files.deleteIfExists(upload);
            } catch (IOException e) {
                LOG.warning(() -> "webdav: could not remove " + upload + ": " + e);
            }
            uploadChannel = null;
            upload = null;
        }
    }

    private void answer(ChannelHandlerContext ctx) {
        HttpMethod m = request.method();
        try {
            if (m.equals(HttpMethod.OPTIONS)) {
                FullHttpResponse r = empty(HttpResponseStatus.OK);
                r.headers().set("DAV", "1,2").set(HttpHeaderNames.ALLOW, ALLOW);
                finish(ctx, r);
            } else if (m.equals(PROPFIND)) {
                propfind(ctx);
            } else if (m.equals(HttpMethod.GET) || m.equals(HttpMethod.HEAD)) {
                get(ctx, m.equals(HttpMethod.HEAD));
            } else if (m.equals(HttpMethod.PUT)) {
                put(ctx);
            } else if (m.equals(HttpMethod.DELETE)) {
                delete(ctx);
            } else if (m.equals(MKCOL)) {
                mkcol(ctx);
            } else if (m.equals(MOVE) || m.equals(COPY)) {
                moveOrCopy(ctx, m.equals(MOVE));
            } else if (m.equals(LOCK)) {
                lock(ctx);
            } else if (m.equals(UNLOCK)) {
                finish(ctx, empty(HttpResponseStatus.NO_CONTENT));
            } else {
                LOG.info(() -> "webdav: method " + m + " not implemented");
                finish(ctx, error(HttpResponseStatus.NOT_IMPLEMENTED));
            }
        } catch (Refusal r) {
            refuse(r.status, m + " " + request.uri() + ": " + r.getMessage());
            finish(ctx, error(r.status));
        } catch (NoSuchFileException e) {
            finish(ctx, error(HttpResponseStatus.NOT_FOUND));
        } catch (IOException | UncheckedIOException e) {
            LOG.warning(() -> "webdav " + m + " " + request.uri() + " failed: " + e);
            keepAlive = false;
            finish(ctx, error(HttpResponseStatus.INTERNAL_SERVER_ERROR));
        }
    }

    private void propfind(ChannelHandlerContext ctx) throws IOException, Refusal {
        String depth = request.headers().get("Depth", "infinity").trim();
        if (!depth.equals("0") && !depth.equals("1")) {
            throw new Refusal(HttpResponseStatus.FORBIDDEN, "PROPFIND depth " + depth + " refused (0 or 1 only)");
        }
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new NoSuchFileException(request.uri());
        }
        StringBuilder x = new StringBuilder("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<D:multistatus xmlns:D=\"DAV:\">\n");
        String href = hrefOf(target);
        entry(x, target, href);
        if (depth.equals("1") && Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(target)) {
                for (Path child : ds) {
                    if (listed(child)) {
                        entry(x, child, hrefOf(child));
                    }
                }
            }
        }
        x.append("</D:multistatus>\n");
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.MULTI_STATUS,
                Unpooled.copiedBuffer(x, StandardCharsets.UTF_8));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/xml; charset=utf-8");
        HttpUtil.setContentLength(r, r.content().readableBytes());
        finish(ctx, r);
    }

    /** Whether a folder entry is listed: not an upload in progress, nor a symbolic link leading out of root. */
    private boolean listed(Path p) {
        String n = p.getFileName().toString();
        if (n.startsWith(".webdav-") && n.endsWith(".part")) {
            return false;
        }
        try {
            return p.toRealPath().startsWith(root);
        } catch (IOException e) {
            return false;
        }
    }

    private String hrefOf(Path p) {
        StringBuilder h = new StringBuilder();
        for (Path seg : root.relativize(p)) {
            if (!seg.toString().isEmpty()) {
                h.append('/').append(encodeSegment(seg.toString()));
            }
        }
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            h.append('/');
        }
        return h.length() == 0 ? "/" : h.toString();
    }

    static String encodeSegment(String s) {
        StringBuilder b = new StringBuilder();
        for (byte c : s.getBytes(StandardCharsets.UTF_8)) {
            int v = c & 0xFF;
            if (Character.isLetterOrDigit(v) && v < 128 || "-._~".indexOf(v) >= 0) {
                b.append((char) v);
            } else {
                b.append('%').append(Character.toUpperCase(Character.forDigit(v >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(v & 15, 16)));
            }
        }
        return b.toString();
    }

    private static void entry(StringBuilder x, Path p, String href) throws IOException {
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        String name = p.getFileName() == null ? "" : p.getFileName().toString();
        x.append("<D:response><D:href>").append(xml(href)).append("</D:href><D:propstat><D:prop>");
        x.append("<D:displayname>").append(xml(name)).append("</D:displayname>");
        if (a.isDirectory()) {
            x.append("<D:resourcetype><D:collection/></D:resourcetype>");
        } else {
            x.append("<D:resourcetype/><D:getcontentlength>").append(a.size()).append("</D:getcontentlength>");
            x.append("<D:getcontenttype>application/octet-stream</D:getcontenttype>");
        }
        x.append("<D:getlastmodified>")
                .append(DateTimeFormatter.RFC_1123_DATE_TIME.format(a.lastModifiedTime().toInstant().atZone(ZoneOffset.UTC)))
                .append("</D:getlastmodified>");
        x.append("<D:creationdate>").append(a.creationTime().toInstant()).append("</D:creationdate>");
        x.append("<D:supportedlock><D:lockentry><D:lockscope><D:exclusive/></D:lockscope><D:locktype><D:write/>"
                + "</D:locktype></D:lockentry></D:supportedlock>");
        x.append("</D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>\n");
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private void get(ChannelHandlerContext ctx, boolean head) throws IOException, Refusal {
        if (Files.isDirectory(target)) {
            StringBuilder html = new StringBuilder("<!DOCTYPE html>\n<html><body><ul>\n");
            List<String> names = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(target)) {
                for (Path child : ds) {
                    if (listed(child)) {
                        names.add(child.getFileName().toString() + (Files.isDirectory(child) ? "/" : ""));
                    }
                }
            }
            names.sort(null);
            for (String n : names) {
                html.append("<li><a href=\"").append(xml(encodeSegment(n.replace("/", "")) + (n.endsWith("/") ? "/" : "")))
                        .append("\">").append(xml(n)).append("</a></li>\n");
            }
            html.append("</ul></body></html>\n");
            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    head ? Unpooled.EMPTY_BUFFER : Unpooled.copiedBuffer(html, StandardCharsets.UTF_8));
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/html; charset=utf-8");
            HttpUtil.setContentLength(r, html.toString().getBytes(StandardCharsets.UTF_8).length);
            finish(ctx, r);
            return;
        }
        if (!Files.isRegularFile(target)) {
            throw new NoSuchFileException(request.uri());
        }
        try (FileChannel fc = FileChannel.open(target, StandardOpenOption.READ)) {
            long size = fc.size();
            long from = 0;
            long to = size - 1;
            HttpResponseStatus status = HttpResponseStatus.OK;
            String range = request.headers().get(HttpHeaderNames.RANGE);
            if (range != null) {
                long[] r = parseRange(range, size);
                if (r == null) {
                    FullHttpResponse e = error(HttpResponseStatus.REQUESTED_RANGE_NOT_SATISFIABLE);
                    e.headers().set(HttpHeaderNames.CONTENT_RANGE, "bytes */" + size);
                    LOG.info(() -> "webdav: range " + range + " not satisfiable for " + request.uri());
                    finish(ctx, e);
                    return;
                }
                from = r[0];
                to = r[1];
                status = HttpResponseStatus.PARTIAL_CONTENT;
            }
            long length = to - from + 1;
            HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, status);
            HttpUtil.setContentLength(r, length);
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/octet-stream")
                    .set(HttpHeaderNames.ACCEPT_RANGES, "bytes");
            if (status == HttpResponseStatus.PARTIAL_CONTENT) {
                r.headers().set(HttpHeaderNames.CONTENT_RANGE, "bytes " + from + "-" + to + "/" + size);
            }
            boolean close = !keepAlive;
            if (close) {
                r.headers().set(HttpHeaderNames.CONNECTION, "close");
            }
            request = null;
            ctx.write(r);
            long pos = from;
            while (!head && pos <= to && ctx.channel().isActive()) {
                int n = (int) Math.min(CHUNK, to - pos + 1);
                ByteBuf chunk = ctx.alloc().heapBuffer(n);
                int read = chunk.writeBytes(fc, pos, n);
                if (read <= 0) {
                    chunk.release();
                    throw new IOException(target + " shrank while being read");
                }
                pos += read;
                ctx.writeAndFlush(new DefaultHttpContent(chunk));
            }
            if (close) {
                ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
            } else {
                ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
            }
        }
    }

    /** A single byte range {@code bytes=A-B}, {@code A-} or {@code -N}: [from, to], or null when unsatisfiable. */
    static long[] parseRange(String header, long size) {
        String h = header.trim();
        if (!h.startsWith("bytes=") || h.indexOf(',') >= 0) {
            return null;
        }
        String spec = h.substring(6).trim();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        try {
            String a = spec.substring(0, dash).trim();
            String b = spec.substring(dash + 1).trim();
            long from;
            long to;
            if (a.isEmpty()) {
                long n = Long.parseLong(b);
                if (n <= 0) {
                    return null;
                }
                from = Math.max(0, size - n);
                to = size - 1;
            } else {
                from = Long.parseLong(a);
                to = b.isEmpty() ? size - 1 : Math.min(Long.parseLong(b), size - 1);
            }
            if (from < 0 || from > to || from >= size) {
                return null;
            }
            return new long[] {from, to};
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private void put(ChannelHandlerContext ctx) throws IOException {
        boolean existed = Files.exists(target, LinkOption.NOFOLLOW_LINKS);
        uploadChannel.force(false);
        uploadChannel.close();
        uploadChannel = null;
        Files.move(upload, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        upload = null;
        finish(ctx, empty(existed ? HttpResponseStatus.NO_CONTENT : HttpResponseStatus.CREATED));
    }

    private void delete(ChannelHandlerContext ctx) throws IOException, Refusal {
        if (target.equals(root)) {
            throw new Refusal(HttpResponseStatus.FORBIDDEN, "the shared folder itself cannot be deleted");
        }
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new NoSuchFileException(request.uri());
        }
        deleteTree(target);
        finish(ctx, empty(HttpResponseStatus.NO_CONTENT));
    }

    /** Deletes a file or a folder with its content; symbolic links are removed, never followed. */
    private static void deleteTree(Path p) throws IOException {
        Files.walkFileTree(p, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                if (exc != null) {
                    throw exc;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private void mkcol(ChannelHandlerContext ctx) throws IOException, Refusal {
        if (bodyBytes > 0) {
            throw new Refusal(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, "MKCOL with a body");
        }
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new Refusal(HttpResponseStatus.METHOD_NOT_ALLOWED, "MKCOL on an existing name");
        }
        if (!Files.isDirectory(target.getParent())) {
            throw new Refusal(HttpResponseStatus.CONFLICT, "MKCOL without a parent folder");
        }
        Files.createDirectory(target);
        finish(ctx, empty(HttpResponseStatus.CREATED));
    }

    private void moveOrCopy(ChannelHandlerContext ctx, boolean move) throws IOException, Refusal {
        String dest = request.headers().get("Destination");
        if (dest == null) {
            throw new Refusal(HttpResponseStatus.BAD_REQUEST, "no Destination header");
        }
        String destPath;
        try {
            URI u = new URI(dest);
            destPath = u.getRawPath();
        } catch (java.net.URISyntaxException e) {
            throw new Refusal(HttpResponseStatus.BAD_REQUEST, "bad Destination " + dest);
        }
        if (destPath == null) {
            throw new Refusal(HttpResponseStatus.BAD_REQUEST, "bad Destination " + dest);
        }
        Path to = resolve(root, destPath);
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new NoSuchFileException(request.uri());
        }
        if (target.equals(root) || to.equals(root) || to.startsWith(target)) {
            throw new Refusal(HttpResponseStatus.FORBIDDEN, "Destination " + dest + " inside the source or the root");
        }
        if (!Files.isDirectory(to.getParent())) {
            throw new Refusal(HttpResponseStatus.CONFLICT, "Destination " + dest + " has no parent folder");
        }
        boolean overwrite = !"F".equalsIgnoreCase(request.headers().get("Overwrite", "T").trim());
        boolean existed = Files.exists(to, LinkOption.NOFOLLOW_LINKS);
        if (existed && !overwrite) {
            throw new Refusal(HttpResponseStatus.PRECONDITION_FAILED, "Destination " + dest + " exists");
        }
        if (existed) {
            deleteTree(to);
        }
        if (move) {
            Files.move(target, to);
        } else {
            copyTree(target, to);
        }
        finish(ctx, empty(existed ? HttpResponseStatus.NO_CONTENT : HttpResponseStatus.CREATED));
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectory(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (attrs.isRegularFile()) {
                    Files.copy(file, to.resolve(from.relativize(file).toString()));
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private void lock(ChannelHandlerContext ctx) {
        String token = "urn:uuid:" + UUID.randomUUID();
        String body = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<D:prop xmlns:D=\"DAV:\"><D:lockdiscovery><D:activelock>"
                + "<D:locktype><D:write/></D:locktype><D:lockscope><D:exclusive/></D:lockscope><D:depth>0</D:depth>"
                + "<D:timeout>Second-3600</D:timeout><D:locktoken><D:href>" + token + "</D:href></D:locktoken>"
                + "<D:lockroot><D:href>" + xml(hrefOf(target)) + "</D:href></D:lockroot>"
                + "</D:activelock></D:lockdiscovery></D:prop>\n";
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/xml; charset=utf-8").set("Lock-Token", "<" + token + ">");
        HttpUtil.setContentLength(r, r.content().readableBytes());
        finish(ctx, r);
    }

    private static FullHttpResponse empty(HttpResponseStatus status) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status);
        HttpUtil.setContentLength(r, 0);
        return r;
    }

    private static FullHttpResponse error(HttpResponseStatus status) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(status + "\n", StandardCharsets.UTF_8));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        HttpUtil.setContentLength(r, r.content().readableBytes());
        return r;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        abortUpload();
        super.channelInactive(ctx);
    }
}
