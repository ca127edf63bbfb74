package dev.presence.conformance.cli;

import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2Error;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2Exception;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Drops grpc-netty's warning, with its stack trace, about frames a closed stream could not write. In client mode the
 * kit plays the server: when the client under test ends a call (a case is over, or the case makes it cancel) while
 * the kit still has frames queued for it, Netty fails those writes with {@code STREAM_CLOSED} and grpc-netty logs
 * that at WARN, although a cancel is how a client may always go away. Every other stream error still logs. Installed
 * by the command line only: as a library, the kit leaves the application's logging alone.
 */
final class ClosedStreamWarnings implements Filter {
  static final String LOGGER = "io.grpc.netty.shaded.io.grpc.netty.NettyServerHandler";

  /** Held so the configured logger outlives garbage collection: java.util.logging keeps loggers weakly. */
  private static Logger installedOn;

  static synchronized void install() {
    installedOn = Logger.getLogger(LOGGER);
    installedOn.setFilter(new ClosedStreamWarnings());
  }

  @Override
  public boolean isLoggable(LogRecord record) {
    return !(record.getThrown() instanceof Http2Exception.StreamException
        && ((Http2Exception) record.getThrown()).error() == Http2Error.STREAM_CLOSED);
  }
}
