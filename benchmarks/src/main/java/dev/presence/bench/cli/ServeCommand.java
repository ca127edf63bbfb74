package dev.presence.bench.cli;

import dev.presence.bench.loadgen.LoadResult;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The load generator as a long-lived process: one run per line of {@code loadgen} options read from stdin,
 * one result line per run on stdout. A fresh JVM per run would spend its measured seconds compiling its
 * own hot path on the core it shares with nothing else; this one compiles once and stays warm.
 */
@Command(name = "loadgen-serve", mixinStandardHelpOptions = true,
    description = "Run loadgen once per stdin line of its options; print RESULT or FAILED lines.")
final class ServeCommand implements Callable<Integer> {
  @Override
  public Integer call() throws Exception {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      if (line.isBlank()) {
        continue;
      }
      CommandLine run = new CommandLine(new LoadCommand())
          .setExecutionExceptionHandler((e, cmd, parsed) -> failed(e))
          .setParameterExceptionHandler((e, args) -> failed(e));
      run.execute(line.trim().split("\\s+"));
      // Each run starts from a collected heap, not from the previous run's garbage.
      System.gc();
    }
    return 0;
  }

  private static int failed(Exception e) {
    String message = String.valueOf(e.getMessage()).replace('\n', ' ');
    System.out.println(LoadResult.FAILED_PREFIX + e.getClass().getSimpleName() + ": " + message);
    System.out.flush();
    return 1;
  }
}
