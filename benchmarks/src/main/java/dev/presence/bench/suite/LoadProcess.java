package dev.presence.bench.suite;

import dev.presence.bench.loadgen.LoadResult;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the load generator as its own process and reads back its result line. */
final class LoadProcess {
  private LoadProcess() {}

  /**
   * @param command the full command, pinning included
   * @param workingDir the repository
   * @param timeoutMillis how long the run may take in all
   * @return the parsed result
   */
  static LoadResult run(List<String> command, File workingDir, long timeoutMillis)
      throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).directory(workingDir).redirectErrorStream(true).start();
    List<String> output = new ArrayList<>();
    Thread drain = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          synchronized (output) {
            output.add(line);
          }
        }
      } catch (IOException ignored) {
        // The process ended.
      }
    }, "loadgen-output");
    drain.start();
    boolean finished = process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS);
    if (!finished) {
      process.destroyForcibly().waitFor();
    }
    drain.join(5_000);
    synchronized (output) {
      for (int i = output.size() - 1; i >= 0; i--) {
        if (output.get(i).startsWith(LoadResult.LINE_PREFIX) && finished && process.exitValue() == 0) {
          return LoadResult.parse(output.get(i));
        }
      }
      int from = Math.max(0, output.size() - 30);
      throw new IllegalStateException((finished ? "load generator exited " + process.exitValue()
          : "load generator timed out after " + timeoutMillis + " ms") + ": " + String.join(" ", command)
          + "\n" + String.join("\n", output.subList(from, output.size())));
    }
  }
}
