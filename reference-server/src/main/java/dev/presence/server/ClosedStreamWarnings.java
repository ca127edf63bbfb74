package dev.presence.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import org.slf4j.Marker;

/**
 * Drops grpc-netty's warning, with its stack trace, about frames a closed stream could not write. The server
 * closes the call of a client that stopped reading (its session ends TIMED_OUT, or the client reset the stream)
 * while frames still wait for that client's flow-control window; Netty then fails those writes with
 * {@code STREAM_CLOSED}. That is the expected end of such a session, which the server already logs and counts, not
 * a fault worth a warning. Every other stream error still logs. Installed by the command line's logback
 * configuration only.
 */
public final class ClosedStreamWarnings extends TurboFilter {
  @Override
  public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params,
      Throwable t) {
    return t instanceof Http2Exception.StreamException
        && ((Http2Exception) t).error() == Http2Error.STREAM_CLOSED ? FilterReply.DENY : FilterReply.NEUTRAL;
  }
}
