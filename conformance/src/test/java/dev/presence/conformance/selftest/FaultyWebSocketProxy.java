package dev.presence.conformance.selftest;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.presence.protocol.v1.ConnectResponse;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A presence.v1 WebSocket server that is wrong in exactly one way: it relays every connection to a correct
 * upstream server's WebSocket port and injects one {@link WebSocketFault} into the handshake's answer or the
 * server's frames. The kit's self-test runs against it to prove that its WebSocket cases catch each fault.
 */
final class FaultyWebSocketProxy implements AutoCloseable {

  private static final int BINARY = 0x2;
  private static final int CLOSE = 0x8;

  private final WebSocketFault fault;
  private final int upstreamPort;
  private final ServerSocket listener;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();

  private FaultyWebSocketProxy(WebSocketFault fault, int upstreamPort) throws IOException {
    this.fault = fault;
    this.upstreamPort = upstreamPort;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    daemon(this::acceptLoop);
  }

  /** Starts a proxy in front of a correct server's WebSocket port on loopback. */
  static FaultyWebSocketProxy start(WebSocketFault fault, int upstreamPort) throws IOException {
    return new FaultyWebSocketProxy(fault, upstreamPort);
  }

  int port() {
    return listener.getLocalPort();
  }

  @Override
  public void close() throws IOException {
    listener.close();
    for (Socket s : sockets) {
      s.close();
    }
  }

  private interface Pump {
    void run() throws IOException;
  }

  private static void daemon(Pump pump) {
    Thread t = new Thread(() -> {
      try {
        pump.run();
      } catch (IOException closed) {
        // One side went away; the relay ends with it.
      }
    }, "faulty-websocket-proxy");
    t.setDaemon(true);
    t.start();
  }

  private void acceptLoop() throws IOException {
    while (!listener.isClosed()) {
      Socket client = listener.accept();
      Socket server = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
      client.setTcpNoDelay(true);
      server.setTcpNoDelay(true);
      sockets.add(client);
      sockets.add(server);
      daemon(() -> relay(client, server));
    }
  }

  private void relay(Socket client, Socket server) throws IOException {
    try (client; server) {
      InputStream fromClient = new BufferedInputStream(client.getInputStream());
      InputStream fromServer = new BufferedInputStream(server.getInputStream());
      OutputStream toClient = client.getOutputStream();
      OutputStream toServer = server.getOutputStream();
      List<String> request = head(fromClient);
      write(toServer, request);
      daemon(() -> fromClient.transferTo(toServer));
      List<String> answer = head(fromServer);
      boolean upgraded = answer.get(0).contains(" 101 ");
      write(toClient, upgraded ? rewrite(request, answer) : answer);
      if (upgraded && (fault == WebSocketFault.NO_SESSION_END || fault == WebSocketFault.CLOSE_CODE_OFF_BY_ONE)) {
        frames(new DataInputStream(fromServer), toClient);
      } else {
        fromServer.transferTo(toClient);
      }
    }
  }

  private List<String> rewrite(List<String> request, List<String> answer) {
    List<String> out = new ArrayList<>(answer);
    if (fault == WebSocketFault.EXTENSION_ACCEPTED && header(request, "sec-websocket-extensions") != null) {
      out.add("Sec-WebSocket-Extensions: permessage-deflate");
    } else if (fault == WebSocketFault.TOKEN_ECHOED && header(request, "sec-websocket-protocol") != null) {
      out.removeIf(line -> line.toLowerCase(Locale.ROOT).startsWith("sec-websocket-protocol:"));
      out.add("Sec-WebSocket-Protocol: " + header(request, "sec-websocket-protocol"));
    }
    return out;
  }

  private static String header(List<String> head, String name) {
    for (String line : head) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).strip().toLowerCase(Locale.ROOT).equals(name)) {
        return line.substring(colon + 1).strip();
      }
    }
    return null;
  }

  /** Relays the server's frames one by one, dropping or changing those the fault is about. */
  private void frames(DataInputStream in, OutputStream out) throws IOException {
    while (true) {
      int b0 = in.readUnsignedByte();
      int b1 = in.readUnsignedByte();
      long length = b1 & 0x7F;
      if (length == 126) {
        length = in.readUnsignedShort();
      } else if (length == 127) {
        length = in.readLong();
      }
      byte[] payload = new byte[(int) length];
      in.readFully(payload);
      int opcode = b0 & 0x0F;
      if (fault == WebSocketFault.NO_SESSION_END && opcode == BINARY && isSessionEnd(payload)) {
        continue;
      }
      if (fault == WebSocketFault.CLOSE_CODE_OFF_BY_ONE && opcode == CLOSE && payload.length >= 2) {
        int code = (((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF)) + 1;
        payload[0] = (byte) (code >> 8);
        payload[1] = (byte) code;
      }
      out.write(frameHeader(b0, payload.length));
      out.write(payload);
      out.flush();
    }
  }

  private static boolean isSessionEnd(byte[] payload) {
    try {
      return ConnectResponse.parseFrom(payload).hasSessionEnd();
    } catch (InvalidProtocolBufferException fragment) {
      return false;
    }
  }

  private static byte[] frameHeader(int b0, int length) {
    ByteArrayOutputStream h = new ByteArrayOutputStream();
    h.write(b0);
    if (length < 126) {
      h.write(length);
    } else if (length <= 0xFFFF) {
      h.write(126);
      h.write(length >> 8);
      h.write(length);
    } else {
      h.write(127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        h.write((int) ((long) length >> shift));
      }
    }
    return h.toByteArray();
  }

  /** Reads an HTTP head, line by line, up to its blank line. */
  private static List<String> head(InputStream in) throws IOException {
    List<String> lines = new ArrayList<>();
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0) {
      if (b == '\n') {
        String text = line.toString(StandardCharsets.ISO_8859_1).replace("\r", "");
        if (text.isEmpty()) {
          return lines;
        }
        lines.add(text);
        line.reset();
      } else {
        line.write(b);
      }
    }
    throw new IOException("the connection closed inside an HTTP head");
  }

  private static void write(OutputStream out, List<String> head) throws IOException {
    out.write((String.join("\r\n", head) + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }
}
