package dev.presence.server.transport;

import dev.presence.server.auth.Authenticator;
import dev.presence.server.config.ServerConfig;
import dev.presence.server.internal.Clock;
import dev.presence.server.internal.Metrics;
import dev.presence.server.internal.Timer;
import dev.presence.server.room.RoomRegistry;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** What a call of either binding needs besides itself; one instance per server, shared by both bindings. */
final class SessionServices {
  final ServerConfig config;
  final Authenticator authenticator;
  final RoomRegistry registry;
  final Clock clock;
  final Timer timer;
  final Metrics metrics;
  final RequestDecoder decoder;
  /** One pace of accepts for both bindings: their connections cost the same event loops. */
  final AcceptPacer acceptPacer;
  /** Calls that have not sent {@code open} yet; shutdown refuses them instead of waiting for their timeout. */
  final Set<SessionCall> awaitingOpen = ConcurrentHashMap.newKeySet();

  /** @param eventLoops how many I/O threads serve the connections; the accept pace is per thread */
  SessionServices(ServerConfig config, Authenticator authenticator, RoomRegistry registry, Clock clock, Timer timer,
      Metrics metrics, int eventLoops) {
    this.config = config;
    this.authenticator = authenticator;
    this.registry = registry;
    this.clock = clock;
    this.timer = timer;
    this.metrics = metrics;
    this.decoder = new RequestDecoder(config.maxInboundFrameBytes(), config.maxStateDepth());
    this.acceptPacer = AcceptPacer.of(
        config.acceptRatePerCore() * eventLoops, System::nanoTime);
  }

  /** Ends every call still waiting for its {@code open} with SHUTTING_DOWN (PRS-END-5). */
  void rejectAwaitingOpen() {
    for (SessionCall call : awaitingOpen) {
      call.rejectForShutdown();
    }
  }
}
