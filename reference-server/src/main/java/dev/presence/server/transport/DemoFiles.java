package dev.presence.server.transport;

import dev.presence.server.config.ConfigException;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The live-cursors web demo, served on the WebSocket port when the server runs with {@code --demo}: {@code GET /}
 * answers the demo's {@code index.html}, and each file that the bundle's manifest lists answers under its own name.
 * Nothing else is served: a path is looked up whole among those names, never resolved against a folder, so no path
 * reaches another file. The bundle is built from {@code examples/web} into this module's resources and read once,
 * when the server starts. The page opens its session at {@code /presence.v1} on the same origin, which the default
 * {@code --ws-allowed-origins} allows.
 */
final class DemoFiles {
  /** Where the bundle sits on the class path. */
  static final String RESOURCE_DIR = "dev/presence/server/demo/";
  /** The bundle's list of files, one name a line; not served itself. */
  static final String MANIFEST = "files.txt";
  static final String INDEX = "index.html";
  /** The names carry no content hash, so a browser revalidates each time, and gets 304 while the ETag matches. */
  static final String CACHE_CONTROL = "no-cache";
  /** The page loads its script and style from here and talks only to this origin. */
  static final String CONTENT_SECURITY_POLICY = "default-src 'self'; connect-src 'self'; img-src 'self' data:; "
      + "style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
  private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*");
  private static final Map<String, String> CONTENT_TYPES = Map.of(
      "html", "text/html; charset=utf-8",
      "js", "text/javascript; charset=utf-8",
      "css", "text/css; charset=utf-8",
      "svg", "image/svg+xml",
      "png", "image/png",
      "ico", "image/x-icon",
      "json", "application/json",
      "txt", "text/plain; charset=utf-8");

  /** One served file. */
  private record File(byte[] body, String contentType, String etag) {}

  private static final DemoFiles NONE = new DemoFiles(Map.of());

  private final Map<String, File> byPath;

  private DemoFiles(Map<String, File> byPath) {
    this.byPath = byPath;
  }

  /** @return no demo: every path is left to the WebSocket handshake, which answers 404 for all but its own */
  static DemoFiles none() {
    return NONE;
  }

  /**
   * Reads the bundle from the class path.
   *
   * @return the demo's files
   * @throws ConfigException when this build carries no complete bundle
   */
  static DemoFiles load() {
    return load(DemoFiles.class.getClassLoader(), RESOURCE_DIR);
  }

  static DemoFiles load(ClassLoader loader, String dir) {
    String manifest = new String(read(loader, dir + MANIFEST), StandardCharsets.UTF_8);
    Map<String, File> byPath = new LinkedHashMap<>();
    for (String line : manifest.split("\n")) {
      String name = line.trim();
      if (name.isEmpty()) {
        continue;
      }
      if (!FILE_NAME.matcher(name).matches() || name.equals(MANIFEST)) {
        throw new ConfigException("demo: the bundle's " + MANIFEST + " names a file that cannot be served: " + name);
      }
      byte[] body = read(loader, dir + name);
      byPath.put("/" + name, new File(body, contentType(name), etag(body)));
    }
    File index = byPath.get("/" + INDEX);
    if (index == null) {
      throw new ConfigException("demo: the bundle has no " + INDEX);
    }
    byPath.put("/", index);
    return new DemoFiles(Map.copyOf(byPath));
  }

  private static byte[] read(ClassLoader loader, String resource) {
    try (InputStream in = loader.getResourceAsStream(resource)) {
      if (in == null) {
        throw new ConfigException("demo: this build of the server carries no demo bundle (" + resource
            + " is missing); build examples/web into reference-server/src/main/resources and package again");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new ConfigException("demo: cannot read " + resource + ": " + e.getMessage());
    }
  }

  private static String contentType(String name) {
    String extension = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
    return CONTENT_TYPES.getOrDefault(extension, "application/octet-stream");
  }

  private static String etag(byte[] body) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
      return "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /** @return how many paths answer with a file, {@code /} included; 0 without the demo */
  int size() {
    return byPath.size();
  }

  /**
   * @param path a request's path, without the query
   * @return whether this path is one of the demo's; a WebSocket handshake is never sent here
   */
  boolean serves(String path) {
    return byPath.containsKey(path);
  }

  /**
   * Answers a request for one of the demo's paths and closes the connection once the answer is written: the file
   * for GET, its headers for HEAD, 304 when {@code If-None-Match} names its ETag, 405 for other methods.
   *
   * @param ctx the connection
   * @param path a path for which {@link #serves} is true
   * @param method the request's method
   * @param headers the request's headers
   */
  void send(ChannelHandlerContext ctx, String path, HttpMethod method, HttpHeaders headers) {
    boolean head = method.equals(HttpMethod.HEAD);
    if (!head && !method.equals(HttpMethod.GET)) {
      new HttpAnswer(HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed; use GET",
          Map.of(HttpHeaderNames.ALLOW.toString(), "GET, HEAD")).send(ctx, false);
      return;
    }
    File file = byPath.get(path);
    boolean unchanged = matches(headers.get(HttpHeaderNames.IF_NONE_MATCH), file.etag());
    boolean bodyless = head || unchanged;
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        unchanged ? HttpResponseStatus.NOT_MODIFIED : HttpResponseStatus.OK,
        bodyless ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(file.body()));
    HttpHeaders out = response.headers()
        .set(HttpHeaderNames.CACHE_CONTROL, CACHE_CONTROL)
        .set(HttpHeaderNames.ETAG, file.etag())
        .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    if (!unchanged) {
      out.set(HttpHeaderNames.CONTENT_TYPE, file.contentType())
          .setInt(HttpHeaderNames.CONTENT_LENGTH, file.body().length)
          .set("X-Content-Type-Options", "nosniff");
      if (file.contentType().startsWith("text/html")) {
        out.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
      }
    }
    ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
  }

  /** @return whether an If-None-Match header names this ETag (weakly compared, RFC 9110 §13.1.2) */
  private static boolean matches(String ifNoneMatch, String etag) {
    if (ifNoneMatch == null) {
      return false;
    }
    for (String candidate : ifNoneMatch.split(",")) {
      String tag = candidate.trim();
      if (tag.equals("*") || tag.equals(etag) || tag.equals("W/" + etag)) {
        return true;
      }
    }
    return false;
  }
}
