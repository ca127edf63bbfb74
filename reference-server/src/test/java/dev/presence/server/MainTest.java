package dev.presence.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.server.config.ServerConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Field;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The command line: help, environment variables, and refusal of bad settings. */
class MainTest {
  private record Run(int exitCode, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = Main.commandLine();
    cmd.setOut(new PrintWriter(out));
    cmd.setErr(new PrintWriter(err));
    int code = cmd.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  @DisplayName("--help lists every flag with its environment variable")
  void helpListsEveryFlagAndEnvVar() {
    Run r = run("--help");
    assertThat(r.exitCode()).isZero();
    for (Field f : Main.class.getDeclaredFields()) {
      Option option = f.getAnnotation(Option.class);
      if (option == null) {
        continue;
      }
      String flag = option.names()[0];
      assertThat(r.out()).contains(flag);
      String env = "PRESENCE_" + flag.substring(2).replace('-', '_').toUpperCase();
      assertThat(r.out()).as("env var of %s", flag).contains(env);
    }
    assertThat(r.out()).contains("INSECURE");
  }

  @Test
  @DisplayName("An out-of-range setting is refused with a clear message and a non-zero exit")
  void badConfigExitsNonZero() {
    Run r = run("--throttle-window-millis", "5");
    assertThat(r.exitCode()).isEqualTo(Main.EXIT_BAD_CONFIG);
    assertThat(r.err()).contains("--throttle-window-millis=5").contains("16..1000");
  }

  @Test
  @DisplayName("auth=jwt without key material is refused before binding")
  void jwtWithoutKey() {
    Run r = run("--auth", "jwt");
    assertThat(r.exitCode()).isEqualTo(Main.EXIT_BAD_CONFIG);
    assertThat(r.err()).contains("--jwt-secret").contains("--jwt-public-key-file")
        .contains("PRESENCE_JWT_SECRET").contains("PRESENCE_JWT_PUBLIC_KEY_FILE");
  }

  @Test
  @DisplayName("An unknown auth mode is refused with a non-zero exit")
  void unknownAuthMode() {
    Run r = run("--auth", "magic");
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.err()).contains("--auth");
  }

  @Test
  @DisplayName("TLS, metrics and connection-age settings are validated and reported with their flag names")
  void newFlagsAreValidated() {
    Run keyWithoutCert = run("--tls-key", "some.key");
    assertThat(keyWithoutCert.exitCode()).isEqualTo(Main.EXIT_BAD_CONFIG);
    assertThat(keyWithoutCert.err()).contains("--tls-cert and --tls-key must be given together");
    Run missingFile = run("--tls-cert", "missing.crt", "--tls-key", "missing.key");
    assertThat(missingFile.exitCode()).isEqualTo(Main.EXIT_BAD_CONFIG);
    assertThat(missingFile.err()).contains("--tls-cert=missing.crt").contains("not a readable file");
    Run shortAge = run("--max-connection-age-millis", "10");
    assertThat(shortAge.exitCode()).isEqualTo(Main.EXIT_BAD_CONFIG);
    assertThat(shortAge.err()).contains("--max-connection-age-millis=10");
    Run samePort = run("--port", "7000", "--metrics-port", "7000");
    assertThat(samePort.exitCode()).isEqualTo(Main.EXIT_BAD_CONFIG);
    assertThat(samePort.err()).contains("--metrics-port=7000");
    Run badMetricsPort = run("--metrics-port", "70000");
    assertThat(badMetricsPort.exitCode()).isEqualTo(Main.EXIT_BAD_CONFIG);
  }

  @Test
  @DisplayName("PRS-LIV-6: --leave-detection-millis alone derives the ping interval, half of it, and is accepted")
  void leaveDetectionAloneDerivesPingInterval() {
    CommandLine alone = Main.commandLine();
    alone.parseArgs("--leave-detection-millis=2000");
    assertThat(((Main) alone.getCommand()).config().pingIntervalMillis()).isEqualTo(1000);
    CommandLine both = Main.commandLine();
    both.parseArgs("--leave-detection-millis=2000", "--ping-interval-millis=0");
    assertThat(((Main) both.getCommand()).config().pingIntervalMillis()).isZero();
  }

  @Test
  @DisplayName("PRS-LIV-6: a ping interval not below leave detection is refused, naming both flags and variables")
  void inconsistentPingIntervalNamesBothFlags() {
    Run r = run("--leave-detection-millis=2000", "--ping-interval-millis=5000");
    assertThat(r.exitCode()).isEqualTo(Main.EXIT_BAD_CONFIG);
    assertThat(r.err()).contains("--ping-interval-millis=5000").contains("--leave-detection-millis=2000")
        .contains("PRESENCE_PING_INTERVAL_MILLIS").contains("PRESENCE_LEAVE_DETECTION_MILLIS")
        .doesNotContain("pingIntervalMillis").doesNotContain("leaveDetectionMillis");
  }

  @Test
  @DisplayName("Every default of the command line is the embedded builder's, except the ports and warm-up it turns on")
  void defaultsAreTheBuilders() {
    CommandLine unset = Main.commandLine();
    unset.parseArgs();
    Map<String, String> cli = new LinkedHashMap<>(((Main) unset.getCommand()).config().logFields());
    Map<String, String> embedded = new LinkedHashMap<>(ServerConfig.builder().build().logFields());
    for (String ownDefault : List.of("metricsPort", "wsPort", "wsAllowedOrigins", "warmupMillis")) {
      cli.remove(ownDefault);
      embedded.remove(ownDefault);
    }
    assertThat(cli).isEqualTo(embedded);
  }

  @Test
  @DisplayName("--drain-millis reaches the configuration, defaults to 5000 as the embedded builder does, and is validated")
  void drainFlag() {
    CommandLine set = Main.commandLine();
    set.parseArgs("--drain-millis", "1234");
    assertThat(((Main) set.getCommand()).config().drainMillis()).isEqualTo(1234);
    CommandLine unset = Main.commandLine();
    unset.parseArgs();
    assertThat(((Main) unset.getCommand()).config().drainMillis()).isEqualTo(5000)
        .isEqualTo(ServerConfig.builder().build().drainMillis());
    Run negative = run("--drain-millis", "-1");
    assertThat(negative.exitCode()).isEqualTo(Main.EXIT_BAD_CONFIG);
    assertThat(negative.err()).contains("--drain-millis=-1");
  }

  @Test
  @DisplayName("--accept-rate-per-core reaches the configuration, defaults as the embedded builder does, 0 allowed, negatives refused")
  void acceptRateFlag() {
    CommandLine set = Main.commandLine();
    set.parseArgs("--accept-rate-per-core", "0");
    assertThat(((Main) set.getCommand()).config().acceptRatePerCore()).isZero();
    CommandLine unset = Main.commandLine();
    unset.parseArgs();
    assertThat(((Main) unset.getCommand()).config().acceptRatePerCore())
        .isEqualTo(ServerConfig.DEFAULT_ACCEPT_RATE_PER_CORE)
        .isEqualTo(ServerConfig.builder().build().acceptRatePerCore());
    Run negative = run("--accept-rate-per-core", "-5");
    assertThat(negative.exitCode()).isEqualTo(Main.EXIT_BAD_CONFIG);
    assertThat(negative.err()).contains("--accept-rate-per-core=-5");
  }

  @Test
  @DisplayName("PRS-LIM-4: --max-state-depth and --max-outbound-frame-bytes reach the configuration and are validated")
  void draft2LimitFlags() {
    CommandLine set = Main.commandLine();
    set.parseArgs("--max-state-depth", "9", "--max-outbound-frame-bytes", "70000");
    Main main = set.getCommand();
    assertThat(main.config().maxStateDepth()).isEqualTo(9);
    assertThat(main.config().maxOutboundFrameBytes()).isEqualTo(70_000);
    CommandLine unset = Main.commandLine();
    unset.parseArgs();
    Main defaults = unset.getCommand();
    assertThat(defaults.config().maxStateDepth()).isEqualTo(32);
    assertThat(defaults.config().maxOutboundFrameBytes()).isEqualTo(262_144);
    Run shallow = run("--max-state-depth", "7");
    assertThat(shallow.exitCode()).isEqualTo(Main.EXIT_BAD_CONFIG);
    assertThat(shallow.err()).contains("--max-state-depth=7");
  }

  @Test
  @DisplayName("--ws-port defaults to 8080 and --ws-allowed-origins to the server's own origin; both are validated")
  void webSocketFlags() {
    CommandLine unset = Main.commandLine();
    unset.parseArgs();
    Main defaults = unset.getCommand();
    assertThat(defaults.config().wsPort()).isEqualTo(8080);
    assertThat(defaults.config().wsAllowedOrigins().toString()).isEqualTo("same-origin");
    CommandLine set = Main.commandLine();
    set.parseArgs("--ws-port", "0", "--ws-allowed-origins", "https://app.example.com");
    Main main = set.getCommand();
    assertThat(main.config().wsEnabled()).isFalse();
    assertThat(main.config().wsAllowedOrigins().allows("https://app.example.com", "ws.example.com")).isTrue();
    Run badOrigin = run("--ws-allowed-origins", "app.example.com");
    assertThat(badOrigin.exitCode()).isEqualTo(Main.EXIT_BAD_CONFIG);
    assertThat(badOrigin.err()).contains("--ws-allowed-origins").contains("app.example.com");
    Run samePort = run("--port", "7000", "--ws-port", "7000");
    assertThat(samePort.exitCode()).isEqualTo(Main.EXIT_BAD_CONFIG);
    assertThat(samePort.err()).contains("--ws-port=7000");
  }

  @Test
  @DisplayName("--demo is off by default, reaches the configuration, and turns a WebSocket port left off on at 8080")
  void demoFlag() {
    CommandLine unset = Main.commandLine();
    unset.parseArgs();
    assertThat(((Main) unset.getCommand()).config().demo()).isFalse();
    CommandLine set = Main.commandLine();
    set.parseArgs("--demo", "--ws-port", "-1");
    Main main = set.getCommand();
    assertThat(main.config().demo()).isTrue();
    assertThat(main.config().wsPort()).isEqualTo(-1);
    CommandLine off = Main.commandLine();
    off.parseArgs("--demo", "--ws-port", "0");
    assertThat(((Main) off.getCommand()).config().wsPort()).isEqualTo(8080);
  }
}
