package dev.presence.conformance.driver;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;

/**
 * A TCP relay between the kit and the server that can fail like a network: {@link #blackhole()} silently stops
 * carrying bytes in both directions while keeping the connections open, as a pulled cable or a dead NAT entry
 * does; {@link #reset()} aborts every connection with a TCP reset. Only liveness detection can notice a blackhole.
 */
public final class TcpFaultProxy implements AutoCloseable {

  private static final int BUFFER_BYTES = 16 * 1024;

  private final ServerSocket listener;
  private final RelayedSockets sockets;
  private volatile boolean blackholed;
  private volatile boolean refusing;

  private TcpFaultProxy(InetSocketAddress upstream) throws IOException {
    this.sockets = new RelayedSockets(upstream);
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread accept = new Thread(this::acceptLoop, "tcp-fault-proxy-accept");
    accept.setDaemon(true);
    accept.start();
  }

  /**
   * Starts relaying loopback connections to the upstream address.
   *
   * @param host the server's host
   * @param port the server's port
   * @return the running proxy
   * @throws IOException if the listening socket cannot be opened
   */
  public static TcpFaultProxy start(String host, int port) throws IOException {
    return new TcpFaultProxy(new InetSocketAddress(host, port));
  }

  /** Returns the loopback port clients connect to. */
  public int port() {
    return listener.getLocalPort();
  }

  /** Stops carrying bytes, in both directions, without closing anything. */
  public void blackhole() {
    blackholed = true;
  }

  /** Carries bytes again after {@link #blackhole()}; bytes dropped meanwhile stay lost, as on a real network. */
  public void heal() {
    blackholed = false;
  }

  /**
   * While true, accepts each new connection and closes it at once, as a host whose server is down does; existing
   * connections are left alone.
   *
   * @param refuse whether to refuse new connections
   */
  public void refuseConnections(boolean refuse) {
    refusing = refuse;
  }

  /** Aborts every relayed connection with a TCP reset. */
  public void reset() {
    sockets.resetAll();
  }

  @Override
  public void close() {
    try {
      listener.close();
    } catch (IOException ignored) {
      // Closing is best effort; the sockets below are what matter.
    }
    sockets.closeAll();
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      try {
        Socket accepted = listener.accept();
        if (refusing) {
          closeQuietly(accepted);
          continue;
        }
        Socket[] pair = sockets.connect(accepted);
        Socket client = pair[0];
        Socket server = pair[1];
        pump(client, server, "up");
        pump(server, client, "down");
      } catch (IOException e) {
        if (!listener.isClosed()) {
          continue;
        }
        return;
      }
    }
  }

  private void pump(Socket from, Socket to, String direction) {
    Thread t = new Thread(() -> {
      byte[] buffer = new byte[BUFFER_BYTES];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int n;
        while ((n = in.read(buffer)) >= 0) {
          if (!blackholed) {
            out.write(buffer, 0, n);
            out.flush();
          }
        }
      } catch (SocketException closed) {
        // The other side went away or was reset on purpose.
      } catch (IOException e) {
        // A broken relay looks like a network fault, which is what this class simulates anyway.
      } finally {
        if (!blackholed) {
          closeQuietly(to);
        }
      }
    }, "tcp-fault-proxy-" + direction);
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // Best effort.
    }
  }
}
