package dev.presence.conformance.driver;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A WebSocket client of the kit's own, written to RFC 6455 on a plain socket, for what the JDK's client will not
 * do: handshakes that are malformed, partial or hostile on purpose, text messages, fragments of the kit's choosing,
 * messages larger than it will send, Ping frames and a reader that truly stops reading. Frames it sends are masked,
 * as a client's must be; frames it reads are queued with the kit's timestamp by a thread of their own.
 */
public final class RawWebSocket implements AutoCloseable {

  /** Opcodes of RFC 6455 §5.2. */
  public static final int CONTINUATION = 0x0;
  public static final int TEXT = 0x1;
  public static final int BINARY = 0x2;
  public static final int CLOSE = 0x8;
  public static final int PING = 0x9;
  public static final int PONG = 0xA;

  private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  private static final int MAX_HEAD_BYTES = 64 * 1024;
  private static final int MAX_BODY_BYTES = 64 * 1024;
  private static final int CHUNK_BYTES = 64 * 1024;
  private static final int END_OF_HEAD = ('\r' << 24) | ('\n' << 16) | ('\r' << 8) | '\n';

  private final Socket socket;
  private final URI uri;
  private final InputStream in;
  private final OutputStream out;
  private final LinkedBlockingQueue<Inbound> inbound = new LinkedBlockingQueue<>();
  private final Object readGate = new Object();
  private boolean readingPaused;

  private RawWebSocket(Socket socket, URI uri) throws IOException {
    this.socket = socket;
    this.uri = uri;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  /**
   * Opens a TCP connection, with TLS for {@code wss://}, to a WebSocket endpoint; nothing is sent yet.
   *
   * @param endpoint the endpoint
   * @param timeout how long connecting may take
   * @throws IOException if the connection fails
   */
  public static RawWebSocket connect(WebSocketEndpoint endpoint, Duration timeout) throws IOException {
    return connect(endpoint, timeout, 0);
  }

  /**
   * Opens a connection as {@link #connect(WebSocketEndpoint, Duration)} does, with a small TCP receive buffer, so
   * that a paused reader stalls the server's writes sooner.
   *
   * @param receiveBufferBytes the socket's receive buffer, or 0 for the system's default
   */
  public static RawWebSocket connect(WebSocketEndpoint endpoint, Duration timeout, int receiveBufferBytes)
      throws IOException {
    InetSocketAddress address = endpoint.address().orElseThrow();
    Socket plain = new Socket();
    if (receiveBufferBytes > 0) {
      plain.setReceiveBufferSize(receiveBufferBytes);
    }
    plain.connect(new InetSocketAddress(address.getHostString(), address.getPort()), (int) timeout.toMillis());
    plain.setTcpNoDelay(true);
    Socket socket = plain;
    if (endpoint.tls().isPresent()) {
      SSLSocket tls = (SSLSocket) endpoint.tls().get().getSocketFactory().createSocket(plain,
          address.getHostString(), address.getPort(), true);
      SSLParameters parameters = tls.getSSLParameters();
      parameters.setEndpointIdentificationAlgorithm("HTTPS");
      tls.setSSLParameters(parameters);
      tls.startHandshake();
      socket = tls;
    }
    return new RawWebSocket(socket, endpoint.uri());
  }

  /** Writes bytes as they are, for handshakes that are partial or malformed on purpose. */
  public void writeRaw(byte[] bytes) throws IOException {
    synchronized (out) {
      out.write(bytes);
      out.flush();
    }
  }

  /**
   * Sends an opening handshake and reads the answer; after a {@code 101} the connection carries frames.
   *
   * @param request the request
   * @param timeout how long the answer may take
   * @return the answer
   * @throws IOException if the connection fails or the answer is not HTTP
   */
  public Handshake handshake(HandshakeRequest request, Duration timeout) throws IOException {
    writeRaw(request.bytes(uri.getRawAuthority()).getBytes(StandardCharsets.ISO_8859_1));
    return readAnswer(request.key(), timeout);
  }

  /**
   * Reads the answer to an opening handshake.
   *
   * @param key the {@code Sec-WebSocket-Key} sent, whose accept value a {@code 101} must carry, or null
   * @param timeout how long the answer may take
   */
  private Handshake readAnswer(String key, Duration timeout) throws IOException {
    socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
    String head = readHead();
    String[] lines = head.split("\r\n");
    String[] status = lines[0].split(" ", 3);
    if (status.length < 2 || !status[0].startsWith("HTTP/1.")) {
      throw new IOException("not an HTTP answer: " + lines[0]);
    }
    int code = Integer.parseInt(status[1]);
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.computeIfAbsent(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
            k -> new ArrayList<>()).add(lines[i].substring(colon + 1).strip());
      }
    }
    Handshake answer = new Handshake(code, headers, code == 101 ? "" : readBody(headers));
    if (code == 101) {
      socket.setSoTimeout(0);
      if (key != null && !accept(key).equals(answer.header("sec-websocket-accept").orElse(""))) {
        throw new IOException("101 with a wrong Sec-WebSocket-Accept");
      }
      Thread reader = new Thread(this::readFrames, "raw-websocket-reader");
      reader.setDaemon(true);
      reader.start();
    }
    return answer;
  }

  /** Waits until the server closes the connection or resets it; returns when it did, or empty after the timeout. */
  public Optional<Long> awaitClosedBeforeUpgrade(Duration timeout) throws IOException {
    socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
    try {
      while (in.read() >= 0) {
        // Whatever an unfinished handshake gets back (an error page, say) is not what this waits for.
      }
      return Optional.of(System.nanoTime());
    } catch (java.net.SocketTimeoutException stillOpen) {
      return Optional.empty();
    } catch (IOException reset) {
      return Optional.of(System.nanoTime());
    }
  }

  /** Sends one whole message: a single frame with FIN set. */
  public void sendMessage(int opcode, byte[] payload) throws IOException {
    sendFrame(true, opcode, payload);
  }

  /** Sends one message as {@code parts} frames of about equal size (RFC 6455 §5.4). */
  public void sendFragmented(int opcode, byte[] payload, int parts) throws IOException {
    int size = Math.max(1, (payload.length + parts - 1) / parts);
    for (int from = 0, n = 0; from < payload.length || n == 0; from += size, n++) {
      int to = Math.min(payload.length, from + size);
      sendFrame(to == payload.length, n == 0 ? opcode : CONTINUATION,
          java.util.Arrays.copyOfRange(payload, from, to));
    }
  }

  /** Sends one frame, masked. */
  public void sendFrame(boolean fin, int opcode, byte[] payload) throws IOException {
    byte[] mask = new byte[4];
    ThreadLocalRandom.current().nextBytes(mask);
    byte[] masked = payload.clone();
    for (int i = 0; i < masked.length; i++) {
      masked[i] ^= mask[i & 3];
    }
    synchronized (out) {
      out.write(header(fin, opcode, payload.length, mask));
      out.write(masked);
      out.flush();
    }
  }

  /**
   * Sends the header of one binary frame that announces {@code length} bytes, then as many of them as the server
   * takes, stopping when a write fails: for messages larger than any buffer the server may keep (PRS-WS-16).
   *
   * @return how many payload bytes were written
   */
  public long sendOversized(long length) {
    byte[] mask = new byte[4];
    ThreadLocalRandom.current().nextBytes(mask);
    byte[] chunk = new byte[CHUNK_BYTES];
    long written = 0;
    try {
      synchronized (out) {
        out.write(header(true, BINARY, length, mask));
        while (written < length) {
          int n = (int) Math.min(chunk.length, length - written);
          for (int i = 0; i < n; i++) {
            chunk[i] = mask[(int) ((written + i) & 3)];
          }
          out.write(chunk, 0, n);
          written += n;
        }
        out.flush();
      }
    } catch (IOException closedByServer) {
      // The server may stop reading once the message is too large; how far it let the kit go is the answer.
    }
    return written;
  }

  /** Sends a Close frame with a status code and reason. */
  public void sendClose(int code, String reason) throws IOException {
    byte[] text = reason.getBytes(StandardCharsets.UTF_8);
    byte[] payload = new byte[2 + text.length];
    payload[0] = (byte) (code >> 8);
    payload[1] = (byte) code;
    System.arraycopy(text, 0, payload, 2, text.length);
    sendFrame(true, CLOSE, payload);
  }

  /**
   * Stops reading the socket after the frame being read, so that the server's writes back up in TCP as with a client
   * on a stalled network (PRS-WS-15).
   */
  public void pauseReading() {
    synchronized (readGate) {
      readingPaused = true;
    }
  }

  /** Reads the socket again after {@link #pauseReading()}. */
  public void resumeReading() {
    synchronized (readGate) {
      readingPaused = false;
      readGate.notifyAll();
    }
  }

  /** Returns the next frame from the server, or the end of the connection, waiting at most the timeout. */
  public Optional<Inbound> next(Duration timeout) throws InterruptedException {
    return Optional.ofNullable(inbound.poll(timeout.toNanos(), TimeUnit.NANOSECONDS));
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // Best effort: the case is over.
    }
  }

  /**
   * What the reader saw: one frame, or the end of the connection.
   *
   * @param nanos when, on {@link System#nanoTime()}
   * @param fin whether the frame ends its message
   * @param opcode the frame's opcode, or -1 for the end of the connection
   * @param payload the frame's payload, unmasked; for the end of the connection, how it ended, in UTF-8
   */
  public record Inbound(long nanos, boolean fin, int opcode, byte[] payload) {
    /** Returns whether this is the end of the connection rather than a frame. */
    public boolean isEnd() {
      return opcode < 0;
    }

    /** Returns how the connection ended, for the end of the connection; empty for a frame. */
    public String endCause() {
      return isEnd() ? new String(payload, StandardCharsets.UTF_8) : "";
    }

    /** Returns a Close frame's status code, 1005 when it has none. */
    public int closeCode() {
      return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
    }

    /** Returns a Close frame's reason text. */
    public String closeReason() {
      return payload.length > 2 ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
    }
  }

  private void readFrames() {
    DataInputStream data = new DataInputStream(in);
    try {
      while (true) {
        awaitReading();
        int b0 = data.readUnsignedByte();
        int b1 = data.readUnsignedByte();
        long length = b1 & 0x7F;
        if (length == 126) {
          length = data.readUnsignedShort();
        } else if (length == 127) {
          length = data.readLong();
        }
        byte[] mask = null;
        if ((b1 & 0x80) != 0) {
          mask = new byte[4];
          data.readFully(mask);
        }
        if (length > Integer.MAX_VALUE - 16) {
          throw new IOException("a frame of " + length + " bytes");
        }
        byte[] payload = new byte[(int) length];
        data.readFully(payload);
        if (mask != null) {
          for (int i = 0; i < payload.length; i++) {
            payload[i] ^= mask[i & 3];
          }
        }
        inbound.add(new Inbound(System.nanoTime(), (b0 & 0x80) != 0, b0 & 0x0F, payload));
      }
    } catch (IOException closed) {
      String how = closed instanceof EOFException ? "the server ended the stream"
          : "the read failed: " + closed.getMessage();
      inbound.add(new Inbound(System.nanoTime(), true, -1, how.getBytes(StandardCharsets.UTF_8)));
    } catch (InterruptedException stopped) {
      Thread.currentThread().interrupt();
    }
  }

  private void awaitReading() throws InterruptedException {
    synchronized (readGate) {
      while (readingPaused) {
        readGate.wait();
      }
    }
  }

  private String readHead() throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int lastFour = 0;
    while (lastFour != END_OF_HEAD) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("the connection closed before the answer's head ended");
      }
      head.write(b);
      lastFour = (lastFour << 8) | b;
      if (head.size() > MAX_HEAD_BYTES) {
        throw new IOException("an answer head over " + MAX_HEAD_BYTES + " bytes");
      }
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  private String readBody(Map<String, List<String>> headers) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    List<String> length = headers.getOrDefault("content-length", List.of());
    String encoding = String.join(",", headers.getOrDefault("transfer-encoding", List.of()))
        .toLowerCase(Locale.ROOT);
    if (!length.isEmpty()) {
      body.write(new DataInputStream(in).readNBytes(Math.min(MAX_BODY_BYTES, Integer.parseInt(length.get(0)))));
    } else if (encoding.contains("chunked")) {
      readChunks(body);
    } else {
      try {
        body.write(in.readNBytes(MAX_BODY_BYTES));
      } catch (java.net.SocketTimeoutException endless) {
        // A body without a length ends when the connection does; whatever came is the body.
      }
    }
    return body.toString(StandardCharsets.UTF_8);
  }

  private void readChunks(ByteArrayOutputStream body) throws IOException {
    while (body.size() < MAX_BODY_BYTES) {
      String sizeLine = readLine();
      int size = Integer.parseInt(sizeLine.split(";", 2)[0].strip(), 16);
      if (size == 0) {
        return;
      }
      body.write(in.readNBytes(size));
      readLine();
    }
  }

  private String readLine() throws IOException {
    StringBuilder line = new StringBuilder();
    int b;
    while ((b = in.read()) >= 0 && b != '\n') {
      if (b != '\r') {
        line.append((char) b);
      }
    }
    return line.toString();
  }

  private static byte[] header(boolean fin, int opcode, long length, byte[] mask) {
    ByteArrayOutputStream h = new ByteArrayOutputStream();
    h.write((fin ? 0x80 : 0) | opcode);
    if (length < 126) {
      h.write(0x80 | (int) length);
    } else if (length <= 0xFFFF) {
      h.write(0x80 | 126);
      h.write((int) (length >> 8));
      h.write((int) length);
    } else {
      h.write(0x80 | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        h.write((int) (length >> shift));
      }
    }
    h.writeBytes(mask);
    return h.toByteArray();
  }

  /** Returns the {@code Sec-WebSocket-Accept} value for a key (RFC 6455 §4.2.2). */
  static String accept(String key) {
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      return Base64.getEncoder().encodeToString(sha1.digest((key + ACCEPT_GUID)
          .getBytes(StandardCharsets.ISO_8859_1)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no SHA-1 in this JVM", e);
    }
  }

  /**
   * The answer to an opening handshake.
   *
   * @param status the HTTP status
   * @param headers the headers, names in lower case, values in order
   * @param body the body, for an answer other than {@code 101}
   */
  public record Handshake(int status, Map<String, List<String>> headers, String body) {
    /** Returns the first value of a header, named in any case. */
    public Optional<String> header(String name) {
      List<String> values = headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
      return values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** Returns every value of a header, comma-separated lists split. */
    public List<String> values(String name) {
      List<String> all = new ArrayList<>();
      for (String v : headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of())) {
        for (String item : v.split(",")) {
          if (!item.isBlank()) {
            all.add(item.strip());
          }
        }
      }
      return all;
    }
  }
}
