package dev.presence.conformance.driver;

import dev.presence.conformance.history.Binding;
import io.grpc.Metadata;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * One place where the server under test serves presence.v1, on one binding: a gRPC channel or a WebSocket URL. A run
 * may list several (see {@link Endpoints}); each session goes to one of them.
 */
public sealed interface Endpoint permits GrpcEndpoint, WebSocketEndpoint {

  /** Returns the binding this endpoint speaks. */
  Binding binding();

  /** Returns how reports name this endpoint, for example {@code localhost:50051} or {@code ws://host/presence.v1}. */
  String description();

  /** Returns where the server listens, when the kit knows it; a fault proxy needs it. */
  Optional<InetSocketAddress> address();

  /**
   * Starts the transport of one call for a protocol version (PRS-EVO-7); nothing is sent yet.
   *
   * @param protocolVersion the version whose path the call asks for; 1 for presence.v1
   * @param headers the call's credentials as gRPC metadata ({@code authorization}); the WebSocket binding carries a
   *     bearer token as the subprotocol entry of PRS-WS-6 instead
   * @param listener hears the call's frames and end
   * @return the call
   */
  WireCall open(int protocolVersion, Metadata headers, WireCall.Listener listener);

  /**
   * Returns an endpoint with the same transport settings that connects to a loopback port instead, such as a
   * proxy's, and still verifies TLS against this endpoint's host.
   *
   * @param loopbackPort the port on 127.0.0.1
   * @return the endpoint, with what closes whatever it opened
   * @throws IllegalStateException if this endpoint cannot be relayed
   */
  Relayed via(int loopbackPort);

  /**
   * An endpoint reached through a relay, and what frees it.
   *
   * @param endpoint the relayed endpoint
   * @param release closes what the relayed endpoint opened
   */
  record Relayed(Endpoint endpoint, Runnable release) implements AutoCloseable {
    @Override
    public void close() {
      release.run();
    }
  }
}
