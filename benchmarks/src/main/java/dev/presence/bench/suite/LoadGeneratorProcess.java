package dev.presence.bench.suite;

import dev.presence.bench.loadgen.LoadResult;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The load generator as one long-lived process ({@code loadgen-serve}) that the suite hands run after run,
 * so its JIT compiles once instead of inside every measured window. Restarted if it dies or a run times
 * out.
 */
final class LoadGeneratorProcess implements AutoCloseable {
  private static final int KEPT_LINES = 30;
  /** Put on the queue, compared by identity, when the process's output ends. */
  private static final String EOF = new String("end of output");

  private final List<String> command;
  private final File workingDir;
  private Process process;
  private Writer stdin;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final Deque<String> recent = new ArrayDeque<>();

  /** @param command the serve command, pinning included @param workingDir the repository */
  LoadGeneratorProcess(List<String> command, File workingDir) {
    this.command = command;
    this.workingDir = workingDir;
  }

  /**
   * @param args one run's loadgen options
   * @param timeoutMillis how long the run may take in all
   * @return its result
   * @throws IllegalStateException with the reason, when the run failed or timed out
   */
  LoadResult run(List<String> args, long timeoutMillis) throws IOException, InterruptedException {
    ensureStarted();
    stdin.write(String.join(" ", args) + "\n");
    stdin.flush();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    while (true) {
      String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (line == null) {
        stop();
        throw new IllegalStateException("load generator timed out after " + timeoutMillis + " ms\n" + recentOutput());
      }
      if (line.startsWith(LoadResult.LINE_PREFIX)) {
        return LoadResult.parse(line);
      }
      if (line.startsWith(LoadResult.FAILED_PREFIX)) {
        throw new IllegalStateException(line.substring(LoadResult.FAILED_PREFIX.length()) + "\n" + recentOutput());
      }
      if (line == EOF) {
        stop();
        throw new IllegalStateException("load generator exited\n" + recentOutput());
      }
      remember(line);
    }
  }

  private void ensureStarted() throws IOException {
    if (process != null && process.isAlive()) {
      return;
    }
    lines.clear();
    process = new ProcessBuilder(command).directory(workingDir).redirectErrorStream(true).start();
    stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    Process p = process;
    Thread drain = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          lines.add(line);
        }
      } catch (IOException ignored) {
        // The process ended.
      }
      lines.add(EOF);
    }, "loadgen-output");
    drain.setDaemon(true);
    drain.start();
  }

  private synchronized void remember(String line) {
    recent.addLast(line);
    if (recent.size() > KEPT_LINES) {
      recent.removeFirst();
    }
  }

  private synchronized String recentOutput() {
    return String.join("\n", recent);
  }

  private void stop() throws InterruptedException {
    if (process != null) {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
      process = null;
    }
  }

  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      try {
        stdin.close();
      } catch (IOException ignored) {
        // Already gone.
      }
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          stop();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    process = null;
  }
}
