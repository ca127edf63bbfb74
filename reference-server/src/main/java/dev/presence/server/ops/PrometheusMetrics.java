package dev.presence.server.ops;

import dev.presence.protocol.v1.ErrorReason;
import dev.presence.protocol.v1.NullReason;
import dev.presence.server.internal.Fatal;
import dev.presence.server.internal.Metrics;
import dev.presence.server.session.SessionEnd;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * {@link Metrics} on a Micrometer Prometheus registry. Every label value comes from a closed enum
 * (reasons, codes, stages), so the series count is fixed and no payload or user id can become a label.
 * Counters are created up front and kept in enum maps: recording is a map read and an add.
 */
public final class PrometheusMetrics implements Metrics {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Counter updates;
  private final Counter clears;
  private final Counter liveEvents;
  private final Counter taggedEvents;
  private final Map<CoalesceStage, Counter> coalesced = new EnumMap<>(CoalesceStage.class);
  private final Map<NullReason, Counter> nulls = new EnumMap<>(NullReason.class);
  private final Map<ErrorReason, Counter> protocolErrors = new EnumMap<>(ErrorReason.class);
  private final Map<ErrorReason, Counter> fatalErrors = new EnumMap<>(ErrorReason.class);
  private final Map<SessionEnd, Counter> sessionEnds = new EnumMap<>(SessionEnd.class);
  private final Timer fanoutLatency;
  private final AtomicLong subscriptions = new AtomicLong();

  /** Registers every meter with a zero value, so dashboards see each series from the start. */
  public PrometheusMetrics() {
    updates = Counter.builder("presence.updates.in").description("State frames accepted from clients")
        .tag("kind", "update").register(registry);
    clears = Counter.builder("presence.updates.in").description("State frames accepted from clients")
        .tag("kind", "clear").register(registry);
    liveEvents = Counter.builder("presence.events.out").description("Presence events written to sessions")
        .tag("kind", "live").register(registry);
    taggedEvents = Counter.builder("presence.events.out").description("Presence events written to sessions")
        .tag("kind", "tagged").register(registry);
    for (CoalesceStage stage : CoalesceStage.values()) {
      coalesced.put(stage, Counter.builder("presence.states.coalesced")
          .description("Pending states replaced by a newer one before delivery")
          .tag("stage", lower(stage.name())).register(registry));
    }
    for (NullReason reason : NullReason.values()) {
      if (reason != NullReason.UNRECOGNIZED && reason != NullReason.NULL_REASON_UNSPECIFIED) {
        nulls.put(reason, Counter.builder("presence.nulls.out").description("Null events written to sessions")
            .tag("reason", reason.name().substring("NULL_REASON_".length())).register(registry));
      }
    }
    for (ErrorReason reason : ErrorReason.values()) {
      if (reason == ErrorReason.UNRECOGNIZED || reason == ErrorReason.ERROR_REASON_UNSPECIFIED) {
        continue;
      }
      String name = reason.name().substring("ERROR_REASON_".length());
      boolean fatal = true;
      try {
        String code = Fatal.codeOf(reason).name();
        fatalErrors.put(reason, Counter.builder("presence.errors.fatal")
            .description("Calls ended with a fatal presence.v1 error").tag("code", code).tag("reason", name)
            .register(registry));
      } catch (IllegalArgumentException notFatal) {
        fatal = false;
      }
      // MALFORMED_FRAME is fatal as the first frame and a ProtocolError after opened (PRS-TRN-9).
      if (!fatal || reason == ErrorReason.ERROR_REASON_MALFORMED_FRAME) {
        protocolErrors.put(reason, Counter.builder("presence.errors.protocol")
            .description("ProtocolError frames sent").tag("reason", name).register(registry));
      }
    }
    for (SessionEnd how : SessionEnd.values()) {
      sessionEnds.put(how, Counter.builder("presence.sessions.ended").description("Open sessions that ended")
          .tag("how", lower(how.name())).tag("null_reason", how.nullReason().name().substring("NULL_REASON_".length()))
          .register(registry));
    }
    fanoutLatency = Timer.builder("presence.fanout.latency")
        .description("From an update's arrival to the live batch carrying it being written")
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(10))
        .register(registry);
    Gauge.builder("presence.subscriptions", subscriptions, AtomicLong::get)
        .description("Subscriptions held by open sessions").register(registry);
  }

  private static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }

  /**
   * @param name gauge name, e.g. {@code presence.sessions}
   * @param description for humans
   * @param value read at each scrape; must be thread-safe and cheap
   */
  public void gauge(String name, String description, Supplier<Number> value) {
    Gauge.builder(name, value).description(description).register(registry);
  }

  /** @return the Prometheus text exposition of every meter */
  public String scrape() {
    return registry.scrape();
  }

  @Override
  public void updateIn(boolean clear) {
    (clear ? clears : updates).increment();
  }

  @Override
  public void eventsOut(boolean tagged, int count) {
    (tagged ? taggedEvents : liveEvents).increment(count);
  }

  @Override
  public void coalesced(CoalesceStage stage) {
    coalesced.get(stage).increment();
  }

  @Override
  public void nullOut(NullReason reason) {
    Counter c = nulls.get(reason);
    if (c != null) {
      c.increment();
    }
  }

  @Override
  public void protocolError(ErrorReason reason) {
    Counter c = protocolErrors.get(reason);
    if (c != null) {
      c.increment();
    }
  }

  @Override
  public void fatalError(ErrorReason reason) {
    Counter c = fatalErrors.get(reason);
    if (c != null) {
      c.increment();
    }
  }

  @Override
  public void fanoutLatency(long millis) {
    fanoutLatency.record(Math.max(0, millis), TimeUnit.MILLISECONDS);
  }

  @Override
  public void subscriptionsChanged(int delta) {
    subscriptions.addAndGet(delta);
  }

  @Override
  public void sessionEnded(SessionEnd how) {
    sessionEnds.get(how).increment();
  }
}
