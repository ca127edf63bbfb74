package dev.presence.bench.suite;

import dev.presence.bench.driver.SystemUnderTest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A server under test in its own process, started with a command and considered ready once it prints a
 * line containing "listening" and every port it serves accepts connections. One process may serve several
 * systems, each on its own port. Its output is drained (and kept only until ready) so it never blocks on a
 * full pipe.
 */
final class ServerProcess implements AutoCloseable {
  private static final long READY_TIMEOUT_MILLIS = 60_000;
  private static final int PROBE_TIMEOUT_MILLIS = 1_000;
  private static final long PROBE_INTERVAL_MILLIS = 50;

  private final Process process;
  private final Map<SystemUnderTest, Integer> ports;

  private ServerProcess(Process process, Map<SystemUnderTest, Integer> ports) {
    this.process = process;
    this.ports = ports;
  }

  /**
   * @param command the full command, pinning included
   * @param ports the port the command makes it listen on for each system it serves
   * @return the started, ready server
   */
  static ServerProcess start(List<String> command, Map<SystemUnderTest, Integer> ports)
      throws IOException, InterruptedException {
    return start(command, ports, ports.values(), "listening");
  }

  /**
   * @param command the full command, pinning included
   * @param port the one port it listens on, which no system's driver uses directly (a Redis)
   * @param readyLine text of the line the process prints once it accepts connections
   * @return the started, ready process
   */
  static ServerProcess startAuxiliary(List<String> command, int port, String readyLine)
      throws IOException, InterruptedException {
    return start(command, Map.of(), List.of(port), readyLine);
  }

  private static ServerProcess start(List<String> command, Map<SystemUnderTest, Integer> ports,
      java.util.Collection<Integer> probed, String readyLine) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    CompletableFuture<Void> listening = new CompletableFuture<>();
    List<String> early = new ArrayList<>();
    Thread drain = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          if (!listening.isDone()) {
            synchronized (early) {
              early.add(line);
            }
            if (line.contains(readyLine)) {
              listening.complete(null);
            }
          }
        }
      } catch (IOException ignored) {
        // The process ended; readiness below reports it.
      }
      listening.completeExceptionally(new IllegalStateException("server exited before listening"));
    }, "server-output");
    drain.setDaemon(true);
    drain.start();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(READY_TIMEOUT_MILLIS);
    try {
      listening.get(READY_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
      for (int port : probed) {
        awaitAccepting(port, deadline);
      }
    } catch (Exception e) {
      process.destroyForcibly();
      synchronized (early) {
        throw new IllegalStateException("server did not start: " + String.join(" ", command)
            + "\n" + String.join("\n", early), e);
      }
    }
    return new ServerProcess(process, Map.copyOf(ports));
  }

  /** The log line is the process's own word; a port that accepts a connection is the proof. */
  private static void awaitAccepting(int port, long deadlineNanos) throws IOException, InterruptedException {
    while (true) {
      try (Socket probe = new Socket()) {
        probe.connect(new InetSocketAddress("127.0.0.1", port), PROBE_TIMEOUT_MILLIS);
        return;
      } catch (IOException e) {
        if (System.nanoTime() > deadlineNanos) {
          throw new IOException("nothing accepts connections on port " + port, e);
        }
        Thread.sleep(PROBE_INTERVAL_MILLIS);
      }
    }
  }

  /** @param system one of the systems this process serves @return its port */
  int port(SystemUnderTest system) {
    Integer port = ports.get(system);
    if (port == null) {
      throw new IllegalArgumentException("this server does not serve " + system.label());
    }
    return port;
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
