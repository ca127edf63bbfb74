package dev.presence.bench.suite;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A server under test in its own process, started with a command and considered ready once it prints a
 * line containing "listening". Its output is drained (and kept only until ready) so it never blocks on a
 * full pipe.
 */
final class ServerProcess implements AutoCloseable {
  private static final long READY_TIMEOUT_MILLIS = 60_000;

  private final Process process;
  private final List<String> command;
  private final int port;

  private ServerProcess(Process process, List<String> command, int port) {
    this.process = process;
    this.command = command;
    this.port = port;
  }

  /**
   * @param command the full command, pinning included
   * @param port the port the command makes it listen on
   * @return the started, ready server
   */
  static ServerProcess start(List<String> command, int port) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    CompletableFuture<Void> ready = new CompletableFuture<>();
    List<String> early = new ArrayList<>();
    Thread drain = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          if (!ready.isDone()) {
            early.add(line);
            if (line.contains("listening")) {
              ready.complete(null);
            }
          }
        }
      } catch (IOException ignored) {
        // The process ended; readiness below reports it.
      }
      ready.completeExceptionally(new IllegalStateException("server exited before listening"));
    }, "server-output");
    drain.setDaemon(true);
    drain.start();
    try {
      ready.get(READY_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      process.destroyForcibly();
      throw new IllegalStateException("server did not start: " + String.join(" ", command)
          + "\n" + String.join("\n", early), e);
    }
    return new ServerProcess(process, command, port);
  }

  int port() {
    return port;
  }

  long pid() {
    return process.pid();
  }

  List<String> command() {
    return command;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(15, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
