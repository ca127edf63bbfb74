package dev.presence.server.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A JVM started from the test's own class path, with its output read line by line so a test can wait for
 * a line with a deadline. Closing it kills it.
 */
public final class ChildProcess implements AutoCloseable {
  private final Process process;
  private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final List<String> seen = new ArrayList<>();

  private ChildProcess(Process process) {
    this.process = process;
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          lines.add(line);
        }
      } catch (IOException ended) {
        // the process is gone
      }
    }, "child-output");
    reader.setDaemon(true);
    reader.start();
  }

  /** @param mainClass a class with a main method on the test class path @param args its arguments */
  public static ChildProcess start(Class<?> mainClass, String... args) throws IOException {
    // Surefire puts the real class path here; java.class.path may be a manifest-only booter jar.
    String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx128m");
    command.add("-cp");
    command.add(classPath);
    command.add(mainClass.getName());
    command.addAll(List.of(args));
    return new ChildProcess(new ProcessBuilder(command).redirectErrorStream(true).start());
  }

  /** @param what description @param match the wanted line @param within deadline @return the line */
  public String awaitLine(String what, Predicate<String> match, Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
      if (line == null) {
        throw new AssertionError("no " + what + " from child within " + within.toMillis() + " ms; output: " + seen
            + (process.isAlive() ? "" : " (exited " + process.exitValue() + ")"));
      }
      seen.add(line);
      if (match.test(line)) {
        return line;
      }
    }
  }

  public Process process() {
    return process;
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
