package dev.presence.server.room;

import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.User;
import dev.presence.server.config.ServerConfig;
import dev.presence.server.internal.Metrics;
import dev.presence.server.session.Session;
import dev.presence.server.session.SessionEnd;
import dev.presence.server.support.FakeTime;

/**
 * Rooms driven synchronously: the shared pool runs tasks inline and time moves only on request, so
 * every window decision is deterministic.
 */
final class RoomHarness {
  final FakeTime time = new FakeTime();
  final ServerConfig config;
  final RoomRegistry registry;
  private int sessions;

  final Metrics metrics;

  RoomHarness(ServerConfig config) {
    this(config, Metrics.NOOP);
  }

  RoomHarness(ServerConfig config, Metrics metrics) {
    this(config, metrics, true);
  }

  RoomHarness(ServerConfig config, Metrics metrics, boolean sharesOutboxes) {
    this.config = config;
    this.metrics = metrics;
    this.registry = new RoomRegistry(
        new RoomContext(config, time, time, () -> Runnable::run, metrics, null, true, sharesOutboxes));
  }

  RoomHarness() {
    this(ServerConfig.builder().port(0).build());
  }

  Client open(String roomId, String userId) {
    return open(roomId, userId, userId);
  }

  Client open(String roomId, String userId, String displayName) {
    Room room = registry.acquire(roomId);
    FakeCall call = new FakeCall(time);
    Session session = new Session("s" + (++sessions),
        User.newBuilder().setUserId(userId).setDisplayName(displayName).build(), call, false, Long.MAX_VALUE, metrics);
    room.executor().execute(() -> room.open(session));
    return new Client(room, session, call);
  }

  final class Client {
    final Room room;
    final Session session;
    final FakeCall call;

    Client(Room room, Session session, FakeCall call) {
      this.room = room;
      this.session = session;
      this.call = call;
    }

    void send(ConnectRequest frame) {
      room.executor().execute(() -> room.onFrame(session, frame));
      time.runDue();
    }

    void end(SessionEnd how) {
      room.executor().execute(() -> room.end(session, how, null));
      time.runDue();
    }

    void becomeReady() {
      call.ready = true;
      room.executor().execute(() -> room.onReady(session));
      time.runDue();
    }
  }
}
