package dev.presence.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.presence.server.config.AuthMode;
import dev.presence.server.config.ServerConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The startup line an operator greps: one line, each key once, the ports bound, no secret. */
class StartupLogIT {
  private static final String SECRET = "startup-log-secret-0123456789abcdef";
  private static final Pattern PAIR = Pattern.compile("([^\\s=]+)=(\"(?:[^\"\\\\]|\\\\.)*\"|\\S*)");

  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
  private final Logger serverLog = (Logger) LoggerFactory.getLogger(PresenceServer.class);
  private Level previousLevel;
  private PresenceServer server;

  @BeforeEach
  void capture() {
    previousLevel = serverLog.getLevel();
    serverLog.setLevel(Level.INFO);
    lines.start();
    serverLog.addAppender(lines);
  }

  @AfterEach
  void stop() throws InterruptedException {
    serverLog.detachAppender(lines);
    serverLog.setLevel(previousLevel);
    if (server != null) {
      server.shutdown(Duration.ZERO);
    }
  }

  @Test
  @DisplayName("server_started names every key once, with the bound ports and the auth mode, and never the secret")
  void eachKeyOnce() throws Exception {
    server = PresenceServer.builder(ServerConfig.builder().host("127.0.0.1").port(0)
        .wsPort(ServerConfig.ANY_FREE_PORT).metricsPort(ServerConfig.ANY_FREE_PORT)
        .authMode(AuthMode.JWT).jwtSecret(SECRET).jwtIssuer("issuer.example").build()).build().start();

    List<String> started = lines.list.stream().map(ILoggingEvent::getFormattedMessage)
        .filter(m -> m.startsWith("event=server_started ")).toList();
    assertThat(started).hasSize(1);
    String line = started.get(0);
    List<String> keys = new ArrayList<>();
    Matcher m = PAIR.matcher(line);
    StringBuilder values = new StringBuilder();
    while (m.find()) {
      keys.add(m.group(1));
      values.append(m.group(1)).append('=').append(m.group(2)).append(' ');
    }
    assertThat(values.toString().trim()).as("the whole line is key=value pairs").isEqualTo(line);
    assertThat(keys).doesNotHaveDuplicates()
        .contains("event", "host", "port", "wsPort", "metricsPort", "auth", "tls", "jwtAlgorithm", "jwtIssuer");
    assertThat(line).contains(" port=" + server.port() + " ").contains(" wsPort=" + server.wsPort() + " ")
        .contains(" metricsPort=" + server.metricsPort() + " ").contains(" auth=" + server.authModeName() + " ").contains(" jwtIssuer=issuer.example")
        .doesNotContain(SECRET);
  }
}
