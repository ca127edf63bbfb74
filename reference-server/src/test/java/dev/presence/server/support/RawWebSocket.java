package dev.presence.server.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.ConnectResponse;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client written against a plain socket, for tests that need what no well-behaved client does:
 * malformed or partial handshakes, text and fragmented messages, frame headers announcing more than is sent,
 * silence instead of Pongs. Every read has a deadline.
 */
public final class RawWebSocket implements AutoCloseable {
  public static final int CONTINUATION = 0x0;
  public static final int TEXT = 0x1;
  public static final int BINARY = 0x2;
  public static final int CLOSE = 0x8;
  public static final int PING = 0x9;
  public static final int PONG = 0xA;

  /** An HTTP response: status, headers by lower-case name, body. */
  public record HttpReply(int status, Map<String, String> headers, String body) {
    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  /** One WebSocket frame from the server. */
  public record WsFrame(boolean fin, int opcode, byte[] payload) {
    /** @return the Close code, or -1 for a Close without one */
    public int closeCode() {
      return payload.length >= 2 ? ByteBuffer.wrap(payload).getShort() & 0xFFFF : -1;
    }

    /** @return the Close reason */
    public String closeReason() {
      return payload.length > 2 ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
    }

    /** @return the payload as a ConnectResponse */
    public ConnectResponse response() {
      assertThat(opcode).as("opcode").isEqualTo(BINARY);
      try {
        return ConnectResponse.parseFrom(payload);
      } catch (InvalidProtocolBufferException e) {
        throw new AssertionError("server sent a message that is no ConnectResponse", e);
      }
    }
  }

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;

  private RawWebSocket(Socket socket) throws IOException {
    this.socket = socket;
    socket.setSoTimeout((int) TestSession.DEADLINE.toMillis());
    socket.setTcpNoDelay(true);
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  /** @param port a loopback port @return a connected socket that has sent nothing */
  public static RawWebSocket connect(int port) throws IOException {
    return new RawWebSocket(new Socket(InetAddress.getLoopbackAddress(), port));
  }

  /** @param socket a connected socket, e.g. with small buffers @return it, as a client that has sent nothing */
  public static RawWebSocket wrap(Socket socket) throws IOException {
    return new RawWebSocket(socket);
  }

  /**
   * @param port the WebSocket port
   * @param extraHeaders header lines added to a valid handshake, e.g. {@code Origin: http://x}
   * @return a socket past a successful handshake (101)
   */
  public static RawWebSocket upgraded(int port, String... extraHeaders) throws IOException {
    RawWebSocket ws = connect(port);
    HttpReply reply = ws.request(handshake(port, extraHeaders));
    assertThat(reply.status()).as("handshake answered with %s", reply).isEqualTo(101);
    assertThat(reply.header("sec-websocket-protocol")).isEqualTo("presence.v1");
    return ws;
  }

  /** @return a valid opening handshake for {@code /presence.v1} with the given extra header lines */
  public static String handshake(int port, String... extraHeaders) {
    StringBuilder request = new StringBuilder("GET /presence.v1 HTTP/1.1\r\n")
        .append("Host: 127.0.0.1:").append(port).append("\r\n")
        .append("Upgrade: websocket\r\n")
        .append("Connection: Upgrade\r\n")
        .append("Sec-WebSocket-Key: ").append(newKey()).append("\r\n")
        .append("Sec-WebSocket-Version: 13\r\n");
    boolean protocolGiven = false;
    for (String h : extraHeaders) {
      protocolGiven |= h.toLowerCase(Locale.ROOT).startsWith("sec-websocket-protocol:");
      request.append(h).append("\r\n");
    }
    if (!protocolGiven) {
      request.append("Sec-WebSocket-Protocol: presence.v1\r\n");
    }
    return request.append("\r\n").toString();
  }

  /** @return a fresh Sec-WebSocket-Key */
  public static String newKey() {
    byte[] key = new byte[16];
    ThreadLocalRandom.current().nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

  /** Sends bytes as they are. */
  public void sendRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** Sends text as they are, in ISO-8859-1. */
  public void sendRaw(String text) throws IOException {
    sendRaw(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  /** Sends a request and reads the response to it. */
  public HttpReply request(String request) throws IOException {
    sendRaw(request);
    return readHttpReply(request.startsWith("HEAD "));
  }

  /**
   * @param head whether the request was HEAD, whose response has no body whatever its Content-Length
   * @return the next HTTP response, body read by its Content-Length
   */
  public HttpReply readHttpReply(boolean head) throws IOException {
    String statusLine = readLine();
    String[] parts = statusLine.split(" ", 3);
    int status = Integer.parseInt(parts[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (String line = readLine(); !line.isEmpty(); line = readLine()) {
      int colon = line.indexOf(':');
      headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
    }
    byte[] body = new byte[head ? 0 : Integer.parseInt(headers.getOrDefault("content-length", "0"))];
    in.readFully(body);
    return new HttpReply(status, headers, new String(body, StandardCharsets.UTF_8));
  }

  private String readLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new EOFException("connection closed in an HTTP response, after: " + line);
      }
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.ISO_8859_1);
  }

  /** Sends one masked frame, as a client must. */
  public void sendFrame(boolean fin, int opcode, byte[] payload) throws IOException {
    sendRaw(frame(fin, opcode, payload));
  }

  /** @return the bytes of one masked client frame */
  public static byte[] frame(boolean fin, int opcode, byte[] payload) {
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    frame.write((fin ? 0x80 : 0) | opcode);
    writeLength(frame, payload.length);
    byte[] mask = new byte[4];
    ThreadLocalRandom.current().nextBytes(mask);
    frame.writeBytes(mask);
    for (int i = 0; i < payload.length; i++) {
      frame.write(payload[i] ^ mask[i % 4]);
    }
    return frame.toByteArray();
  }

  /** Writes the masked length field of a client frame. */
  public static void writeLength(ByteArrayOutputStream frame, long length) {
    if (length < 126) {
      frame.write(0x80 | (int) length);
    } else if (length < 65536) {
      frame.write(0x80 | 126);
      frame.write((int) (length >> 8));
      frame.write((int) length);
    } else {
      frame.write(0x80 | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        frame.write((int) (length >> shift));
      }
    }
  }

  /** Sends a frame as one binary message. */
  public void send(ConnectRequest frame) throws IOException {
    sendFrame(true, BINARY, frame.toByteArray());
  }

  /** Sends a Close frame with a code. */
  public void sendClose(int code) throws IOException {
    sendFrame(true, CLOSE, ByteBuffer.allocate(2).putShort((short) code).array());
  }

  /** @return the next frame from the server, within the deadline */
  public WsFrame readFrame() throws IOException {
    int first = in.readUnsignedByte();
    int second = in.readUnsignedByte();
    assertThat(second & 0x80).as("server frames are not masked").isZero();
    long length = second & 0x7F;
    if (length == 126) {
      length = in.readUnsignedShort();
    } else if (length == 127) {
      length = in.readLong();
    }
    byte[] payload = new byte[Math.toIntExact(length)];
    in.readFully(payload);
    return new WsFrame((first & 0x80) != 0, first & 0x0F, payload);
  }

  /** @return the next binary message's frame, skipping server Pings unanswered */
  public ConnectResponse next() throws IOException {
    while (true) {
      WsFrame f = readFrame();
      if (f.opcode() != PING) {
        return f.response();
      }
    }
  }

  /** @return every frame until the server's Close, which is last */
  public List<WsFrame> readUntilClose() throws IOException {
    List<WsFrame> frames = new ArrayList<>();
    while (true) {
      WsFrame f = readFrame();
      frames.add(f);
      if (f.opcode() == CLOSE) {
        return frames;
      }
    }
  }

  /**
   * @param within the longest wait
   * @return whether the server closed the connection (end of stream or reset) within the time, reading and
   *     dropping whatever came before
   */
  public boolean closedByServerWithin(Duration within) throws IOException {
    long deadline = System.nanoTime() + within.toNanos();
    byte[] sink = new byte[8192];
    while (System.nanoTime() < deadline) {
      socket.setSoTimeout((int) Math.max(1, Duration.ofNanos(deadline - System.nanoTime()).toMillis()));
      try {
        if (in.read(sink) < 0) {
          return true;
        }
      } catch (SocketTimeoutException e) {
        return false;
      } catch (SocketException reset) {
        return true;
      }
    }
    return false;
  }

  /** @return the socket's input, for reading what the helpers do not */
  public InputStream input() {
    return in;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
