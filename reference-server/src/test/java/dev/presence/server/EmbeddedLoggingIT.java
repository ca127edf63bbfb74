package dev.presence.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.server.config.ServerConfig;
import java.time.Duration;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.bridge.SLF4JBridgeHandler;

/** An application that embeds the server keeps its logging: only the command line sets up logging globally. */
class EmbeddedLoggingIT {
  @Test
  @DisplayName("Building, starting and stopping a PresenceServer leaves java.util.logging's root handlers and "
      + "logback's configuration property as the application set them")
  void applicationKeepsItsLogging() throws Exception {
    Logger root = LogManager.getLogManager().getLogger("");
    Handler own = new Handler() {
      @Override
      public void publish(LogRecord record) {}

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    root.addHandler(own);
    try {
      List<Handler> before = List.of(root.getHandlers());
      String configuration = System.getProperty(CliLogging.CONFIGURATION_PROPERTY);
      PresenceServer server = PresenceServer.builder(ServerConfig.builder().host("127.0.0.1").port(0).build())
          .build().start();
      server.shutdown(Duration.ofSeconds(5));
      assertThat(root.getHandlers()).containsExactlyElementsOf(before).contains(own)
          .noneMatch(h -> h instanceof SLF4JBridgeHandler);
      assertThat(System.getProperty(CliLogging.CONFIGURATION_PROPERTY)).isEqualTo(configuration);
    } finally {
      root.removeHandler(own);
    }
  }
}
