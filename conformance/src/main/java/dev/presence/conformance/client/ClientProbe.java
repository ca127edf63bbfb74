package dev.presence.conformance.client;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.presence.conformance.adapter.v1.AllUsers;
import dev.presence.conformance.adapter.v1.Change;
import dev.presence.conformance.adapter.v1.Clear;
import dev.presence.conformance.adapter.v1.Command;
import dev.presence.conformance.adapter.v1.Connect;
import dev.presence.conformance.adapter.v1.Follow;
import dev.presence.conformance.adapter.v1.FollowedUsers;
import dev.presence.conformance.adapter.v1.GetState;
import dev.presence.conformance.adapter.v1.GetStates;
import dev.presence.conformance.adapter.v1.Hello;
import dev.presence.conformance.adapter.v1.Report;
import dev.presence.conformance.adapter.v1.Result;
import dev.presence.conformance.adapter.v1.Sync;
import dev.presence.conformance.adapter.v1.Unfollow;
import dev.presence.conformance.adapter.v1.Unsync;
import dev.presence.conformance.adapter.v1.Update;
import dev.presence.conformance.client.adapter.AdapterLauncher;
import dev.presence.conformance.client.adapter.AdapterProcess;
import dev.presence.conformance.client.adapter.Timed;
import dev.presence.conformance.client.server.Autopilot;
import dev.presence.conformance.client.server.KitCall;
import dev.presence.conformance.client.server.KitRoom;
import dev.presence.conformance.client.server.KitServer;
import dev.presence.conformance.directed.CaseFailure;
import dev.presence.conformance.directed.NotApplicable;
import dev.presence.conformance.driver.Timing;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * What a client case works with: a fresh kit server in a room of its own, and a fresh adapter, so that nothing one
 * case does leaks into the next. Its helpers make the application's calls and wait for what the application
 * is told; every wait has the run's request timeout as its deadline.
 *
 * <p>States made with {@link #state} carry a marker the kit looks for in the adapter's log afterwards (PRS-PRV-1).
 */
public final class ClientProbe implements AutoCloseable {

  private final KitServer server;
  private final AdapterProcess sdk;
  private final Timing timing;
  private final String roomId;
  private final Set<String> markers = ConcurrentHashMap.newKeySet();

  ClientProbe(AdapterLauncher launcher, Timing timing, String roomId, Duration helloTimeout)
      throws InterruptedException {
    this.timing = timing;
    this.roomId = roomId;
    try {
      this.server = KitServer.start(new Autopilot());
    } catch (IOException e) {
      throw new UncheckedIOException("the kit's server cannot start", e);
    }
    try {
      this.sdk = AdapterProcess.start(launcher, helloTimeout);
    } catch (RuntimeException | InterruptedException e) {
      server.close();
      throw e;
    }
  }

  /** Returns the kit's server. */
  public KitServer server() {
    return server;
  }

  /** Returns how the kit's server answers by default; cases change it before or during a run. */
  public Autopilot autopilot() {
    return server.autopilot();
  }

  /** Returns the other users of the room, as the kit plays them. */
  public KitRoom room() {
    return server.room();
  }

  /** Returns the adapter, for what the helpers do not cover. */
  public AdapterProcess sdk() {
    return sdk;
  }

  /** Returns the run's time allowances. */
  public Timing timing() {
    return timing;
  }

  /** Returns the room id of this case. */
  public String roomId() {
    return roomId;
  }

  /** Returns the SDK's hello. */
  public Hello hello() {
    return sdk.hello();
  }

  /**
   * Skips the case when the SDK says it does not offer a call the case needs.
   *
   * @param commandField a {@code Command} field name, such as {@code get_states}, or an {@link SdkFeature}
   * @throws NotApplicable if the SDK's hello lists it as unsupported
   */
  public void requireSupport(String commandField) {
    if (hello().getUnsupportedList().contains(commandField)) {
      throw new NotApplicable("the SDK does not offer " + commandField);
    }
  }

  /**
   * Connects the SDK and waits for its first session to open.
   *
   * @param tokens what the application's token source returns, in order; none for no credentials
   * @return the session the SDK opened
   */
  public KitCall connect(String... tokens) throws InterruptedException {
    ok(Command.newBuilder().setConnect(connectCommand(tokens)));
    return lastCall();
  }

  /** Returns the Connect command for this case's server and room. */
  public Connect.Builder connectCommand(String... tokens) {
    return Connect.newBuilder().setTarget(server.target()).setRoomId(roomId).addAllTokens(List.of(tokens));
  }

  /** Returns the newest session the SDK opened. */
  public KitCall lastCall() {
    List<KitCall> calls = server.calls();
    if (calls.isEmpty()) {
      throw new CaseFailure("the SDK reported connected, but the kit's server saw no call");
    }
    return calls.get(calls.size() - 1);
  }

  /**
   * Waits for the SDK's session number {@code index} (0 for its first).
   *
   * @param what what the session is for, for the failure message
   */
  public KitCall awaitCall(int index, Duration timeout, String what) throws InterruptedException {
    return server.awaitCall(index, timeout).orElseThrow(() -> new CaseFailure("expected " + what + " (session "
        + (index + 1) + ") within " + timeout.toMillis() + " ms; the SDK opened " + server.calls().size()));
  }

  /**
   * Waits until the SDK's session number {@code index} exists and the kit's server has sent it {@code opened}. It
   * does not wait for the SDK to report the session open: an SDK need not report connection states, and one that
   * does may report an earlier session's state late.
   *
   * @param what what the session is for, for the failure message
   */
  public KitCall awaitOpened(int index, String what) throws InterruptedException {
    KitCall call = awaitCall(index, timing.requestTimeout(), what);
    long deadline = System.nanoTime() + timing.requestTimeout().toNanos();
    while (call.openedNanos().isEmpty()) {
      if (call.ended() || System.nanoTime() > deadline) {
        throw failure("expected " + what + " (session " + (index + 1) + ") to open; it "
            + (call.ended() ? "ended first: " + call.endCause() : "did not within "
                + timing.requestTimeout().toMillis() + " ms"));
      }
      Thread.sleep(1);
    }
    return call;
  }

  /** Sends a command and waits for its result, failing the case if the adapter does not answer in time. */
  public Result call(Command.Builder command) throws InterruptedException {
    return sdk.call(command, timing.requestTimeout());
  }

  /** Sends a command and fails the case unless it succeeds. */
  public Result ok(Command.Builder command) throws InterruptedException {
    Result result = call(command);
    if (result.hasFailure()) {
      throw new CaseFailure(command.getActionCase().name().toLowerCase() + " failed: "
          + result.getFailure().getCode() + " " + result.getFailure().getReason() + " "
          + result.getFailure().getMessage());
    }
    return result;
  }

  /** The application sets its state. */
  public void update(Struct state) throws InterruptedException {
    ok(Command.newBuilder().setUpdate(Update.newBuilder().setState(state)));
  }

  /** The application clears its state. */
  public void clear() throws InterruptedException {
    ok(Command.newBuilder().setClear(Clear.getDefaultInstance()));
  }

  /** The application syncs {@code '*'} under the kit's name {@code sync}. */
  public void syncAll(String sync) throws InterruptedException {
    ok(Command.newBuilder().setSync(Sync.newBuilder().setSync(sync).setAllUsers(AllUsers.getDefaultInstance())));
  }

  /** The application syncs {@code 'following'} under the kit's name {@code sync}. */
  public void syncFollowing(String sync) throws InterruptedException {
    ok(Command.newBuilder().setSync(Sync.newBuilder().setSync(sync)
        .setFollowedUsers(FollowedUsers.getDefaultInstance())));
  }

  /** The application syncs one user under the kit's name {@code sync}. */
  public void syncUser(String sync, String userId) throws InterruptedException {
    ok(Command.newBuilder().setSync(Sync.newBuilder().setSync(sync).setUserId(userId)));
  }

  /** The application ends one sync, or every sync when {@code sync} is empty. */
  public void unsync(String sync) throws InterruptedException {
    if (!sync.isEmpty()) {
      requireSupport(SdkFeature.UNSYNC_ONE);
    }
    ok(Command.newBuilder().setUnsync(Unsync.newBuilder().setSync(sync)));
  }

  /** The application follows a user; returns the settled promise's result. */
  public Result follow(String userId) throws InterruptedException {
    return call(Command.newBuilder().setFollow(Follow.newBuilder().setUserId(userId)));
  }

  /** The application unfollows a user; returns the settled promise's result. */
  public Result unfollow(String userId) throws InterruptedException {
    return call(Command.newBuilder().setUnfollow(Unfollow.newBuilder().setUserId(userId)));
  }

  /** The application reads every state the SDK holds for others. */
  public Map<String, Struct> getStates() throws InterruptedException {
    requireSupport("get_states");
    return ok(Command.newBuilder().setGetStates(GetStates.getDefaultInstance())).getStates().getStatesMap();
  }

  /** The application reads one user's state; an empty id reads its own. */
  public Optional<Struct> getState(String userId) throws InterruptedException {
    requireSupport("get_state");
    Result r = ok(Command.newBuilder().setGetState(GetState.newBuilder().setUserId(userId)));
    return r.getState().hasState() ? Optional.of(r.getState().getState()) : Optional.empty();
  }

  /** Returns what one sync's callback was told so far, in order. */
  public List<Change> changes(String sync) {
    List<Change> out = new ArrayList<>();
    for (Timed t : sdk.reports()) {
      if (t.report().hasChange() && t.report().getChange().getSync().equals(sync)) {
        out.add(t.report().getChange());
      }
    }
    return out;
  }

  /** Returns a mark in the adapter's reports, for {@link #awaitChange}. */
  public int mark() {
    return sdk.mark();
  }

  /**
   * Waits for a callback of one sync at or after a mark, and fails the case when none comes in time.
   *
   * @param what the expected callback, for the failure message
   */
  public Timed awaitChange(int from, String sync, Predicate<Change> matching, String what)
      throws InterruptedException {
    return awaitReport(from, r -> r.hasChange() && r.getChange().getSync().equals(sync)
        && matching.test(r.getChange()), what);
  }

  /** Waits for any report at or after a mark, and fails the case when none comes in time. */
  public Timed awaitReport(int from, Predicate<Report> matching, String what) throws InterruptedException {
    return sdk.awaitReport(from, matching, timing.requestTimeout()).orElseThrow(() -> new CaseFailure(
        "expected " + what + " within " + timing.requestTimeout().toMillis() + " ms" + brokenNote()));
  }

  /** Returns every report at or after a mark, in order. */
  public List<Timed> reportsSince(int from) {
    List<Timed> all = sdk.reports();
    return all.subList(Math.min(from, all.size()), all.size());
  }

  /**
   * Returns a state that stands for one value in this case, carrying a marker the kit later looks for in the
   * adapter's log.
   *
   * @param label what the state stands for, kept in it so that reports can tell states apart
   */
  public Struct state(String label) {
    String marker = "kit-marker-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    markers.add(marker);
    return Struct.newBuilder()
        .putFields("label", Value.newBuilder().setStringValue(label).build())
        .putFields("marker", Value.newBuilder().setStringValue(marker).build())
        .build();
  }

  /** Returns the markers of every state made with {@link #state} that appear in the adapter's log. */
  public List<String> leakedMarkers() {
    String log = sdk.log();
    return markers.stream().filter(log::contains).sorted().toList();
  }

  /** Returns the label a state made with {@link #state} stands for, or a short form of any other state. */
  public static String label(Struct state) {
    Value label = state.getFieldsMap().get("label");
    return label != null ? label.getStringValue() : state.toString().replace('\n', ' ').strip();
  }

  /** Returns the case's run as one time line of frames and callbacks, for a failure report. */
  public String trace() {
    return ProbeTrace.of(server.calls(), sdk.reports());
  }

  /** Returns a failure to throw with this case's context. */
  public CaseFailure failure(String message) {
    return new CaseFailure(message + brokenNote());
  }

  private String brokenNote() {
    return sdk.broken().map(b -> "; the adapter broke: " + b).orElse("");
  }

  /** Ends the adapter, then the kit's server. */
  @Override
  public void close() {
    try {
      sdk.close();
    } finally {
      server.close();
    }
  }
}
