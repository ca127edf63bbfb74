package dev.presence.conformance.driver;

import java.io.IOException;
import java.net.InetSocketAddress;

/** A way to an endpoint through a {@link TcpFaultProxy} of its own, which a case or scenario can then break. */
public final class FaultyPath implements AutoCloseable {

  private final TcpFaultProxy proxy;
  private final Endpoint.Relayed relayed;

  private FaultyPath(TcpFaultProxy proxy, Endpoint.Relayed relayed) {
    this.proxy = proxy;
    this.relayed = relayed;
  }

  /**
   * Starts a proxy in front of an endpoint's server and returns the endpoint through it.
   *
   * @param endpoint an endpoint whose address the kit knows
   * @throws IOException if the proxy cannot listen
   * @throws IllegalStateException if the kit does not know the endpoint's address
   */
  public static FaultyPath to(Endpoint endpoint) throws IOException {
    InetSocketAddress address = endpoint.address().orElseThrow(() -> new IllegalStateException(
        "the kit does not know the address of " + endpoint.description()));
    TcpFaultProxy proxy = TcpFaultProxy.start(address.getHostString(), address.getPort());
    try {
      return new FaultyPath(proxy, endpoint.via(proxy.port()));
    } catch (RuntimeException e) {
      proxy.close();
      throw e;
    }
  }

  /** Returns the proxy, which can blackhole or reset the path. */
  public TcpFaultProxy proxy() {
    return proxy;
  }

  /** Returns the endpoint through the proxy. */
  public Endpoint endpoint() {
    return relayed.endpoint();
  }

  @Override
  public void close() {
    relayed.close();
    proxy.close();
  }
}
