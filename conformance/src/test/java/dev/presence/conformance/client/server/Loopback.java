package dev.presence.conformance.client.server;

import dev.presence.conformance.driver.RawSession;
import dev.presence.conformance.history.History;
import dev.presence.conformance.history.Observation;
import dev.presence.protocol.v1.Capability;
import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.Open;
import dev.presence.protocol.v1.Ping;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A KitServer with raw sessions connected to it through its proxy: the SDK's place, played frame by frame. */
// Closing waits for the server to stop, so it may be interrupted; the interrupt reaches the caller.
@SuppressWarnings("try")
final class Loopback implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(5);
  static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  final KitServer server;
  final History history = History.systemClock();
  private final List<ManagedChannel> channels = new ArrayList<>();

  Loopback(Autopilot autopilot) throws IOException {
    this.server = KitServer.start(autopilot);
  }

  Loopback() throws IOException {
    this(new Autopilot());
  }

  /** Starts a call on its own connection, sends nothing. */
  RawSession call(String name, String token) {
    ManagedChannel channel = ManagedChannelBuilder.forTarget(server.target()).usePlaintext().build();
    channels.add(channel);
    Metadata headers = new Metadata();
    if (token != null) {
      headers.put(AUTHORIZATION, "Bearer " + token);
    }
    return RawSession.start(dev.presence.conformance.driver.GrpcEndpoint.of(channel, server.target()), name, headers,
        history);
  }

  /** Opens a session and waits for its opened; returns it with the kit's view of the call. */
  Opened open(String name, Capability... caps) throws InterruptedException {
    int before = server.calls().size();
    RawSession s = call(name, "token-" + name);
    s.send(ConnectRequest.newBuilder().setOpen(Open.newBuilder().setRoomId("room-1").setProtocolVersion(1)
        .addAllCapabilities(List.of(caps))).build());
    received(name, ConnectResponse::hasOpened);
    KitCall call = server.calls().stream().filter(c -> c.index() >= before
        && c.authorization().orElse("").equals("Bearer token-" + name)).findFirst().orElseThrow();
    return new Opened(s, call);
  }

  record Opened(RawSession session, KitCall call) {}

  /** Waits for a frame on the named session, counting those already received. */
  ConnectResponse received(String name, Predicate<ConnectResponse> match) throws InterruptedException {
    return history.await(0, o -> o instanceof Observation.Received r && r.session().equals(name)
            && match.test(r.frame()), WAIT)
        .map(o -> ((Observation.Received) o).frame())
        .orElseThrow(() -> new AssertionError("no matching frame on " + name));
  }

  /** Every frame the named session received so far. */
  List<ConnectResponse> frames(String name) {
    return history.snapshot().stream()
        .filter(o -> o instanceof Observation.Received r && r.session().equals(name))
        .map(o -> ((Observation.Received) o).frame()).toList();
  }

  Observation.Ended ended(String name) throws InterruptedException {
    return (Observation.Ended) history.await(0, o -> o instanceof Observation.Ended e && e.session().equals(name),
        WAIT).orElseThrow(() -> new AssertionError(name + " did not end"));
  }

  /** Round trip through the session: once the pong is back, every earlier frame of it was answered. */
  void barrier(Opened o, long nonce) throws InterruptedException {
    o.session().send(ConnectRequest.newBuilder().setPing(Ping.newBuilder().setNonce(nonce)).build());
    received(o.session().name(), f -> f.hasPong() && f.getPong().getNonce() == nonce);
  }

  @Override
  public void close() throws InterruptedException {
    for (ManagedChannel c : channels) {
      c.shutdownNow();
      c.awaitTermination(5, TimeUnit.SECONDS);
    }
    server.close();
  }
}
