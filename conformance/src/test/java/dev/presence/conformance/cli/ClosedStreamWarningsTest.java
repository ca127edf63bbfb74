package dev.presence.conformance.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2Error;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2Exception;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class ClosedStreamWarningsTest {
  private final ClosedStreamWarnings filter = new ClosedStreamWarnings();

  @Test
  void dropsOnlyTheWriteAClosedStreamCouldNotMake() {
    assertThat(filter.isLoggable(streamError(Http2Error.STREAM_CLOSED))).isFalse();
    assertThat(filter.isLoggable(streamError(Http2Error.PROTOCOL_ERROR))).isTrue();
    assertThat(filter.isLoggable(streamError(Http2Error.FLOW_CONTROL_ERROR))).isTrue();
    LogRecord plain = new LogRecord(Level.WARNING, "Stream Error");
    assertThat(filter.isLoggable(plain)).isTrue();
    LogRecord connection = new LogRecord(Level.WARNING, "Connection Error");
    connection.setThrown(Http2Exception.connectionError(Http2Error.STREAM_CLOSED, "a connection error"));
    assertThat(filter.isLoggable(connection)).isTrue();
  }

  private static LogRecord streamError(Http2Error error) {
    LogRecord r = new LogRecord(Level.WARNING, "Stream Error");
    r.setThrown(Http2Exception.streamError(3, error, "Stream closed before write could take place"));
    return r;
  }
}
