package dev.presence.conformance.driver;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The sockets of a TCP relay the kit puts between itself and a server: each accepted client socket gets its own
 * upstream socket, and closing the relay closes every one of them.
 */
final class RelayedSockets {
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final InetSocketAddress upstream;

  RelayedSockets(InetSocketAddress upstream) {
    this.upstream = upstream;
  }

  /**
   * Waits for the next client and connects it upstream, both without Nagle's delay, which would add latency
   * that timing checks would charge to the server.
   *
   * @return the client socket and its upstream socket, in that order
   */
  Socket[] acceptAndConnect(ServerSocket listener) throws IOException {
    return connect(listener.accept());
  }

  /**
   * Connects an accepted client upstream, as {@link #acceptAndConnect} does.
   *
   * @return the client socket and its upstream socket, in that order
   */
  Socket[] connect(Socket client) throws IOException {
    Socket server;
    try {
      server = new Socket(upstream.getAddress(), upstream.getPort());
    } catch (IOException e) {
      // Without an upstream the client would hang on a socket nobody serves; closing it shows a refused server.
      client.close();
      throw e;
    }
    client.setTcpNoDelay(true);
    server.setTcpNoDelay(true);
    sockets.add(client);
    sockets.add(server);
    return new Socket[] {client, server};
  }

  /** Closes every socket with a TCP reset instead of an orderly close. */
  void resetAll() {
    for (Socket s : sockets) {
      try {
        s.setSoLinger(true, 0);
        s.close();
      } catch (IOException ignored) {
        // Already closed: nothing left to reset.
      }
    }
  }

  void closeAll() {
    for (Socket s : sockets) {
      try {
        s.close();
      } catch (IOException ignored) {
        // Best effort.
      }
    }
  }
}
