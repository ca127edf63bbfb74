package dev.presence.server.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * A loopback port free a moment ago, for settings where 0 does not mean "any" (the metrics port, where 0
 * turns the endpoint off). Another process could take it in between; the operating system hands out
 * ephemeral ports round-robin, which makes that unlikely.
 */
public final class FreePort {
  private FreePort() {}

  public static int find() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    }
  }
}
