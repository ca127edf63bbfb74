package dev.presence.conformance.client.scenario;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.presence.conformance.adapter.v1.AllUsers;
import dev.presence.conformance.adapter.v1.Clear;
import dev.presence.conformance.adapter.v1.Command;
import dev.presence.conformance.adapter.v1.Connect;
import dev.presence.conformance.adapter.v1.ConnectionState;
import dev.presence.conformance.adapter.v1.Follow;
import dev.presence.conformance.adapter.v1.FollowedUsers;
import dev.presence.conformance.adapter.v1.GetStates;
import dev.presence.conformance.adapter.v1.Report;
import dev.presence.conformance.adapter.v1.Result;
import dev.presence.conformance.adapter.v1.Sync;
import dev.presence.conformance.adapter.v1.Unfollow;
import dev.presence.conformance.adapter.v1.Unsync;
import dev.presence.conformance.adapter.v1.Update;
import dev.presence.conformance.client.ProbeTrace;
import dev.presence.conformance.client.adapter.AdapterException;
import dev.presence.conformance.client.adapter.AdapterLauncher;
import dev.presence.conformance.client.adapter.AdapterProcess;
import dev.presence.conformance.client.adapter.Timed;
import dev.presence.conformance.client.server.Autopilot;
import dev.presence.conformance.client.server.KitCall;
import dev.presence.conformance.client.server.KitServer;
import dev.presence.conformance.driver.Timing;
import dev.presence.protocol.v1.Capability;
import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.NullReason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs a client scenario against a fresh kit server and a fresh adapter, then settles the run and records it as a
 * {@link ClientRun}.
 *
 * <p>Settling waits only for observable events, each with the request timeout as deadline: the SDK has an open
 * session again after any reset, the last state the application set has reached that session, and a {@code '*'}
 * sync made after everything else ({@link ClientScenario#SETTLE_SYNC}) has shown a state the kit set just before
 * it. Frames of one call are answered in order and callbacks are delivered in order, so every callback the run
 * caused on that session has reached the application by then.
 */
public final class ClientScenarioRunner {

  /** The user the kit sets just before its settling sync. */
  public static final String SETTLE_USER = "kit-settle";

  private static final Duration POLL = Duration.ofMillis(10);

  private final AdapterLauncher launcher;
  private final Timing timing;
  private final Duration helloTimeout;
  private final String roomPrefix = "scenario-" + Long.toHexString(System.nanoTime() & 0xFFFFFFL) + "-";
  private final AtomicLong runs = new AtomicLong();

  /**
   * Describes the runs.
   *
   * @param launcher what starts the adapter of each run
   * @param timing the run's time allowances
   * @param helloTimeout how long an adapter may take to say hello
   */
  public ClientScenarioRunner(AdapterLauncher launcher, Timing timing, Duration helloTimeout) {
    this.launcher = launcher;
    this.timing = timing;
    this.helloTimeout = helloTimeout;
  }

  /** Returns the state that stands for a label in scenarios. */
  public static Struct state(String label) {
    return Struct.newBuilder().putFields("label", Value.newBuilder().setStringValue(label).build()).build();
  }

  /**
   * Runs a scenario.
   *
   * @throws AdapterException if the adapter cannot start
   * @throws InterruptedException if interrupted
   */
  public ClientRun run(ClientScenario scenario) throws InterruptedException {
    Autopilot autopilot = new Autopilot();
    KitServer server;
    try {
      server = KitServer.start(autopilot);
    } catch (IOException e) {
      throw new UncheckedIOException("the kit's server cannot start", e);
    }
    try (server; AdapterProcess sdk = AdapterProcess.start(launcher, helloTimeout)) {
      return new Execution(scenario, server, sdk).run();
    }
  }

  /** One run's moving parts. */
  private final class Execution {
    final ClientScenario scenario;
    final KitServer server;
    final AdapterProcess sdk;
    final List<Long> stepNanos = new ArrayList<>();
    long nonces;
    boolean refreshed;

    Execution(ClientScenario scenario, KitServer server, AdapterProcess sdk) {
      this.scenario = scenario;
      this.server = server;
      this.sdk = sdk;
    }

    ClientRun run() throws InterruptedException {
      Optional<String> abort = Optional.empty();
      try {
        ok(Command.newBuilder().setConnect(Connect.newBuilder().setTarget(server.target())
            .setRoomId(roomPrefix + runs.incrementAndGet())));
        for (ClientStep step : scenario.steps()) {
          stepNanos.add(System.nanoTime());
          execute(step);
        }
      } catch (AdapterException | IllegalStateException e) {
        abort = Optional.of(e.getMessage());
      } catch (IOException e) {
        abort = Optional.of("the kit's server could not restart: " + e.getMessage());
      }
      Optional<String> settleFailure = abort.isPresent() ? Optional.of("the run stopped early") : settle();
      List<ClientRun.Session> sessions = new ArrayList<>();
      for (KitCall c : server.calls()) {
        sessions.add(new ClientRun.Session(c.index(), c.openedNanos(), c.inbound(), c.outbound()));
      }
      List<KitCall> calls = server.calls();
      Set<String> follows = calls.isEmpty() ? Set.of() : calls.get(calls.size() - 1).follows();
      String ownUser = calls.isEmpty() ? "" : calls.get(calls.size() - 1).userId().orElse("");
      return new ClientRun(scenario.steps(), stepNanos, abort, sessions, sdk.reports(),
          server.autopilot().limits(), timing, settleFailure, server.room().states(), follows, ownUser, refreshed,
          ProbeTrace.of(calls, sdk.reports()));
    }

    private void execute(ClientStep step) throws InterruptedException, IOException {
      if (step instanceof ClientStep.Update u) {
        ok(update(u.label() + ".0"));
        for (int i = 0; i < u.gapsMillis().size(); i++) {
          // The gaps are the scenario's input, not a wait for anything.
          TimeUnit.MILLISECONDS.sleep(u.gapsMillis().get(i));
          ok(update(u.label() + "." + (i + 1)));
        }
      } else if (step instanceof ClientStep.Clear) {
        ok(Command.newBuilder().setClear(Clear.getDefaultInstance()));
      } else if (step instanceof ClientStep.Sync s) {
        ok(sync(s.name(), s.target()));
      } else if (step instanceof ClientStep.Unsync u) {
        ok(Command.newBuilder().setUnsync(Unsync.newBuilder().setSync(u.name())));
      } else if (step instanceof ClientStep.Follow f) {
        // A follow may fail while the SDK reconnects; the follow set the server holds at the end is what counts.
        call(Command.newBuilder().setFollow(Follow.newBuilder().setUserId(f.user())));
      } else if (step instanceof ClientStep.Unfollow f) {
        call(Command.newBuilder().setUnfollow(Unfollow.newBuilder().setUserId(f.user())));
      } else if (step instanceof ClientStep.GetStates) {
        if (!sdk.hello().getUnsupportedList().contains("get_states")) {
          call(Command.newBuilder().setGetStates(GetStates.getDefaultInstance()));
        }
      } else if (step instanceof ClientStep.OtherSet o) {
        server.room().set(o.user(), state(o.label()));
      } else if (step instanceof ClientStep.OtherClear o) {
        server.room().clear(o.user());
      } else if (step instanceof ClientStep.OtherLeave o) {
        server.room().leave(o.user(), o.timedOut() ? NullReason.NULL_REASON_TIMED_OUT : NullReason.NULL_REASON_LEFT);
      } else if (step instanceof ClientStep.OtherJoin o) {
        server.room().join(o.user());
      } else if (step instanceof ClientStep.Ping) {
        lastCall().filter(c -> c.open().map(o -> o.getCapabilitiesList().contains(Capability.CAPABILITY_PING))
            .orElse(false)).ifPresent(c -> c.sendPing(++nonces));
      } else if (step instanceof ClientStep.UnknownFrame) {
        lastCall().ifPresent(KitCall::sendUnknownFrameKind);
      } else if (step instanceof ClientStep.HoldSnapshots) {
        server.autopilot().liveWaitsForHeldSnapshots(true).holdSnapshotComplete(true);
      } else if (step instanceof ClientStep.ReleaseSnapshots) {
        server.autopilot().holdSnapshotComplete(false);
        server.autopilot().releaseSnapshotCompletes();
      } else if (step instanceof ClientStep.Reset) {
        server.reset();
      } else if (step instanceof ClientStep.Restart) {
        server.restart();
      } else if (step instanceof ClientStep.Pause p) {
        // A pause is the scenario's input, not a wait for anything.
        TimeUnit.MILLISECONDS.sleep(p.millis());
      }
    }

    /**
     * Waits for the SDK's open session, its last state and the settling sync; returns why it could not. A session
     * that ends meanwhile (a reset the SDK noticed late) starts the wait again on the next one, with a new state of
     * the settling user that the restored settling sync must show.
     */
    private Optional<String> settle() throws InterruptedException {
      server.autopilot().holdSnapshotComplete(false);
      server.autopilot().releaseSnapshotCompletes();
      long deadline = System.nanoTime() + 2 * timing.requestTimeout().toNanos();
      boolean synced = false;
      for (int attempt = 1; ; attempt++) {
        Optional<KitCall> open = awaitOpenSession(deadline);
        if (open.isEmpty()) {
          return Optional.of("the SDK had no open session " + 2 * timing.requestTimeout().toMillis()
              + " ms after the last step; it opened " + server.calls().size());
        }
        awaitLastState(open.get());
        if (scenario.steps().stream().anyMatch(ClientStep.HoldSnapshots.class::isInstance)) {
          refresh(open.get());
        }
        int mark = sdk.mark();
        Struct sentinel = state("settle-" + attempt);
        server.room().set(SETTLE_USER, sentinel);
        if (!synced) {
          try {
            ok(sync(ClientScenario.SETTLE_SYNC, ClientStep.ALL));
          } catch (AdapterException | IllegalStateException e) {
            return Optional.of("the settling sync failed: " + e.getMessage());
          }
          synced = true;
        }
        long left = Math.max(0, deadline - System.nanoTime());
        boolean seen = sdk.awaitReport(mark, r -> r.hasChange() && r.getChange().getSync()
            .equals(ClientScenario.SETTLE_SYNC) && r.getChange().getUserId().equals(SETTLE_USER)
            && sentinel.equals(r.getChange().getState()), Duration.ofNanos(left)).isPresent();
        boolean stable = server.calls().size() == open.get().index() + 1 && !open.get().ended();
        if (seen && stable) {
          return Optional.empty();
        }
        if (stable || System.nanoTime() >= deadline) {
          return Optional.of("the settling sync did not show user " + SETTLE_USER + "'s state settle-" + attempt
              + " in time");
        }
      }
    }

    /** Waits for the last state the application set to reach a session; PRS-THC-3 judges whether it did. */
    private void awaitLastState(KitCall open) throws InterruptedException {
      Optional<String> last = lastStateSet();
      if (last.isPresent()) {
        Struct expected = state(last.get());
        open.awaitInbound(in -> in.kind() == ConnectRequest.FrameCase.UPDATE_STATE
            && in.frame().get().getUpdateState().getState().equals(expected), timing.requestTimeout());
      }
    }

    /**
     * Sets every other user's state anew. A sync whose snapshot_complete was held missed the live events sent
     * meanwhile, as PRS-EVT-3 requires, so its view may lag the room's; a fresh state reaches every sync that
     * covers its user.
     */
    private void refresh(KitCall call) {
      refreshed = true;
      String own = call.userId().orElse("");
      server.room().states().forEach((user, state) -> {
        if (!user.equals(own)) {
          server.room().set(user, state(ScenarioStates.label(state) + "+"));
        }
      });
    }

    /**
     * Waits until the newest session is opened and live, every earlier one has ended, and the SDK last reported its
     * connection open, so that what it restores on reconnect was sent before anything the settling adds.
     */
    private Optional<KitCall> awaitOpenSession(long deadline) throws InterruptedException {
      while (System.nanoTime() < deadline) {
        Optional<KitCall> last = lastCall();
        boolean earlierEnded = server.calls().stream().filter(c -> c != last.orElse(null)).allMatch(KitCall::ended);
        if (last.isPresent() && last.get().openedNanos().isPresent() && !last.get().ended() && earlierEnded
            && reportedOpen()) {
          return last;
        }
        // Polls state the kit records; the deadline bounds it.
        TimeUnit.NANOSECONDS.sleep(POLL.toNanos());
      }
      return Optional.empty();
    }

    private boolean reportedOpen() {
      List<Timed> reports = sdk.reports();
      for (int i = reports.size() - 1; i >= 0; i--) {
        Report r = reports.get(i).report();
        if (r.hasConnection()) {
          return r.getConnection().getState() == ConnectionState.CONNECTION_STATE_OPEN;
        }
      }
      // An SDK that reports no connection states is judged by the server's side alone.
      return true;
    }

    /** Returns the label of the last state the application set, unless it cleared after or set none. */
    private Optional<String> lastStateSet() {
      Optional<String> last = Optional.empty();
      for (ClientStep s : scenario.steps()) {
        if (s instanceof ClientStep.Update u) {
          last = Optional.of(u.lastLabel());
        } else if (s instanceof ClientStep.Clear) {
          last = Optional.empty();
        }
      }
      return last;
    }

    private Optional<KitCall> lastCall() {
      List<KitCall> calls = server.calls();
      return calls.isEmpty() ? Optional.empty() : Optional.of(calls.get(calls.size() - 1));
    }

    private Command.Builder update(String label) {
      return Command.newBuilder().setUpdate(Update.newBuilder().setState(state(label)));
    }

    private Command.Builder sync(String name, String target) {
      Sync.Builder sync = Sync.newBuilder().setSync(name);
      switch (target) {
        case ClientStep.ALL -> sync.setAllUsers(AllUsers.getDefaultInstance());
        case ClientStep.FOLLOWING -> sync.setFollowedUsers(FollowedUsers.getDefaultInstance());
        default -> sync.setUserId(target);
      }
      return Command.newBuilder().setSync(sync);
    }

    private Result call(Command.Builder command) throws InterruptedException {
      return sdk.call(command, timing.requestTimeout());
    }

    private void ok(Command.Builder command) throws InterruptedException {
      Result r = call(command);
      if (r.hasFailure()) {
        throw new IllegalStateException(command.getActionCase().name().toLowerCase() + " failed: "
            + r.getFailure().getCode() + " " + r.getFailure().getReason() + " " + r.getFailure().getMessage());
      }
    }
  }
}
