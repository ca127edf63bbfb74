package dev.presence.conformance.transcript;

import dev.presence.conformance.driver.Endpoint;
import dev.presence.conformance.driver.ForgedCredentials;
import dev.presence.conformance.driver.RawSession;
import dev.presence.conformance.history.History;
import dev.presence.conformance.history.Observation;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.PresenceEvent;
import io.grpc.Metadata;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * One transcript session: a {@link RawSession}, so that a transcript can send malformed and oversized frames on
 * either binding, whose frames and end, as its history records them, are read as a stream of {@link Item}s with
 * presence frames flattened into their events.
 */
final class WireSession {

  private final RawSession session;
  private final History history;
  private final Deque<Item> pending = new ArrayDeque<>();
  private int cursor;
  private volatile boolean cancelledByKit;

  private WireSession(RawSession session, History history, int cursor) {
    this.session = session;
    this.history = history;
    this.cursor = cursor;
  }

  /** Starts the call without credentials; nothing is sent yet. */
  static WireSession start(String name, Endpoint endpoint, History history) {
    return start(name, endpoint, new Metadata(), history);
  }

  /** Starts the call with a bearer token (PRS-TRN-3, PRS-WS-6); nothing is sent yet. */
  static WireSession start(String name, Endpoint endpoint, String bearerToken, History history) {
    return start(name, endpoint, ForgedCredentials.bearer(bearerToken), history);
  }

  private static WireSession start(String name, Endpoint endpoint, Metadata headers, History history) {
    int cursor = history.size();
    return new WireSession(RawSession.start(endpoint, name, headers, history), history, cursor);
  }

  void send(byte[] frame) {
    session.sendBytes(frame);
  }

  void halfClose() {
    session.halfClose();
  }

  void cancel() {
    cancelledByKit = true;
    session.cancel();
  }

  /** Returns the next item, waiting at most the timeout, or empty. */
  Optional<Item> next(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (pending.isEmpty()) {
      Optional<Observation> o = history.await(cursor, any -> true, Duration.ofNanos(
          Math.max(0, deadline - System.nanoTime())));
      if (o.isEmpty()) {
        return Optional.empty();
      }
      cursor++;
      take(o.get());
    }
    return Optional.of(pending.removeFirst());
  }

  /** Returns the items received and not yet read. */
  List<Item> unreadItems() {
    List<Observation> all = history.snapshot();
    while (cursor < all.size()) {
      take(all.get(cursor++));
    }
    return List.copyOf(pending);
  }

  /** Queues the items of an observation when it is this session's frame or end. */
  private void take(Observation o) {
    if (o instanceof Observation.Received r && r.session().equals(session.name())) {
      ConnectResponse frame = r.frame();
      if (frame.hasPresence()) {
        frame.getPresence().getEventsList().forEach(e -> pending.add(new EventItem(e)));
      } else {
        pending.add(new FrameItem(frame));
      }
    } else if (o instanceof Observation.Ended e && e.session().equals(session.name()) && !cancelledByKit) {
      pending.add(new EndItem(e)); // the CANCELLED of the kit's own cancel is no expectation's business
    }
  }

  /** One thing a session receives: a frame other than presence, one presence event, or the end of the call. */
  sealed interface Item {}

  /** @param frame a frame other than presence */
  record FrameItem(ConnectResponse frame) implements Item {}

  /** @param event one event of a presence frame */
  record EventItem(PresenceEvent event) implements Item {}

  /** @param end the end of the call */
  record EndItem(Observation.Ended end) implements Item {}
}
