package dev.presence.server.it;

import static dev.presence.server.it.Events.x;
import static dev.presence.server.support.Frames.all;
import static dev.presence.server.support.Frames.subscribe;
import static dev.presence.server.support.Frames.update;
import static dev.presence.server.support.Frames.user;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.rpc.ErrorInfo;
import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.ErrorReason;
import dev.presence.protocol.v1.Follow;
import dev.presence.protocol.v1.Open;
import dev.presence.protocol.v1.ProtocolError;
import dev.presence.protocol.v1.Subscribe;
import dev.presence.protocol.v1.Unfollow;
import dev.presence.protocol.v1.UpdateState;
import dev.presence.server.support.Frames;
import dev.presence.server.support.MetricsScrape;
import dev.presence.server.support.Poll;
import dev.presence.server.support.RawCall;
import dev.presence.server.support.ServerFixture;
import dev.presence.server.support.TestSession;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * One thousand malformed or hostile frames over many sessions, each answered with the error or status
 * SPEC.md names. Afterwards no session or room is left behind, the counters agree with what was sent,
 * and a watcher in the same room and a pair in another room never noticed.
 */
class HostileFramesIT {
  private static final int TOTAL_FRAMES = 1000;
  private static final int MAX_SUBSCRIPTIONS = 4;
  private static final int MAX_STATE_BYTES = 1024;
  private static final int MAX_FRAME_BYTES = 4096;
  private static final String ROOM = "hostile";
  private static final String[] BAD_USER_IDS = {"", "   ", "a\u0000b", "tab\tin", "x".repeat(257)};
  private static final String[] BAD_SUBSCRIPTION_IDS = {"", "has space", "s".repeat(65), "ü", "a/b"};
  private static final String[] BAD_ROOM_IDS = {"", "has space", "r".repeat(129), "emoji-\uD83D\uDE00"};

  private final Random random = new Random(20261129L);
  private final Map<String, Integer> protocolErrors = new HashMap<>();
  private final Map<String, Integer> fatalErrors = new HashMap<>();
  private int sent;
  private int sessions;
  private ServerFixture fx;
  private ScheduledExecutorService calmWriter;

  @AfterEach
  void stop() throws Exception {
    if (calmWriter != null) {
      calmWriter.shutdownNow();
    }
    if (fx != null) {
      fx.close();
    }
  }

  /** What a hostile frame must get back: an error with this reason and request id, or a pong. */
  private record Answer(ErrorReason error, long requestId, long pongNonce) {
    static Answer error(ErrorReason reason, long requestId) {
      return new Answer(reason, requestId, 0);
    }

    static Answer pong(long nonce) {
      return new Answer(null, 0, nonce);
    }
  }

  @Test
  @DisplayName("PRS-ERR-1/PRS-ERR-4/PRS-OPN-*/PRS-SUB-*/PRS-FOL-1/PRS-STA-*/PRS-TRN-6/PRS-TRN-9: 1,000 hostile frames get the right answers, leak nothing, and disturb nobody")
  void thousandHostileFrames() throws Exception {
    fx = ServerFixture.startMetered(b -> b.maxSubscriptions(MAX_SUBSCRIPTIONS)
        .maxStateBytes(MAX_STATE_BYTES).maxInboundFrameBytes(MAX_FRAME_BYTES));
    TestSession observer = fx.openWatchingAll(ROOM, "observer");
    TestSession calmWatcher = fx.openWatchingAll("calm", "watcher");
    TestSession calm = fx.open("calm", "writer");
    AtomicInteger calmValue = new AtomicInteger();
    calmWriter = Executors.newSingleThreadScheduledExecutor();
    calmWriter.scheduleAtFixedRate(() -> calm.send(update(calmValue.incrementAndGet())), 0, 20, TimeUnit.MILLISECONDS);

    List<ManagedChannel> channels = List.of(fx.channel(), fx.channel(), fx.channel(), fx.channel());
    while (sent < TOTAL_FRAMES) {
      ManagedChannel channel = channels.get(sessions++ % channels.size());
      int kind = random.nextInt(10);
      if (kind < 3) {
        fatalBeforeOpen(channel);
      } else if (kind == 3) {
        garbageBytes(channel);
      } else if (kind == 4) {
        oversizedFrameAfterOpen(channel);
      } else {
        openSessionScript(channel, Math.min(TOTAL_FRAMES - sent, 10 + random.nextInt(30)));
      }
      // The unrelated pair keeps flowing throughout, checked between hostile sessions.
      if (sessions % 10 == 0) {
        int now = calmValue.get();
        calmWatcher.awaitEvent("writer", e -> e.hasState() && e.getState().getFieldsOrThrow("x").getNumberValue() >= now);
      }
    }
    assertThat(sent).isEqualTo(TOTAL_FRAMES);
    assertThat(sessions).isGreaterThanOrEqualTo(40);

    // No leaks: only the three well-behaved sessions and their two rooms remain.
    Poll.until("hostile sessions and rooms gone", Duration.ofSeconds(10),
        () -> fx.server().sessionCount() == 3 && fx.server().roomCount() == 2,
        () -> "sessions=" + fx.server().sessionCount() + " rooms=" + fx.server().roomCount());
    MetricsScrape metrics = fx.scrape("/metrics");
    assertThat(metrics.value("presence_sessions")).isEqualTo(3);
    assertThat(metrics.value("presence_rooms")).isEqualTo(2);
    protocolErrors.forEach((reason, count) -> assertThat(
        metrics.value("presence_errors_protocol_total", Map.of("reason", reason))).as(reason).isEqualTo(count.doubleValue()));
    fatalErrors.forEach((reason, count) -> assertThat(
        metrics.value("presence_errors_fatal_total", Map.of("reason", reason))).as(reason).isEqualTo(count.doubleValue()));

    // The watcher in the hostile room saw presence and membership only, never an error, and still works.
    observer.sync();
    assertThat(observer.history()).noneMatch(r -> r.frame().hasError());
    calmWriter.shutdown();
    assertThat(calmWriter.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    calmWatcher.awaitEvent("writer", x(calmValue.get()));
  }

  private void count(Map<String, Integer> counts, ErrorReason reason) {
    counts.merge(reason.name().substring("ERROR_REASON_".length()), 1, Integer::sum);
  }

  /** PRS-OPN-1/2/3, PRS-IDN-3, PRS-TRN-6: the first frame is wrong, so the call ends before opened. */
  private void fatalBeforeOpen(ManagedChannel channel) {
    String u = "pre" + sessions;
    ConnectRequest frame;
    ErrorReason reason;
    Status.Code code;
    switch (random.nextInt(6)) {
      case 0 -> {
        frame = update(1);
        reason = ErrorReason.ERROR_REASON_OPEN_REQUIRED;
        code = Status.Code.INVALID_ARGUMENT;
      }
      case 1 -> {
        frame = ConnectRequest.newBuilder().setRequestId(5).build();
        reason = ErrorReason.ERROR_REASON_OPEN_REQUIRED;
        code = Status.Code.INVALID_ARGUMENT;
      }
      case 2 -> {
        frame = Frames.open(pick(BAD_ROOM_IDS), u);
        reason = ErrorReason.ERROR_REASON_INVALID_ROOM_ID;
        code = Status.Code.INVALID_ARGUMENT;
      }
      case 3 -> {
        frame = ConnectRequest.newBuilder().setOpen(Frames.open(ROOM, u).getOpen().toBuilder()
            .setProtocolVersion(random.nextBoolean() ? 0 : 2)).build();
        reason = ErrorReason.ERROR_REASON_UNSUPPORTED_VERSION;
        code = Status.Code.FAILED_PRECONDITION;
      }
      case 4 -> {
        frame = ConnectRequest.newBuilder().setOpen(Frames.open(ROOM, u).getOpen().toBuilder()
            .setDevUserId(pick(BAD_USER_IDS))).build();
        reason = ErrorReason.ERROR_REASON_UNAUTHENTICATED;
        code = Status.Code.UNAUTHENTICATED;
      }
      default -> {
        frame = ConnectRequest.newBuilder().setOpen(Open.newBuilder().setRoomId(ROOM).setProtocolVersion(1)
            .setDevUserId(u).setClientAgent("z".repeat(MAX_FRAME_BYTES + 10))).build();
        reason = ErrorReason.ERROR_REASON_FRAME_TOO_LARGE;
        code = Status.Code.RESOURCE_EXHAUSTED;
      }
    }
    TestSession s = TestSession.connect(channel);
    s.send(frame);
    sent++;
    ErrorInfo info = s.awaitErrorInfo();
    assertThat(s.awaitClose().getCode()).as("status for %s", reason).isEqualTo(code);
    assertThat(info.getReason()).isEqualTo(reason.name().substring("ERROR_REASON_".length()));
    assertThat(s.history()).as("nothing before the end of a refused call (PRS-OPN-5)").isEmpty();
    count(fatalErrors, reason);
  }

  /**
   * Bytes that are not a ConnectRequest at all (PRS-TRN-9). As the first frame they end the call
   * INVALID_ARGUMENT / MALFORMED_FRAME; after open they get ProtocolError MALFORMED_FRAME and the session goes on.
   */
  private void garbageBytes(ManagedChannel channel) throws Exception {
    RawCall raw = RawCall.start(channel);
    boolean first = random.nextBoolean();
    if (!first) {
      raw.send(Frames.open(ROOM, "garbage" + sessions).toByteArray());
    }
    byte[] garbage = new byte[1 + random.nextInt(64)];
    random.nextBytes(garbage);
    // Wire type 7 does not exist, so no prefix of this can parse.
    garbage[0] = (byte) 0x0F;
    raw.send(garbage);
    sent++;
    if (first) {
      assertThat(raw.awaitErrorInfo().getReason()).isEqualTo("MALFORMED_FRAME");
      assertThat(raw.awaitClose().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
      count(fatalErrors, ErrorReason.ERROR_REASON_MALFORMED_FRAME);
      return;
    }
    ConnectResponse error = ConnectResponse.parseFrom(raw.awaitMessage(ConnectResponse::hasError));
    assertThat(error.getError().getReason()).isEqualTo(ErrorReason.ERROR_REASON_MALFORMED_FRAME);
    assertThat(error.getError().getRequestId()).isZero();
    count(protocolErrors, ErrorReason.ERROR_REASON_MALFORMED_FRAME);
    raw.send(Frames.leave().toByteArray());
    assertThat(raw.awaitClose().getCode()).isEqualTo(Status.Code.OK);
  }

  /** PRS-TRN-6 on an open session: the call ends RESOURCE_EXHAUSTED/FRAME_TOO_LARGE. */
  private void oversizedFrameAfterOpen(ManagedChannel channel) {
    TestSession s = TestSession.open(channel, ROOM, "big" + sessions);
    s.send(ConnectRequest.newBuilder().setUpdateState(UpdateState.newBuilder().setState(bigState(MAX_FRAME_BYTES + 100)))
        .build());
    sent++;
    ErrorInfo info = s.awaitErrorInfo();
    assertThat(s.awaitClose().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(info.getReason()).isEqualTo("FRAME_TOO_LARGE");
    count(fatalErrors, ErrorReason.ERROR_REASON_FRAME_TOO_LARGE);
  }

  /** A session that opens properly, then sends a mix of bad frames, each answered in order. */
  private void openSessionScript(ManagedChannel channel, int frames) {
    TestSession s = TestSession.open(channel, ROOM, "h" + sessions);
    List<Answer> expected = new ArrayList<>();
    int validSubscriptions = 0;
    long rid = 1000;
    int i = 0;
    while (i < frames) {
      rid++;
      switch (random.nextInt(14)) {
        case 0 -> {
          s.send(ConnectRequest.newBuilder().setRequestId(rid).build());
          expected.add(Answer.error(ErrorReason.ERROR_REASON_UNSUPPORTED_FRAME, rid));
        }
        case 1 -> {
          s.send(Frames.open(ROOM, "someone-else").toBuilder().setRequestId(rid).build());
          expected.add(Answer.error(ErrorReason.ERROR_REASON_ALREADY_OPEN, rid));
        }
        case 2 -> {
          s.send(subscribe(rid, pick(BAD_SUBSCRIPTION_IDS), all()));
          expected.add(Answer.error(ErrorReason.ERROR_REASON_INVALID_SUBSCRIPTION_ID, rid));
        }
        case 3 -> {
          s.send(ConnectRequest.newBuilder().setRequestId(rid)
              .setSubscribe(Subscribe.newBuilder().setSubscriptionId("no-target")).build());
          expected.add(Answer.error(ErrorReason.ERROR_REASON_TARGET_MISSING, rid));
        }
        case 4 -> {
          s.send(subscribe(rid, "bad-user", user(pick(BAD_USER_IDS))));
          expected.add(Answer.error(ErrorReason.ERROR_REASON_INVALID_USER_ID, rid));
        }
        case 5 -> {
          s.send(ConnectRequest.newBuilder().setRequestId(rid).setUpdateState(UpdateState.getDefaultInstance()).build());
          expected.add(Answer.error(ErrorReason.ERROR_REASON_STATE_MISSING, rid));
        }
        case 6 -> {
          s.send(ConnectRequest.newBuilder().setRequestId(rid)
              .setUpdateState(UpdateState.newBuilder().setState(bigState(MAX_STATE_BYTES + 1 + random.nextInt(500))))
              .build());
          expected.add(Answer.error(ErrorReason.ERROR_REASON_STATE_TOO_LARGE, rid));
        }
        case 7 -> {
          s.send(Frames.unsubscribe(rid, "ghost-" + rid));
          expected.add(Answer.error(ErrorReason.ERROR_REASON_UNKNOWN_SUBSCRIPTION, rid));
        }
        case 8 -> {
          s.send(Frames.follow(0, "someone"));
          expected.add(Answer.error(ErrorReason.ERROR_REASON_REQUEST_ID_MISSING, 0));
        }
        case 9 -> {
          boolean follow = random.nextBoolean();
          ConnectRequest.Builder f = ConnectRequest.newBuilder().setRequestId(rid);
          String bad = pick(BAD_USER_IDS);
          s.send(follow ? f.setFollow(Follow.newBuilder().setUserId(bad)).build()
              : f.setUnfollow(Unfollow.newBuilder().setUserId(bad)).build());
          expected.add(Answer.error(ErrorReason.ERROR_REASON_INVALID_USER_ID, rid));
        }
        case 10 -> {
          // Ping flood: every ping is answered, in order, unthrottled (PRS-LIV-3).
          int n = Math.min(frames - i, 5 + random.nextInt(20));
          for (int k = 0; k < n; k++) {
            long nonce = rid * 100 + k;
            s.send(Frames.ping(nonce));
            expected.add(Answer.pong(nonce));
          }
          sent += n;
          i += n;
          continue;
        }
        case 11 -> {
          // A burst of updates far faster than W: coalesced, never an error (PRS-THR-5).
          int n = Math.min(frames - i, 5 + random.nextInt(40));
          for (int k = 0; k < n; k++) {
            s.send(update(k));
          }
          sent += n;
          i += n;
          continue;
        }
        case 12 -> {
          if (validSubscriptions < MAX_SUBSCRIPTIONS) {
            // Not hostile by itself; fills the subscription budget so the next one is refused.
            s.send(subscribe(rid, "ok-" + validSubscriptions, user("nobody-" + rid)));
            validSubscriptions++;
            continue;
          }
          s.send(subscribe(rid, "one-too-many", all()));
          expected.add(Answer.error(ErrorReason.ERROR_REASON_TOO_MANY_SUBSCRIPTIONS, rid));
        }
        default -> {
          s.send(Frames.follow(rid, pick(BAD_USER_IDS)));
          expected.add(Answer.error(ErrorReason.ERROR_REASON_INVALID_USER_ID, rid));
        }
      }
      sent++;
      i++;
    }
    s.sync();
    List<Answer> answered = new ArrayList<>();
    for (TestSession.Received r : s.history()) {
      if (r.frame().hasError()) {
        ProtocolError e = r.frame().getError();
        answered.add(Answer.error(e.getReason(), e.getRequestId()));
        // sync() pings with a nanoTime nonce, far above the flood nonces.
      } else if (r.frame().hasPong() && r.frame().getPong().getNonce() < 1_000_000_000L) {
        answered.add(Answer.pong(r.frame().getPong().getNonce()));
      }
    }
    assertThat(answered).as("answers of session %s, in order", sessions).isEqualTo(expected);
    for (Answer a : expected) {
      if (a.error() != null) {
        count(protocolErrors, a.error());
      }
    }
    // Every way out must release the session: leave, half-close or cancel.
    switch (random.nextInt(3)) {
      case 0 -> s.send(Frames.leave());
      case 1 -> s.halfClose();
      default -> s.cancel();
    }
  }

  private String pick(String[] options) {
    return options[random.nextInt(options.length)];
  }

  private static Struct bigState(int bytes) {
    return Struct.newBuilder().putFields("pad", Value.newBuilder().setStringValue("q".repeat(bytes)).build()).build();
  }
}
