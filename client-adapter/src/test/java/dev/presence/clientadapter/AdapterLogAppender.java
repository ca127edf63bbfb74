package dev.presence.clientadapter;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;

/**
 * Sends the client's and the adapter's log lines to the stderr of each {@link InProcessAdapter} running, as a child
 * process adapter's stderr would carry them; {@code logback-test.xml} attaches it to their loggers.
 */
public final class AdapterLogAppender extends AppenderBase<ILoggingEvent> {

  @Override
  protected void append(ILoggingEvent event) {
    StringBuilder line = new StringBuilder()
        .append(event.getLevel()).append(" [").append(event.getThreadName()).append("] ")
        .append(event.getLoggerName()).append(" - ").append(event.getFormattedMessage());
    for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
      line.append(" | ").append(t.getClassName()).append(": ").append(t.getMessage());
    }
    InProcessAdapter.logToRunning(line.toString());
  }
}
