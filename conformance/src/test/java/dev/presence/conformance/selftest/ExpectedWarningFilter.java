package dev.presence.conformance.selftest;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;

/**
 * Drops the two warnings that the self-tests cause on purpose, so that a reader of the build sees only real
 * problems; every other warning still shows.
 *
 * <ul>
 *   <li>The reference server's {@code event=insecure_auth}: the self-tests start it in the development mode, for the
 *       kit to claim its users' identities.
 *   <li>A gRPC server's {@code Stream Error} whose cause is Netty's "Stream closed before write could take place":
 *       the kit cancelled a call (a case ended, or a scenario ends a session by cancel) while that server still had
 *       frames queued for it, which grpc-netty logs at WARN with a stack trace although a cancel is how a client
 *       may always go away. The servers are the reference server and the self-tests' fault proxy.
 * </ul>
 */
public final class ExpectedWarningFilter extends Filter<ILoggingEvent> {

  private static final String CANCEL_RACING_A_WRITE = "Stream closed before write could take place";

  @Override
  public FilterReply decide(ILoggingEvent event) {
    return developmentMode(event) || cancelRacingAWrite(event) ? FilterReply.DENY : FilterReply.NEUTRAL;
  }

  private static boolean developmentMode(ILoggingEvent event) {
    return event.getMessage().startsWith("event=insecure_auth ");
  }

  private static boolean cancelRacingAWrite(ILoggingEvent event) {
    IThrowableProxy cause = event.getThrowableProxy();
    return event.getLoggerName().endsWith("grpc.netty.NettyServerHandler") && cause != null
        && CANCEL_RACING_A_WRITE.equals(cause.getMessage());
  }
}
