package dev.presence.bench.cli;

import dev.presence.bench.internal.BenchLogging;
import dev.presence.bench.suite.SuiteCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code presence-bench}: the load generator and the suite that drives it. */
@Command(name = "presence-bench", mixinStandardHelpOptions = true,
    subcommands = {LoadCommand.class, ServeCommand.class, SuiteCommand.class},
    description = "Fan-out benchmarks for presence.v1 servers and their peers.")
public final class BenchMain {
  private BenchMain() {}

  /** @param args a subcommand and its options */
  public static void main(String[] args) {
    BenchLogging.configure();
    System.exit(new CommandLine(new BenchMain()).execute(args));
  }
}
