package dev.presence.bench.suite;

import dev.presence.bench.driver.SystemUnderTest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The exact commands that start each server and the load generator, from the repository's built jars
 * and installed peers. Both JVMs run with default ergonomics; on one pinned core the JVM picks its own
 * collector and heap, and the report prints the commands verbatim.
 */
final class Launches {
  private final Path repo;

  Launches(Path repo) {
    this.repo = repo.toAbsolutePath().normalize();
  }

  Path serverJar() {
    return repo.resolve("reference-server/target/presence-server.jar");
  }

  Path benchJar() {
    return repo.resolve("benchmarks/target/presence-bench.jar");
  }

  Path peersDir() {
    return repo.resolve("benchmarks/peers");
  }

  /** @return the command that starts the system on the port, relative to the repository */
  List<String> server(SystemUnderTest system, int port) {
    String p = Integer.toString(port);
    return switch (system) {
      case PRESENCE -> List.of("java", "-jar", rel(serverJar()), "--port", p, "--metrics-port", "0");
      case RELAY_PER_MESSAGE -> relay(p, "per-message");
      case RELAY_COALESCED -> relay(p, "coalesced");
      case Y_WEBSOCKET -> List.of("node", rel(peersDir().resolve("y-websocket-peer.mjs")), "--port", p);
      case SOCKET_IO -> List.of("node", rel(peersDir().resolve("socketio-peer.mjs")), "--port", p);
    };
  }

  private List<String> relay(String port, String mode) {
    return List.of("java", "-cp", rel(benchJar()), "dev.presence.bench.relay.CeilingRelay",
        "--port", port, "--mode", mode);
  }

  /** @return the long-lived load generator, which reads one run's {@code loadgen} options per line */
  List<String> loadGenerator() {
    return new ArrayList<>(List.of("java", "-Xms1g", "-Xmx6g", "-jar", rel(benchJar()), "loadgen-serve"));
  }

  Path repo() {
    return repo;
  }

  private String rel(Path p) {
    return repo.relativize(p).toString();
  }
}
