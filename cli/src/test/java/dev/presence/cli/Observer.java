package dev.presence.cli;

import dev.presence.client.MembershipListener;
import dev.presence.client.NullReason;
import dev.presence.client.PresenceClient;
import dev.presence.client.State;
import dev.presence.client.SyncTarget;
import dev.presence.client.User;
import dev.presence.client.testing.Harness.Recorder;
import dev.presence.server.support.Poll;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Another user in the room, on the Java client: what the room sees of the command under test. */
final class Observer implements AutoCloseable {
  final PresenceClient client;
  /** Presence changes, as {@code user=json} or {@code user=null:REASON}. */
  final Recorder presence = new Recorder();
  /** Membership events, as {@code +user} or {@code -user:REASON}. */
  final List<String> membership = new CopyOnWriteArrayList<>();

  private Observer(PresenceClient client) throws Exception {
    this.client = client;
    client.users().onMembership(new MembershipListener() {
      @Override
      public void onJoined(User user) {
        membership.add("+" + user.id());
      }

      @Override
      public void onLeft(User user, NullReason reason) {
        membership.add("-" + user.id() + ":" + reason);
      }
    });
    client.connect().get(CliRun.PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
    client.presence().sync(SyncTarget.all(), presence);
  }

  /**
   * Joins a room of a server in the development auth mode.
   *
   * @param port the server's port
   * @param room the room
   * @param user the user id to claim
   * @return the connected observer
   */
  static Observer join(int port, String room, String user) throws Exception {
    return new Observer(PresenceClient.builder().target("127.0.0.1:" + port).room(room).devIdentity(user, "")
        .build());
  }

  /** Waits until the user joined. */
  void awaitJoined(String user) throws InterruptedException {
    until(user + " joining", () -> membership.contains("+" + user));
  }

  /** Waits until the user left with reason LEFT: a leave, not a timeout. */
  void awaitLeft(String user) throws InterruptedException {
    until(user + " leaving", () -> membership.contains("-" + user + ":LEFT"));
  }

  /** Waits until the room shows the user with this state. */
  void awaitState(String user, State state) throws InterruptedException {
    until(user + "'s state", () -> state.equals(client.presence().getState(user)));
  }

  private void until(String what, BooleanSupplier condition) throws InterruptedException {
    Poll.until(what + " as the room sees it", CliRun.PATIENCE, condition,
        () -> "membership=" + membership + " presence=" + presence.seen());
  }

  @Override
  public void close() {
    client.close();
  }
}
