package dev.presence.conformance.transcript;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.Struct;
import com.google.protobuf.TextFormat;
import com.google.protobuf.Value;
import dev.presence.conformance.driver.Endpoint;
import dev.presence.conformance.driver.FaultyPath;
import dev.presence.conformance.driver.TcpFaultProxy;
import dev.presence.conformance.driver.Timing;
import dev.presence.conformance.history.History;
import dev.presence.conformance.history.Traces;
import dev.presence.conformance.transcript.Step.Expected;
import dev.presence.conformance.noise.TimingMiss;
import dev.presence.conformance.transcript.TranscriptResult.Outcome;
import dev.presence.conformance.transcript.TranscriptTarget.Server;
import dev.presence.conformance.transcript.WireSession.Item;
import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.Limits;
import dev.presence.protocol.v1.Open;
import dev.presence.protocol.v1.PresenceEvent;
import dev.presence.protocol.v1.UpdateState;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/** One replay of one transcript: its sessions, their expectations and the first line that fails. */
final class Run {

  private static final int DEFAULT_MAX_INBOUND_FRAME_BYTES = 65536;

  private final Transcript transcript;
  private final Server server;
  private final Timing timing;
  private static final long MIN_GRACE_NANOS = Duration.ofSeconds(1).toNanos();
  private static final long MAX_GRACE_NANOS = Duration.ofSeconds(5).toNanos();

  private final String room;
  private final History history = History.systemClock();
  private final Map<String, WireSession> sessions = new LinkedHashMap<>();
  private final Map<String, Limits> limits = new HashMap<>();
  private final Map<String, List<Skippable>> skippable = new HashMap<>();
  private final Map<String, TcpFaultProxy> proxies = new HashMap<>();
  private final java.util.Set<String> blackholed = new java.util.HashSet<>();
  private final List<AutoCloseable> resources = new ArrayList<>();
  private Limits latestLimits = Limits.getDefaultInstance();
  private long lastActionNanos = System.nanoTime();

  Run(Transcript transcript, Server server, Timing timing) {
    this.transcript = transcript;
    this.server = server;
    this.timing = timing;
    this.room = freshRoom(transcript.name());
  }

  /** A room id no other replay uses, so that user ids need no prefix: membership is per room. */
  static String freshRoom(String name) {
    String safe = name.replaceAll("[^A-Za-z0-9._:~-]", "-");
    return "t-" + safe.substring(0, Math.min(safe.length(), 80)) + "-"
        + Long.toHexString(ThreadLocalRandom.current().nextLong());
  }

  TranscriptResult execute() throws InterruptedException {
    try {
      for (Step step : transcript.steps()) {
        run(step);
      }
      leftovers();
      return new TranscriptResult(transcript.name(), transcript.title(), transcript.rules(), Outcome.PASS, 0, "",
          "");
    } catch (Mismatch m) {
      String where = transcript.steps().stream().filter(st -> st.line() == m.line).map(Step::text).findFirst()
          .map(text -> "line " + m.line + " `" + text + "`: ").orElse("");
      return new TranscriptResult(transcript.name(), transcript.title(), transcript.rules(), Outcome.FAIL, m.line,
          where + m.getMessage(), Traces.of(history.snapshot()), m.timing,
          m.timing == null ? List.of() : history.snapshot());
    } finally {
      sessions.values().forEach(WireSession::cancel);
      for (AutoCloseable r : resources) {
        try {
          r.close();
        } catch (Exception ignored) {
          // A proxy or channel of a finished transcript; closing is best effort.
        }
      }
    }
  }

  private void run(Step step) throws InterruptedException {
    if (step instanceof Step.Send s) {
      session(s.session()).send(frame(s));
      lastActionNanos = System.nanoTime();
    } else if (step instanceof Step.Expect e) {
      expect(e);
    } else if (step instanceof Step.Quiet q) {
      quiet(q);
    } else {
      act((Step.Action) step);
    }
  }

  private byte[] frame(Step.Send s) {
    if (s.template().isEmpty()) {
      return s.raw();
    }
    try {
      ConnectRequest.Builder b = ConnectRequest.newBuilder();
      TextFormat.merge(s.template().get().replace(TranscriptParser.ROOM, room), b);
      return b.build().toByteArray();
    } catch (TextFormat.ParseException e) {
      throw new Mismatch(s.line(), "the frame does not parse: " + e.getMessage());
    }
  }

  private void act(Step.Action a) throws InterruptedException {
    switch (a.verb()) {
      case JOIN -> join(a);
      case CONNECT -> start(a);
      case PROXY -> proxy(a);
      case BLACKHOLE -> {
        proxyOf(a).blackhole();
        blackholed.add(a.session());
      }
      case CANCEL -> session(a.session()).cancel();
      case HALF_CLOSE -> session(a.session()).halfClose();
      case SEND_OVERSIZED -> session(a.session()).send(oversized(a));
      case DRAIN_SERVER -> {
        Thread drain = new Thread(server.drain(), "transcript-drain");
        drain.setDaemon(true);
        drain.start();
      }
    }
    lastActionNanos = System.nanoTime();
  }

  private void join(Step.Action a) throws InterruptedException {
    String user = userOf(a.session());
    Open.Builder open = Open.newBuilder().setRoomId(room).setProtocolVersion(1)
        .setClientAgent("presence-conformance transcripts");
    if (transcript.auth() == Transcript.Auth.DEV) {
      open.setDevUserId(user).setDevDisplayName(user);
    }
    start(a).send(ConnectRequest.newBuilder().setOpen(open).build().toByteArray());
    lastActionNanos = System.nanoTime();
    ConnectResponse opened = ConnectResponse.newBuilder().setOpened(dev.presence.protocol.v1.Opened.newBuilder()
        .setSelf(dev.presence.protocol.v1.User.newBuilder().setUserId(user))).build();
    expect(new Step.Expect(a.line(), a.text(), a.session(), List.of(new Step.ExpectedFrame(opened)),
        Step.Repeat.ONCE, Optional.empty()));
  }

  private void proxy(Step.Action a) {
    if (sessions.containsKey(a.session())) {
      throw new Mismatch(a.line(), "'proxy' must come before the session's first frame");
    }
    try {
      FaultyPath path = FaultyPath.to(nextEndpoint());
      resources.add(path);
      proxies.put(a.session(), path.proxy());
      sessions.put(a.session(), call(a.session(), path.endpoint(), Step.Token.DEFAULT));
    } catch (IOException e) {
      throw new Mismatch(a.line(), "could not start the fault proxy: " + e.getMessage());
    }
  }

  private TcpFaultProxy proxyOf(Step.Action a) {
    TcpFaultProxy proxy = proxies.get(a.session());
    if (proxy == null) {
      throw new Mismatch(a.line(), "'blackhole' needs a session started with 'proxy'");
    }
    return proxy;
  }

  /** An update_state whose encoding is the argument times max_inbound_frame_bytes, so a valid frame but too big. */
  private byte[] oversized(Step.Action a) {
    long limit = limits.containsKey(a.session())
        ? Integer.toUnsignedLong(limits.get(a.session()).getMaxInboundFrameBytes())
        : Long.parseLong(transcript.settings().getOrDefault("max_inbound_frame_bytes",
            Integer.toString(DEFAULT_MAX_INBOUND_FRAME_BYTES)));
    int size = (int) Math.ceil(Double.parseDouble(a.argument()) * limit);
    int padding = size;
    ConnectRequest frame;
    do {
      frame = ConnectRequest.newBuilder().setUpdateState(UpdateState.newBuilder().setState(Struct.newBuilder()
          .putFields("pad", Value.newBuilder().setStringValue("x".repeat(padding)).build()))).build();
      padding -= frame.getSerializedSize() - size;
    } while (frame.getSerializedSize() > size);
    return frame.toByteArray();
  }

  private void expect(Step.Expect e) throws InterruptedException {
    WireSession s = existing(e);
    if (e.repeat() != Step.Repeat.ONCE) {
      for (Expected x : e.expected()) {
        skippable.computeIfAbsent(e.session(), k -> new ArrayList<>())
            .add(new Skippable(x, e.repeat() == Step.Repeat.OPTIONAL ? 1 : Integer.MAX_VALUE));
      }
      return;
    }
    long deadline = deadline(e.line(), e.within());
    for (Expected want : e.expected()) {
      while (true) {
        long left = deadline - System.nanoTime();
        Optional<Item> got = s.next(Duration.ofNanos(Math.max(0, left)));
        if (got.isEmpty()) {
          throw lateOrMissing(e.line(), e.session(), s, want, deadline);
        }
        if (matches(want, got.get())) {
          remember(e.session(), got.get());
          break;
        }
        if (!skipped(e.session(), got.get())) {
          throw new Mismatch(e.line(), "expected " + describe(want) + "; got " + describe(got.get()));
        }
      }
    }
    skippable.remove(e.session());
  }

  /**
   * Keeps waiting a grace period past a missed deadline, so the failure says by how much the item was late, or
   * that it never came; the suite weighs that against its own noise.
   */
  private Mismatch lateOrMissing(int line, String session, WireSession s, Expected want, long deadline) throws InterruptedException {
    long bound = deadline - lastActionNanos;
    long graceEnd = System.nanoTime() + Math.min(MAX_GRACE_NANOS, Math.max(MIN_GRACE_NANOS, bound));
    String expected = "expected " + describe(want) + " within " + Duration.ofNanos(bound).toMillis() + " ms";
    while (true) {
      long left = graceEnd - System.nanoTime();
      Optional<Item> got = left > 0 ? s.next(Duration.ofNanos(left)) : Optional.empty();
      long now = System.nanoTime();
      if (got.isEmpty()) {
        return new Mismatch(line, expected + "; nothing arrived, nor in " + Duration.ofNanos(now - deadline)
            .toMillis() + " ms more", new TimingMiss(now - deadline, lastActionNanos, now));
      }
      if (matches(want, got.get())) {
        return new Mismatch(line, String.format("%s; it came %.1f ms late", expected, (now - deadline) / 1e6),
            new TimingMiss(Math.max(0, now - deadline), lastActionNanos, now));
      }
      if (!skipped(session, got.get())) {
        return new Mismatch(line, expected + "; got " + describe(got.get()));
      }
    }
  }

  private void quiet(Step.Quiet q) throws InterruptedException {
    WireSession s = existing(q.session(), q.line());
    long deadline = q.within().isPresent() ? deadline(q.line(), q.within())
        : System.nanoTime() + Duration.ofMillis(latestLimits.getThrottleWindowMillis() + 25L).toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return;
      }
      Optional<Item> got = s.next(Duration.ofNanos(left));
      if (got.isPresent() && !skipped(q.session(), got.get())) {
        throw new Mismatch(q.line(), "expected nothing; got " + describe(got.get()));
      }
    }
  }

  /**
   * After the last line, every item received so far must have been expected, except on blackholed sessions, whose
   * calls end however the silenced network makes them.
   */
  private void leftovers() {
    for (Map.Entry<String, WireSession> e : sessions.entrySet()) {
      if (blackholed.contains(e.getKey())) {
        continue;
      }
      for (Item item : e.getValue().unreadItems()) {
        if (!skipped(e.getKey(), item)) {
          throw new Mismatch(0, "after the last line, " + e.getKey() + " received an unexpected "
              + describe(item));
        }
      }
    }
  }

  private boolean skipped(String session, Item item) {
    for (Skippable s : skippable.getOrDefault(session, List.of())) {
      if (s.left > 0 && matches(s.expected, item)) {
        s.left--;
        return true;
      }
    }
    return false;
  }

  private void remember(String session, Item item) {
    if (item instanceof WireSession.FrameItem f && f.frame().hasOpened()) {
      limits.put(session, f.frame().getOpened().getLimits());
      latestLimits = f.frame().getOpened().getLimits();
    }
  }

  private static boolean matches(Expected want, Item got) {
    if (want instanceof Step.ExpectedFrame f) {
      return got instanceof WireSession.FrameItem i && PartialMatch.matches(f.frame(), i.frame());
    }
    if (want instanceof Step.ExpectedEvent ev) {
      return got instanceof WireSession.EventItem i && PartialMatch.matches(ev.event(), i.event());
    }
    Step.ExpectedEnd end = (Step.ExpectedEnd) want;
    return got instanceof WireSession.EndItem i
        && i.end().code().name().equals(end.code())
        && i.end().errorInfoReason().equals(end.reason())
        && i.end().errorInfoMetadata().entrySet().containsAll(end.metadata().entrySet());
  }

  private long deadline(int line, Optional<String> within) {
    if (within.isEmpty()) {
      return System.nanoTime() + timing.requestTimeout().toNanos();
    }
    long millis = timing.slackMillis();
    for (String term : within.get().split("\\+")) {
      millis += termMillis(line, term.strip());
    }
    return lastActionNanos + Duration.ofMillis(millis).toNanos();
  }

  private long termMillis(int line, String term) {
    if (term.matches("[0-9]+ms")) {
      return Long.parseLong(term.substring(0, term.length() - 2));
    }
    if (term.matches("[0-9]+s")) {
      return 1000 * Long.parseLong(term.substring(0, term.length() - 1));
    }
    FieldDescriptor field = Limits.getDescriptor().findFieldByName(term);
    if (field != null && latestLimits.hasField(field)) {
      return Integer.toUnsignedLong((Integer) latestLimits.getField(field));
    }
    String setting = transcript.settings().get(term);
    if (setting != null) {
      return Long.parseLong(setting);
    }
    throw new Mismatch(line, "'" + term + "' is neither a duration, an advertised limit nor a server setting");
  }

  private WireSession session(String name) {
    return sessions.computeIfAbsent(name, n -> call(n, nextEndpoint(), Step.Token.DEFAULT));
  }

  /** Starts the session's call, with the token the step names if it names one. */
  private WireSession start(Step.Action a) {
    if (a.token().isEmpty()) {
      return session(a.session());
    }
    if (sessions.containsKey(a.session())) {
      throw new Mismatch(a.line(), "'token' must come with the session's first step");
    }
    WireSession s = call(a.session(), nextEndpoint(), a.token().get());
    sessions.put(a.session(), s);
    return s;
  }

  /** The endpoint of the transcript's next session: its sessions take the server's endpoints in turn. */
  private Endpoint nextEndpoint() {
    return server.endpoints().forSession(sessions.size());
  }

  /** A call that claims its identity with a dev_user_id in its open, or with a bearer token minted now. */
  private WireSession call(String name, Endpoint endpoint, Step.Token token) {
    if (transcript.auth() == Transcript.Auth.DEV) {
      return WireSession.start(name, endpoint, history);
    }
    return WireSession.start(name, endpoint, server.minter().mint(token.claims(userOf(name), room)), history);
  }

  private WireSession existing(Step.Expect e) {
    return existing(e.session(), e.line());
  }

  private WireSession existing(String name, int line) {
    WireSession s = sessions.get(name);
    if (s == null) {
      throw new Mismatch(line, "session " + name + " has not started");
    }
    return s;
  }

  private static String userOf(String session) {
    return session.split("/", 2)[0];
  }

  private static String describe(Expected e) {
    if (e instanceof Step.ExpectedEnd end) {
      return "end " + end.code() + (end.reason().isEmpty() ? "" : " " + end.reason())
          + (end.metadata().isEmpty() ? "" : " " + end.metadata());
    }
    return describe(e instanceof Step.ExpectedFrame f ? f.frame() : ((Step.ExpectedEvent) e).event());
  }

  private static String describe(Item item) {
    if (item instanceof WireSession.EndItem end) {
      return "end " + end.end().code() + " '" + end.end().errorInfoReason() + "' " + end.end().errorInfoMetadata()
          + " (" + end.end().description() + ")";
    }
    return describe(item instanceof WireSession.FrameItem f ? f.frame() : ((WireSession.EventItem) item).event());
  }

  /** A frame reads as its text format; an event, which comes flattened out of its presence frame, says so. */
  private static String describe(MessageOrBuilder frameOrEvent) {
    String text = TextFormat.printer().emittingSingleLine(true).printToString(frameOrEvent);
    return frameOrEvent instanceof PresenceEvent ? "presence event " + text : text;
  }

  /** An optional or repeatable expectation, with how often it may still match. */
  private static final class Skippable {
    final Expected expected;
    int left;

    Skippable(Expected expected, int left) {
      this.expected = expected;
      this.left = left;
    }
  }

  /** The first line that did not hold. */
  private static final class Mismatch extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int line;
    final transient TimingMiss timing;

    Mismatch(int line, String message) {
      this(line, message, null);
    }

    Mismatch(int line, String message, TimingMiss timing) {
      super(message, null, false, false);
      this.line = line;
      this.timing = timing;
    }
  }
}
