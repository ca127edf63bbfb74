package dev.presence.server.transport;

import dev.presence.server.auth.Authenticator;
import dev.presence.server.config.ServerConfig;
import dev.presence.server.internal.Clock;
import dev.presence.server.internal.Timer;
import dev.presence.server.room.RoomRegistry;

/** What a call needs besides itself; one instance per server. */
final class SessionServices {
  final ServerConfig config;
  final Authenticator authenticator;
  final RoomRegistry registry;
  final Clock clock;
  final Timer timer;
  final CancelClassifier cancelClassifier;
  final dev.presence.server.internal.Metrics metrics;
  /** Calls that have not sent {@code open} yet; shutdown refuses them instead of waiting for their timeout. */
  final java.util.Set<SessionCall> awaitingOpen = java.util.concurrent.ConcurrentHashMap.newKeySet();

  SessionServices(ServerConfig config, Authenticator authenticator, RoomRegistry registry, Clock clock, Timer timer,
      CancelClassifier cancelClassifier, dev.presence.server.internal.Metrics metrics) {
    this.metrics = metrics;
    this.config = config;
    this.authenticator = authenticator;
    this.registry = registry;
    this.clock = clock;
    this.timer = timer;
    this.cancelClassifier = cancelClassifier;
  }
}
