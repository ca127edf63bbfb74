package dev.presence.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.spi.FilterReply;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import org.junit.jupiter.api.Test;

class ClosedStreamWarningsTest {
  private final ClosedStreamWarnings filter = new ClosedStreamWarnings();
  private final ch.qos.logback.classic.Logger logger = new LoggerContext().getLogger("io.grpc.netty.NettyServerHandler");

  @Test
  void writesAClosedStreamCouldNotMakeAreNotWarnedAbout() {
    Http2Exception closed = Http2Exception.streamError(3, Http2Error.STREAM_CLOSED,
        "Stream closed before write could take place");

    assertThat(filter.decide(null, logger, Level.WARN, "Stream Error", null, closed)).isEqualTo(FilterReply.DENY);
  }

  @Test
  void everyOtherStreamErrorAndEveryOtherEventStillLogs() {
    Http2Exception protocol = Http2Exception.streamError(3, Http2Error.PROTOCOL_ERROR, "bad frame");
    Http2Exception connection = Http2Exception.connectionError(Http2Error.STREAM_CLOSED, "connection-wide");

    assertThat(filter.decide(null, logger, Level.WARN, "Stream Error", null, protocol)).isEqualTo(FilterReply.NEUTRAL);
    assertThat(filter.decide(null, logger, Level.WARN, "Connection Error", null, connection))
        .isEqualTo(FilterReply.NEUTRAL);
    assertThat(filter.decide(null, logger, Level.INFO, "event=server_started", null, null))
        .isEqualTo(FilterReply.NEUTRAL);
  }
}
