package dev.presence.bench.suite;

import dev.presence.bench.driver.SystemUnderTest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The exact commands that start each server and the load generator, from the repository's built jars
 * and installed peers. Both JVMs run with default ergonomics; on one pinned core the JVM picks its own
 * collector and heap, and the report prints the commands verbatim. The reference server always serves
 * both presence.v1 bindings, each on its own port, so the two are measured in one configuration.
 */
final class Launches {
  private final Path repo;
  private final List<String> referenceServerFlags;

  /** @param repo the repository root @param referenceServerFlags added to every reference server's command */
  Launches(Path repo, List<String> referenceServerFlags) {
    this.repo = repo.toAbsolutePath().normalize();
    this.referenceServerFlags = List.copyOf(referenceServerFlags);
  }

  Launches(Path repo) {
    this(repo, List.of());
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

  /**
   * @param system a system
   * @return the systems its server process serves, each on its own port, in {@link SystemUnderTest} order;
   *     the system itself among them
   */
  static List<SystemUnderTest> servedTogether(SystemUnderTest system) {
    return switch (system) {
      case PRESENCE, PRESENCE_WS -> List.of(SystemUnderTest.PRESENCE, SystemUnderTest.PRESENCE_WS);
      default -> List.of(system);
    };
  }

  /**
   * @param system a system
   * @param portOf the port of each system in {@link #servedTogether} it
   * @return the command that starts its server, relative to the repository
   */
  List<String> server(SystemUnderTest system, Function<SystemUnderTest, String> portOf) {
    String p = portOf.apply(system);
    return switch (system) {
      case PRESENCE, PRESENCE_WS -> referenceServer(portOf);
      case PRESENCE_CLUSTER -> throw new IllegalArgumentException(
          "a cluster is several processes: see redis(...) and clusterNode(...)");
      case RELAY_PER_MESSAGE -> relay(p, "per-message");
      case RELAY_COALESCED -> relay(p, "coalesced");
      case Y_WEBSOCKET -> List.of("node", rel(peersDir().resolve("y-websocket-peer.mjs")), "--port", p);
      case SOCKET_IO -> List.of("node", rel(peersDir().resolve("socketio-peer.mjs")), "--port", p);
    };
  }

  private List<String> referenceServer(Function<SystemUnderTest, String> portOf) {
    List<String> cmd = new ArrayList<>(List.of("java", "-jar", rel(serverJar()),
        "--port", portOf.apply(SystemUnderTest.PRESENCE), "--ws-port", portOf.apply(SystemUnderTest.PRESENCE_WS),
        "--metrics-port", "0"));
    cmd.addAll(referenceServerFlags);
    return cmd;
  }

  /** @return the reference server's command with a JFR recording from its start, in JFR's default settings */
  List<String> recordedServer(Function<SystemUnderTest, String> portOf) {
    List<String> cmd = new ArrayList<>(server(SystemUnderTest.PRESENCE, portOf));
    cmd.add(1, "-XX:StartFlightRecording:settings=default");
    return cmd;
  }

  /** @return the JDK's jcmd, which asks a running JVM to write its flight recording to a file */
  List<String> dumpRecording(long pid, Path file) {
    return List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(pid),
        "JFR.dump", "filename=" + file);
  }

  /**
   * A Redis for the cluster only: no snapshots, no append-only file, so neither disk nor fork time lands in
   * the measured window.
   */
  List<String> redis(String port) {
    return List.of("redis-server", "--port", port, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no");
  }

  /**
   * @return a cluster node: the single node's exact command (so the two differ only in clustering) joined to
   *     the Redis at the port
   */
  List<String> clusterNode(String grpcPort, String wsPort, String redisPort) {
    List<String> cmd = new ArrayList<>(server(SystemUnderTest.PRESENCE,
        s -> s == SystemUnderTest.PRESENCE ? grpcPort : wsPort));
    cmd.addAll(List.of("--cluster", "redis://127.0.0.1:" + redisPort));
    return cmd;
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
