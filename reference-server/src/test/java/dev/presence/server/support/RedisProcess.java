package dev.presence.server.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} on a free loopback port, owned by a test so that it can pause (SIGSTOP), resume,
 * kill and restart it. Nothing is saved to disk.
 */
public final class RedisProcess implements AutoCloseable {
  private final int port;
  private final Path dir;
  private final List<String> extraArgs;
  private Process process;

  private RedisProcess(int port, Path dir, List<String> extraArgs) {
    this.port = port;
    this.dir = dir;
    this.extraArgs = extraArgs;
  }

  /** @return a running Redis on a free port */
  public static RedisProcess start() throws IOException, InterruptedException {
    return start(List.of());
  }

  private static RedisProcess start(List<String> extraArgs) throws IOException, InterruptedException {
    RedisProcess redis = new RedisProcess(freePort(), Files.createTempDirectory("redis"), extraArgs);
    redis.launch();
    return redis;
  }

  /**
   * @return three Redis processes joined into a Redis Cluster of three primaries, every slot assigned
   */
  public static List<RedisProcess> startCluster() throws IOException, InterruptedException {
    List<RedisProcess> nodes = new ArrayList<>();
    List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
    for (int i = 0; i < 3; i++) {
      RedisProcess node = start(List.of("--cluster-enabled", "yes", "--cluster-node-timeout", "2000"));
      nodes.add(node);
      create.add("127.0.0.1:" + node.port);
    }
    create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
    run(create);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    // Every primary must agree, or a client's first command may still meet CLUSTERDOWN.
    while (!allReportClusterOk(nodes)) {
      if (System.nanoTime() > deadline) {
        throw new IOException("Redis Cluster did not reach cluster_state:ok within 20 s");
      }
      Thread.sleep(50);
    }
    return nodes;
  }

  private static boolean allReportClusterOk(List<RedisProcess> nodes) throws IOException, InterruptedException {
    for (RedisProcess node : nodes) {
      if (!node.cli("cluster", "info").contains("cluster_state:ok")) {
        return false;
      }
    }
    return true;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private void launch() throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("redis-server", "--port", String.valueOf(port),
        "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString()));
    command.addAll(extraArgs);
    process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dir.resolve("redis.log").toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!answersPing()) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        throw new IOException("redis-server on port " + port + " did not start: "
            + Files.readString(dir.resolve("redis.log")));
      }
      Thread.sleep(20);
    }
  }

  private boolean answersPing() {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(500);
      s.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      byte[] buf = new byte[7];
      int n = s.getInputStream().read(buf);
      return n > 0 && new String(buf, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG");
    } catch (IOException e) {
      return false;
    }
  }

  /** @return {@code redis://127.0.0.1:PORT} */
  public String uri() {
    return "redis://127.0.0.1:" + port;
  }

  /** @return the port */
  public int port() {
    return port;
  }

  /** Freezes the process (SIGSTOP): connections stay open and nothing answers. */
  public void pause() throws IOException, InterruptedException {
    signal("STOP");
  }

  /** Thaws a paused process (SIGCONT). */
  public void resume() throws IOException, InterruptedException {
    signal("CONT");
  }

  /** Kills the process and starts an empty one on the same port. */
  public void restartEmpty() throws IOException, InterruptedException {
    kill();
    startEmpty();
  }

  /** Kills the process (SIGKILL): connections are reset and new ones refused. */
  public void kill() throws InterruptedException {
    process.destroyForcibly().waitFor();
  }

  /** Starts an empty process on the same port, after {@link #kill()}. */
  public void startEmpty() throws IOException, InterruptedException {
    launch();
  }

  /**
   * @param args a redis-cli command against this process
   * @return its output
   */
  public String cli(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("redis-cli", "-p", String.valueOf(port)));
    command.addAll(List.of(args));
    return run(command);
  }

  private static String run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(command + " failed: " + out);
    }
    return out;
  }

  private void signal(String name) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).start();
    if (kill.waitFor() != 0) {
      throw new IOException("kill -" + name + " failed");
    }
  }

  @Override
  public void close() {
    if (process != null) {
      try {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

}
