package dev.presence.client.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.client.ConnectionState;
import dev.presence.client.PresenceChange;
import dev.presence.client.PresenceClient;
import dev.presence.client.PresenceListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A client wired to a {@link FakePresenceServer}, with callbacks on a thread the test can drain, so that
 * "nothing was delivered" is checked after a barrier instead of after a sleep.
 */
public final class Harness implements AutoCloseable {
  public final FakePresenceServer server = new FakePresenceServer();
  public final ExecutorService callbackThread = Executors.newSingleThreadExecutor();
  public final List<ConnectionState> connectionStates = new CopyOnWriteArrayList<>();
  public final PresenceClient client;

  /** A client in development identity {@code me}. */
  public Harness() {
    this(PresenceClient.builder().devIdentity("me", "Me"));
  }

  /**
   * A client from a partly configured builder.
   *
   * @param builder the builder; room, channel, executor, backoff and listener are set here
   */
  public Harness(PresenceClient.Builder builder) {
    client = builder
        .channel(server.channel())
        .room("room-1")
        .callbackExecutor(callbackThread)
        .reconnectBackoff(Duration.ofMillis(5), Duration.ofMillis(20))
        .connectionListener((state, cause) -> connectionStates.add(state))
        .build();
  }

  /**
   * Connects and opens the first session.
   *
   * @param members room members besides {@code me}
   * @return the server side of the session
   */
  public FakePresenceServer.Conn connect(String... members) {
    var future = client.connect();
    FakePresenceServer.Conn conn = server.awaitConnection();
    String[] all = new String[members.length + 1];
    all[0] = "me";
    System.arraycopy(members, 0, all, 1, members.length);
    conn.open("me", all);
    assertThat(future).succeedsWithin(Duration.ofMillis(FakePresenceServer.TIMEOUT_MILLIS));
    return conn;
  }

  /**
   * Proves the client processed every frame sent so far and ran their callbacks.
   *
   * @param conn the session
   */
  public void settle(FakePresenceServer.Conn conn) {
    conn.barrier();
    drainCallbacks();
  }

  /** Runs after every callback queued so far (the client's serial executor feeds one thread). */
  public void drainCallbacks() {
    try {
      callbackThread.submit(() -> { }).get(FakePresenceServer.TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /**
   * Polls a condition until a deadline.
   *
   * @param what description
   * @param condition the condition
   */
  public static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(FakePresenceServer.TIMEOUT_MILLIS);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + FakePresenceServer.TIMEOUT_MILLIS + " ms waiting for "
            + what);
      }
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }

  @Override
  public void close() {
    client.close();
    callbackThread.shutdownNow();
    server.close();
  }

  /** A listener that records what it gets. */
  public static final class Recorder implements PresenceListener {
    public final List<PresenceChange> changes = new CopyOnWriteArrayList<>();

    @Override
    public void onChange(PresenceChange change) {
      changes.add(change);
    }

    /**
     * A compact rendering for assertions: {@code user=json} or {@code user=null:REASON}.
     *
     * @return the changes so far
     */
    public List<String> seen() {
      List<String> out = new ArrayList<>();
      for (PresenceChange c : changes) {
        out.add(c.userId() + "=" + (c.state() == null ? "null:" + c.reason() : c.state().toJson()));
      }
      return out;
    }

    /** Forgets what was recorded. */
    public void reset() {
      changes.clear();
    }
  }
}
