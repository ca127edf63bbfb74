package dev.presence.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.presence.server.config.ServerConfig;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * Claimed identities stay on this machine unless the operator says otherwise: with {@code --auth none} and no
 * {@code --host}, every port (gRPC, WebSocket, metrics) binds loopback only. The settings come from the command
 * line's own parsing, so the test covers the defaults a user gets.
 */
class LoopbackByDefaultIT {
  private static final int CONNECT_TIMEOUT_MILLIS = 2_000;
  private static final String[] FREE_PORTS =
      {"--port", "0", "--ws-port", "-1", "--metrics-port", "-1", "--warmup-millis", "0"};

  private final ListAppender<ILoggingEvent> warnings = new ListAppender<>();
  private final Logger serverLog = (Logger) LoggerFactory.getLogger(PresenceServer.class);
  private Level previousLevel;
  private PresenceServer server;

  @BeforeEach
  void captureWarnings() {
    previousLevel = serverLog.getLevel();
    serverLog.setLevel(Level.WARN);
    warnings.start();
    serverLog.addAppender(warnings);
  }

  @AfterEach
  void stop() throws InterruptedException {
    serverLog.detachAppender(warnings);
    serverLog.setLevel(previousLevel);
    if (server != null) {
      server.shutdown(Duration.ZERO);
    }
  }

  private PresenceServer start(String... args) throws IOException {
    Main main = new Main();
    List<String> all = new ArrayList<>(List.of(FREE_PORTS));
    all.addAll(List.of(args));
    new CommandLine(main).setCaseInsensitiveEnumValuesAllowed(true).parseArgs(all.toArray(String[]::new));
    server = PresenceServer.builder(main.config()).build().start();
    return server;
  }

  @Test
  @DisplayName("auth none without --host: all three ports are bound to 127.0.0.1, and one WARN says how to expose it")
  void authNoneBindsLoopback() throws IOException {
    assumeTrue(System.getenv("PRESENCE_HOST") == null || System.getenv("PRESENCE_HOST").isBlank(),
        "PRESENCE_HOST is set in this environment, so --host is given and the default does not apply");
    PresenceServer s = start();
    assertThat(s.listenAddresses()).hasSize(3).allSatisfy(a -> {
      assertThat(a.getAddress().isLoopbackAddress()).as("%s is loopback", a).isTrue();
      assertThat(a.getAddress().getHostAddress()).isEqualTo(ServerConfig.LOOPBACK_HOST);
    });
    for (InetSocketAddress a : s.listenAddresses()) {
      assertConnects(new InetSocketAddress(ServerConfig.LOOPBACK_HOST, a.getPort()));
    }
    assertThat(warnings.list).singleElement().satisfies(e -> {
      assertThat(e.getLevel()).isEqualTo(Level.WARN);
      assertThat(e.getFormattedMessage()).contains("loopback only").contains("--host 0.0.0.0").contains("--auth jwt");
    });
  }

  @Test
  @DisplayName("auth none without --host: a non-loopback address of this machine refuses every port")
  void authNoneRefusesOtherAddresses() throws IOException {
    List<InetAddress> others = nonLoopbackAddresses();
    assumeTrue(!others.isEmpty(), "this machine has no non-loopback address that is up, so no connection from "
        + "outside loopback can be tried; the bound addresses are still checked by authNoneBindsLoopback");
    assumeTrue(System.getenv("PRESENCE_HOST") == null || System.getenv("PRESENCE_HOST").isBlank(),
        "PRESENCE_HOST is set in this environment, so --host is given and the default does not apply");
    PresenceServer s = start();
    for (InetSocketAddress bound : s.listenAddresses()) {
      for (InetAddress other : others) {
        InetSocketAddress target = new InetSocketAddress(other, bound.getPort());
        assertThatThrownBy(() -> connect(target)).as("connection to %s", target).isInstanceOf(ConnectException.class);
      }
    }
  }

  @Test
  @DisplayName("auth none with --host 0.0.0.0 is honoured: every interface, reachable on a non-loopback address, "
      + "with a WARN that identities are claimed there")
  void explicitHostIsHonoured() throws IOException {
    PresenceServer s = start("--host", "0.0.0.0");
    assertThat(s.listenAddresses()).hasSize(3)
        .allSatisfy(a -> assertThat(a.getAddress().isAnyLocalAddress()).as("%s is the wildcard", a).isTrue());
    // The counterpart of authNoneRefusesOtherAddresses: the same connections succeed once asked for.
    for (InetAddress other : nonLoopbackAddresses()) {
      for (InetSocketAddress bound : s.listenAddresses()) {
        assertConnects(new InetSocketAddress(other, bound.getPort()));
      }
    }
    assertThat(warnings.list).singleElement().satisfies(e -> assertThat(e.getFormattedMessage())
        .contains("INSECURE").contains("any machine that reaches this address").doesNotContain("loopback only"));
  }

  @Test
  @DisplayName("auth none with an explicit loopback host: bound there, the plain development warning")
  void explicitLoopbackHost() throws IOException {
    PresenceServer s = start("--host", "127.0.0.1");
    assertThat(s.listenAddresses()).allSatisfy(a -> assertThat(a.getAddress().isLoopbackAddress()).isTrue());
    assertThat(warnings.list).singleElement().satisfies(e -> assertThat(e.getFormattedMessage())
        .contains("INSECURE").doesNotContain("reaches this address").doesNotContain("loopback only"));
  }

  @Test
  @DisplayName("auth jwt without --host keeps listening on every interface, without a warning")
  void jwtBindsEveryInterface() throws IOException {
    assumeTrue(System.getenv("PRESENCE_HOST") == null || System.getenv("PRESENCE_HOST").isBlank(),
        "PRESENCE_HOST is set in this environment, so --host is given and the default does not apply");
    PresenceServer s = start("--auth", "jwt", "--jwt-secret", "0123456789abcdef0123456789abcdef");
    assertThat(s.listenAddresses()).hasSize(3)
        .allSatisfy(a -> assertThat(a.getAddress().isAnyLocalAddress()).as("%s is the wildcard", a).isTrue());
    assertThat(warnings.list).isEmpty();
  }

  /** Addresses of interfaces that are up, except loopback and IPv6 link-local ones, which need a scope to dial. */
  private static List<InetAddress> nonLoopbackAddresses() throws SocketException {
    List<InetAddress> found = new ArrayList<>();
    for (NetworkInterface nic : NetworkInterface.networkInterfaces().toList()) {
      if (!nic.isUp() || nic.isLoopback()) {
        continue;
      }
      for (InetAddress a : nic.inetAddresses().toList()) {
        if (!a.isLoopbackAddress() && !(a instanceof Inet6Address && a.isLinkLocalAddress())) {
          found.add(a);
        }
      }
    }
    return found;
  }

  private static void assertConnects(InetSocketAddress target) {
    try {
      connect(target);
    } catch (IOException e) {
      throw new AssertionError("cannot connect to " + target + ": " + e, e);
    }
  }

  private static void connect(InetSocketAddress target) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(target, CONNECT_TIMEOUT_MILLIS);
    }
  }
}
