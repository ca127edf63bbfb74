package dev.presence.conformance.selftest;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.spi.FilterReply;
import org.junit.jupiter.api.Test;

/** The build hides only the warnings its self-tests cause on purpose. */
class ExpectedWarningFilterTest {

  private static final LoggerContext LOGGING = new LoggerContext();
  private static final ExpectedWarningFilter FILTER = new ExpectedWarningFilter();

  private static FilterReply decide(String logger, String message, Throwable cause) {
    Logger log = LOGGING.getLogger(logger);
    return FILTER.decide(new LoggingEvent(Logger.class.getName(), log, Level.WARN, message, cause, null));
  }

  @Test
  void theDevelopmentModeWarningAndACancelRacingAWriteAreDropped() {
    assertThat(decide("dev.presence.server.PresenceServer", "event=insecure_auth auth=none host=127.0.0.1", null))
        .isEqualTo(FilterReply.DENY);
    assertThat(decide("io.grpc.netty.shaded.io.grpc.netty.NettyServerHandler", "Stream Error",
        new IllegalStateException("Stream closed before write could take place"))).isEqualTo(FilterReply.DENY);
  }

  @Test
  void otherWarningsShow() {
    assertThat(decide("dev.presence.server.PresenceServer", "event=warmup_incomplete millis=10000", null))
        .isEqualTo(FilterReply.NEUTRAL);
    assertThat(decide("io.grpc.netty.NettyServerHandler", "Stream Error",
        new IllegalStateException("Received DATA frame for an unknown stream 5"))).isEqualTo(FilterReply.NEUTRAL);
    assertThat(decide("dev.presence.server.Room", "Stream closed before write could take place", null))
        .isEqualTo(FilterReply.NEUTRAL);
  }
}
