package dev.presence.server.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay on loopback that can stop relaying without closing anything, which is what an unplugged
 * cable or a vanished NAT entry looks like to the server: the peer simply stops answering.
 */
public final class BlackholeProxy implements AutoCloseable {
  private final ServerSocket listener;
  private final int targetPort;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private volatile boolean swallowing;

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

  private void acceptLoop() {
    try {
      while (true) {
        Socket client = listener.accept();
        Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        sockets.add(client);
        sockets.add(server);
        pump(client, server);
        pump(server, client);
      }
    } catch (IOException closed) {
      // listener closed
    }
  }

  private void pump(Socket from, Socket to) throws IOException {
    InputStream in = from.getInputStream();
    OutputStream out = to.getOutputStream();
    Thread t = new Thread(() -> {
      byte[] buf = new byte[16 * 1024];
      try {
        int n;
        while ((n = in.read(buf)) >= 0) {
          if (!swallowing) {
            out.write(buf, 0, n);
            out.flush();
          }
        }
      } catch (IOException e) {
        // connection gone
      }
    }, "blackhole-pump");
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void close() throws IOException {
    listener.close();
    for (Socket s : sockets) {
      s.close();
    }
  }
}
