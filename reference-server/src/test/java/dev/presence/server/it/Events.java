package dev.presence.server.it;

import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.NullReason;
import dev.presence.protocol.v1.PresenceEvent;
import java.util.List;
import java.util.function.Predicate;

/** Predicates and extractors over received frames. */
final class Events {
  private Events() {}

  static Predicate<PresenceEvent> x(double value) {
    return e -> e.hasState() && e.getState().getFieldsOrDefault("x", com.google.protobuf.Value.getDefaultInstance())
        .getNumberValue() == value;
  }

  static Predicate<PresenceEvent> nullWith(NullReason reason) {
    return e -> !e.hasState() && e.getNullReason() == reason;
  }

  static Predicate<PresenceEvent> live() {
    return e -> e.getSubscriptionIdsCount() == 0;
  }

  static List<PresenceEvent> about(String userId, List<ConnectResponse> frames) {
    return frames.stream()
        .filter(ConnectResponse::hasPresence)
        .flatMap(f -> f.getPresence().getEventsList().stream())
        .filter(e -> e.getUserId().equals(userId))
        .toList();
  }

  static long nulls(String userId, List<ConnectResponse> frames) {
    return about(userId, frames).stream().filter(e -> !e.hasState()).count();
  }

  /**
   * Waits until each user has had a matching event, looking at every event of every frame, so that events
   * sharing one frame are all seen.
   */
  static void awaitEach(dev.presence.server.support.TestSession watcher,
      java.util.Map<String, Predicate<PresenceEvent>> wanted) {
    java.util.Set<String> missing = new java.util.HashSet<>(wanted.keySet());
    watcher.awaitReceived("events about " + wanted.keySet(), frame -> {
      if (frame.hasPresence()) {
        for (PresenceEvent e : frame.getPresence().getEventsList()) {
          Predicate<PresenceEvent> match = wanted.get(e.getUserId());
          if (match != null && match.test(e)) {
            missing.remove(e.getUserId());
          }
        }
      }
      return missing.isEmpty();
    });
  }
}
