package dev.presence.conformance.driver;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An HTTP/1.1 opening handshake (RFC 6455 §4.1) that a case can bend: a header left out, replaced or added, another
 * path. It starts as a valid handshake for {@code presence.v1} with the given subprotocol entries.
 */
public final class HandshakeRequest {

  private final String path;
  private final Map<String, String> headers = new LinkedHashMap<>();

  private HandshakeRequest(String path) {
    this.path = path;
  }

  /**
   * A valid opening handshake.
   *
   * @param path the request path, such as {@code /presence.v1}
   * @param subprotocols the {@code Sec-WebSocket-Protocol} entries; none leaves the header out
   */
  public static HandshakeRequest valid(String path, List<String> subprotocols) {
    byte[] nonce = new byte[16];
    ThreadLocalRandom.current().nextBytes(nonce);
    HandshakeRequest r = new HandshakeRequest(path);
    r.headers.put("Upgrade", "websocket");
    r.headers.put("Connection", "Upgrade");
    r.headers.put("Sec-WebSocket-Key", Base64.getEncoder().encodeToString(nonce));
    r.headers.put("Sec-WebSocket-Version", "13");
    if (!subprotocols.isEmpty()) {
      r.headers.put("Sec-WebSocket-Protocol", String.join(", ", subprotocols));
    }
    return r;
  }

  /** A plain GET of the path that asks for no upgrade. */
  public static HandshakeRequest plainGet(String path) {
    return new HandshakeRequest(path);
  }

  /** Sets a header, replacing one of the same name. */
  public HandshakeRequest with(String name, String value) {
    headers.put(name, value);
    return this;
  }

  /** Leaves a header out. */
  public HandshakeRequest without(String name) {
    headers.remove(name);
    return this;
  }

  /** Returns the {@code Sec-WebSocket-Key} sent, or null. */
  String key() {
    return headers.get("Sec-WebSocket-Key");
  }

  /** Returns the request's text, with a {@code Host} header. */
  String bytes(String host) {
    List<String> lines = new ArrayList<>();
    lines.add("GET " + path + " HTTP/1.1");
    lines.add("Host: " + host);
    headers.forEach((name, value) -> lines.add(name + ": " + value));
    return String.join("\r\n", lines) + "\r\n\r\n";
  }

  /** Returns the request line and headers, for failure messages; the bearer entry is never shown. */
  public String describe() {
    return "GET " + path + " " + headers.keySet();
  }
}
