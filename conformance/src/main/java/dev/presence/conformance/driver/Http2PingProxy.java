package dev.presence.conformance.driver;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay for cleartext HTTP/2 that adds a PING frame of its own to the client's side of every connection at a
 * fixed interval and swallows their acks, so the kit can play a client with an aggressive keepalive (PRS-LIV-8),
 * which gRPC's own keepalive, clamped to 10 seconds, cannot. It records every GOAWAY the server sends.
 */
public final class Http2PingProxy implements AutoCloseable {

  private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final int PING = 0x6;
  private static final int GOAWAY = 0x7;
  private static final int ACK = 0x1;
  private static final long MAGIC = 0x4B49545000000000L;

  private final ServerSocket listener;
  private final ScheduledExecutorService pinger = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "http2-ping-proxy");
    t.setDaemon(true);
    return t;
  });
  private final RelayedSockets sockets;
  private final List<Long> goAwayCodes = new CopyOnWriteArrayList<>();
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger pingsSent = new AtomicInteger();
  private final AtomicInteger acksReceived = new AtomicInteger();
  private volatile boolean notHttp2;

  private Http2PingProxy(InetSocketAddress upstream, long intervalMillis) throws IOException {
    this.sockets = new RelayedSockets(upstream);
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread accept = new Thread(() -> acceptLoop(intervalMillis), "http2-ping-proxy-accept");
    accept.setDaemon(true);
    accept.start();
  }

  /**
   * Starts relaying loopback connections to the upstream address, pinging the server on each.
   *
   * @param host the server's host
   * @param port the server's port
   * @param intervalMillis how often to ping
   * @return the running proxy
   * @throws IOException if the listening socket cannot be opened
   */
  public static Http2PingProxy start(String host, int port, long intervalMillis) throws IOException {
    return new Http2PingProxy(new InetSocketAddress(host, port), intervalMillis);
  }

  /** Returns the loopback port clients connect to. */
  public int port() {
    return listener.getLocalPort();
  }

  /** Returns whether a client spoke something other than cleartext HTTP/2 (for example TLS), so no ping went. */
  public boolean sawNonHttp2() {
    return notHttp2;
  }

  /** Returns the error codes of the GOAWAY frames the server sent. */
  public List<Long> goAwayCodes() {
    return List.copyOf(goAwayCodes);
  }

  /** Returns how many client connections the proxy accepted. */
  public int connections() {
    return connections.get();
  }

  /** Returns how many pings the proxy sent. */
  public int pingsSent() {
    return pingsSent.get();
  }

  /** Returns how many of its pings the server acknowledged. */
  public int acksReceived() {
    return acksReceived.get();
  }

  @Override
  public void close() {
    pinger.shutdownNow();
    try {
      listener.close();
    } catch (IOException ignored) {
      // Best effort; the sockets below are what matter.
    }
    sockets.closeAll();
  }

  private void acceptLoop(long intervalMillis) {
    while (!listener.isClosed()) {
      try {
        Socket[] pair = sockets.acceptAndConnect(listener);
        Socket client = pair[0];
        Socket server = pair[1];
        connections.incrementAndGet();
        OutputStream toServer = server.getOutputStream();
        daemon(() -> clientToServer(client.getInputStream(), toServer, intervalMillis));
        daemon(() -> serverToClient(server.getInputStream(), client.getOutputStream()));
      } catch (IOException e) {
        if (listener.isClosed()) {
          return;
        }
      }
    }
  }

  private interface Pump {
    void run() throws IOException;
  }

  private void daemon(Pump pump) {
    Thread t = new Thread(() -> {
      try {
        pump.run();
      } catch (IOException closed) {
        // One side went away; the relay ends with it, as a network path would.
      } finally {
        sockets.closeAll();
      }
    }, "http2-ping-proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  private void clientToServer(InputStream in, OutputStream out, long intervalMillis) throws IOException {
    DataInputStream data = new DataInputStream(in);
    byte[] preface = new byte[PREFACE.length];
    data.readFully(preface);
    synchronized (out) {
      out.write(preface);
    }
    if (!java.util.Arrays.equals(preface, PREFACE)) {
      notHttp2 = true;
      in.transferTo(out);
      return;
    }
    pinger.scheduleAtFixedRate(() -> ping(out), intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    while (true) {
      byte[] frame = readFrame(data);
      synchronized (out) {
        out.write(frame);
      }
    }
  }

  private void ping(OutputStream out) {
    ByteBuffer frame = ByteBuffer.allocate(17);
    frame.put((byte) 0).put((byte) 0).put((byte) 8).put((byte) PING).put((byte) 0).putInt(0)
        .putLong(MAGIC | pingsSent.incrementAndGet());
    try {
      synchronized (out) {
        out.write(frame.array());
        out.flush();
      }
    } catch (IOException closed) {
      throw new IllegalStateException("connection closed", closed);
    }
  }

  private void serverToClient(InputStream in, OutputStream out) throws IOException {
    DataInputStream data = new DataInputStream(in);
    while (true) {
      byte[] frame = readFrame(data);
      int type = frame[3] & 0xFF;
      ByteBuffer payload = ByteBuffer.wrap(frame, 9, frame.length - 9);
      if (type == GOAWAY && frame.length >= 17) {
        goAwayCodes.add(Integer.toUnsignedLong(payload.getInt(13)));
      }
      if (type == PING && (frame[4] & ACK) != 0 && frame.length == 17
          && (payload.getLong(9) & 0xFFFFFFFF00000000L) == MAGIC) {
        acksReceived.incrementAndGet();
        continue;
      }
      out.write(frame);
    }
  }

  private static byte[] readFrame(DataInputStream in) throws IOException {
    byte[] header = new byte[9];
    in.readFully(header);
    int length = ((header[0] & 0xFF) << 16) | ((header[1] & 0xFF) << 8) | (header[2] & 0xFF);
    byte[] frame = java.util.Arrays.copyOf(header, 9 + length);
    in.readFully(frame, 9, length);
    return frame;
  }

}
