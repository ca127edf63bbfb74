package dev.presence.server.it;

import static dev.presence.server.it.Events.nullWith;
import static dev.presence.server.it.Events.x;
import static dev.presence.server.support.Frames.all;
import static dev.presence.server.support.Frames.subscribe;
import static dev.presence.server.support.Frames.unsubscribe;
import static dev.presence.server.support.Frames.update;
import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.NullReason;
import dev.presence.protocol.v1.UpdateState;
import dev.presence.server.config.ServerConfig;
import dev.presence.server.support.MetricsScrape;
import dev.presence.server.support.Poll;
import dev.presence.server.support.TestSession;
import dev.presence.server.support.WithMeteredServer;
import io.grpc.Status;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The Prometheus endpoint, scraped over HTTP while sessions come and go. */
class MetricsIT extends WithMeteredServer {
  private MetricsScrape scrape() throws Exception {
    return fx.scrape("/metrics");
  }

  @Test
  @DisplayName("GET /metrics serves the text format; other paths are 404")
  void endpoint() throws Exception {
    assertThat(fx.config().metricsPort()).isEqualTo(ServerConfig.ANY_FREE_PORT);
    assertThat(fx.server().metricsPort()).isPositive();
    MetricsScrape s = scrape();
    assertThat(s.status()).isEqualTo(200);
    assertThat(s.contentType()).startsWith("text/plain");
    assertThat(s.value("presence_sessions")).isZero();
    assertThat(s.value("presence_rooms")).isZero();
    assertThat(fx.scrape("/").status()).isEqualTo(404);
  }

  @Test
  @DisplayName("Gauges, counters and the fan-out latency histogram move with traffic; no user id or state in any label")
  void valuesMove() throws Exception {
    MetricsScrape before = scrape();
    double latencyCountBefore = before.value("presence_fanout_latency_seconds_count");

    TestSession bob = fx.openWatchingAll("metrics-room", "bob-secret-id");
    TestSession alice = fx.open("metrics-room", "alice-secret-id");
    alice.send(update(dev.presence.server.support.Frames.state("payload-marker", 1)));
    bob.awaitEvent("alice-secret-id", e -> e.hasState());
    alice.send(update(2));
    bob.awaitEvent("alice-secret-id", x(2));
    // A state missing its value is a protocol error; an unknown subscription another.
    alice.send(ConnectRequest.newBuilder().setRequestId(7).setUpdateState(UpdateState.getDefaultInstance()).build());
    alice.await("STATE_MISSING", ConnectResponse::hasError);
    alice.send(unsubscribe(8, "nope"));
    alice.await("UNKNOWN_SUBSCRIPTION", ConnectResponse::hasError);

    MetricsScrape during = scrape();
    assertThat(during.value("presence_sessions")).isEqualTo(2);
    assertThat(during.value("presence_rooms")).isEqualTo(1);
    assertThat(during.value("presence_subscriptions")).isEqualTo(1);
    assertThat(during.value("presence_updates_in_total", Map.of("kind", "update"))).isEqualTo(2);
    assertThat(during.value("presence_events_out_total", Map.of("kind", "live"))).isGreaterThanOrEqualTo(2);
    assertThat(during.value("presence_errors_protocol_total", Map.of("reason", "STATE_MISSING"))).isEqualTo(1);
    assertThat(during.value("presence_errors_protocol_total", Map.of("reason", "UNKNOWN_SUBSCRIPTION")))
        .isEqualTo(1);
    assertThat(during.value("presence_fanout_latency_seconds_count")).isGreaterThan(latencyCountBefore);
    assertThat(during.body()).contains("presence_fanout_latency_seconds_bucket");

    alice.cancel();
    bob.awaitEvent("alice-secret-id", nullWith(NullReason.NULL_REASON_LEFT));
    TestSession carol = TestSession.connect(fx.channel());
    carol.send(dev.presence.server.support.Frames.update(1));
    assertThat(carol.awaitClose().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    bob.halfClose();
    bob.awaitClose();
    Poll.until("sessions and rooms back to zero", Duration.ofSeconds(5),
        () -> fx.server().sessionCount() == 0 && fx.server().roomCount() == 0, () -> fx.server().sessionCount());

    MetricsScrape after = scrape();
    assertThat(after.value("presence_sessions")).isZero();
    assertThat(after.value("presence_rooms")).isZero();
    assertThat(after.value("presence_subscriptions")).isZero();
    assertThat(after.value("presence_nulls_out_total", Map.of("reason", "LEFT"))).isEqualTo(1);
    assertThat(after.value("presence_errors_fatal_total", Map.of("code", "INVALID_ARGUMENT", "reason", "OPEN_REQUIRED")))
        .isEqualTo(1);
    assertThat(after.value("presence_sessions_ended_total", Map.of("how", "cancel"))).isEqualTo(1);
    assertThat(after.value("presence_sessions_ended_total", Map.of("how", "half_close"))).isEqualTo(1);
    // PRS-STA-6: neither user ids nor anything from a state may become a label or a value name.
    assertThat(after.body()).doesNotContain("secret-id").doesNotContain("payload-marker");
  }

  @Test
  @DisplayName("PRS-THR-5: states replaced before delivery are counted as coalesced at ingress")
  void coalescingIsCounted() throws Exception {
    TestSession bob = fx.openWatchingAll("metrics-room", "bob");
    TestSession alice = fx.open("metrics-room", "alice");
    for (int i = 1; i <= 200; i++) {
      alice.send(update(i));
    }
    bob.awaitEvent("alice", x(200));
    MetricsScrape s = scrape();
    // 200 states reached the room; bob cannot have received more than one per window, the rest were coalesced.
    double delivered = s.value("presence_events_out_total", Map.of("kind", "live"));
    double coalesced = s.value("presence_states_coalesced_total", Map.of("stage", "ingress"))
        + s.value("presence_states_coalesced_total", Map.of("stage", "subscriber"));
    assertThat(s.value("presence_updates_in_total", Map.of("kind", "update"))).isEqualTo(200);
    assertThat(coalesced).isGreaterThan(0);
    assertThat(delivered + coalesced).isGreaterThanOrEqualTo(200);
  }
}
