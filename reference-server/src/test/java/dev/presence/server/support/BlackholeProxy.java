package dev.presence.server.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay on loopback that can stop relaying without closing anything, which is what an unplugged
 * cable or a vanished NAT entry looks like to the server: the peer simply stops answering. It can also hold
 * back a client's Redis subscription requests, which is what a subscription connection that reconnects later
 * than its command connection looks like. A connection closed on one side is closed on the other.
 */
public final class BlackholeProxy implements AutoCloseable {
  /** Found in SUBSCRIBE and SSUBSCRIBE alike. */
  private static final byte[] SUBSCRIBE = "SUBSCRIBE".getBytes(StandardCharsets.US_ASCII);
  private final ServerSocket listener;
  private final int targetPort;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final Object gate = new Object();
  private volatile boolean swallowing;
  private boolean holdingSubscriptions;

  public BlackholeProxy(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptLoop, "blackhole-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public int port() {
    return listener.getLocalPort();
  }

  /** From now on bytes in both directions are read and dropped; no connection is closed. */
  public void swallow() {
    swallowing = true;
  }

  /**
   * Ends a swallowing spell the way a long one ends for real: the connections that went silent are reset, and
   * new ones relay again.
   */
  public void healByReset() throws IOException {
    for (Socket s : sockets) {
      s.close();
    }
    sockets.clear();
    swallowing = false;
  }

  /** From now on a chunk from a client that asks Redis to subscribe waits until {@link #releaseSubscriptions()}. */
  public void holdSubscriptions() {
    synchronized (gate) {
      holdingSubscriptions = true;
    }
  }

  /** Relays the held subscription requests, and relays later ones at once. */
  public void releaseSubscriptions() {
    synchronized (gate) {
      holdingSubscriptions = false;
      gate.notifyAll();
    }
  }

  private void acceptLoop() {
    try {
      while (true) {
        Socket client = listener.accept();
        try {
          Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
          sockets.add(client);
          sockets.add(server);
          pump(client, server, true);
          pump(server, client, false);
        } catch (IOException refused) {
          // The target is down (Redis restarting): the client sees its connection closed, and tries again.
          closeQuietly(client);
        }
      }
    } catch (IOException closed) {
      // listener closed
    }
  }

  private void pump(Socket from, Socket to, boolean fromClient) throws IOException {
    InputStream in = from.getInputStream();
    OutputStream out = to.getOutputStream();
    Thread t = new Thread(() -> {
      byte[] buf = new byte[16 * 1024];
      try {
        int n;
        while ((n = in.read(buf)) >= 0) {
          if (fromClient && contains(buf, n, SUBSCRIBE)) {
            awaitSubscriptionsReleased();
          }
          if (!swallowing) {
            out.write(buf, 0, n);
            out.flush();
          }
        }
      } catch (IOException e) {
        // connection gone
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      closeQuietly(from);
      closeQuietly(to);
    }, "blackhole-pump");
    t.setDaemon(true);
    t.start();
  }

  private void awaitSubscriptionsReleased() throws InterruptedException {
    synchronized (gate) {
      while (holdingSubscriptions) {
        gate.wait();
      }
    }
  }

  private static boolean contains(byte[] buf, int length, byte[] word) {
    outer:
    for (int i = 0; i + word.length <= length; i++) {
      for (int j = 0; j < word.length; j++) {
        if (buf[i + j] != word[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  @Override
  public void close() throws IOException {
    releaseSubscriptions();
    listener.close();
    for (Socket s : sockets) {
      s.close();
    }
  }
}
