package dev.presence.client.integration;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntSupplier;

/**
 * A TCP proxy on loopback that can blackhole its connections: while blackholed it keeps every connection open and
 * accepts new ones, but forwards no byte in either direction, as a dead server or a broken network path looks to
 * a client. {@link #heal()} closes what was held and forwards new connections again. Each new connection goes to
 * the port its upstream chooser names, so the proxy can stand for a load balancer in front of several servers.
 */
final class TcpProxy implements AutoCloseable {
  private final IntSupplier upstream;
  private final ServerSocket listener;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final Object gate = new Object();
  private boolean blackholed;
  private long generation;
  private volatile boolean closed;

  TcpProxy(int upstreamPort) throws IOException {
    this(() -> upstreamPort);
  }

  /** @param upstream picks the loopback port each new connection is forwarded to */
  TcpProxy(IntSupplier upstream) throws IOException {
    this.upstream = upstream;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptLoop, "tcp-proxy-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  String target() {
    return "127.0.0.1:" + listener.getLocalPort();
  }

  /** From now on no byte passes, on old or new connections. */
  void blackhole() {
    synchronized (gate) {
      blackholed = true;
    }
  }

  /** Closes every connection held so far and forwards new ones again. */
  void heal() {
    synchronized (gate) {
      blackholed = false;
      generation++;
      closeAll();
      gate.notifyAll();
    }
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket(InetAddress.getLoopbackAddress(), upstream.getAsInt());
        sockets.add(client);
        sockets.add(server);
        long born;
        synchronized (gate) {
          born = generation;
        }
        pump(client, server, born);
        pump(server, client, born);
      } catch (IOException e) {
        // Closed, or the upstream refused; the client sees the connection fail.
      }
    }
  }

  private void pump(Socket from, Socket to, long born) {
    Thread t = new Thread(() -> {
      byte[] buffer = new byte[16 * 1024];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int n;
        while ((n = in.read(buffer)) >= 0) {
          if (!awaitPassage(born)) {
            return;
          }
          out.write(buffer, 0, n);
          out.flush();
        }
      } catch (IOException e) {
        // One side closed.
      } finally {
        closeQuietly(from);
        closeQuietly(to);
      }
    }, "tcp-proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  /** Waits while blackholed; false when the connection was closed by {@link #heal()} meanwhile. */
  private boolean awaitPassage(long born) {
    synchronized (gate) {
      while (blackholed && generation == born && !closed) {
        try {
          gate.wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      return generation == born && !closed;
    }
  }

  private void closeAll() {
    for (Socket s : sockets) {
      closeQuietly(s);
    }
    sockets.clear();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // Already closed.
    }
  }

  @Override
  public void close() throws IOException {
    closed = true;
    listener.close();
    synchronized (gate) {
      closeAll();
      gate.notifyAll();
    }
  }
}
