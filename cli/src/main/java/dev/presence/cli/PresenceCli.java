package dev.presence.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code presence-cli}: join a room, watch its presence, or send states from the command line. */
@Command(name = "presence-cli", mixinStandardHelpOptions = true, version = "presence-cli 0.1",
    description = "Command line client for presence.v1 rooms.",
    subcommands = {JoinCommand.class, WatchCommand.class, SendCommand.class, CommandLine.HelpCommand.class})
public final class PresenceCli implements Runnable {
  final InputStream in;
  final StopRequest stop;

  PresenceCli(InputStream in, StopRequest stop) {
    this.in = in;
    this.stop = stop;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(new CommandLine(this), "a command is required: join, watch or send");
  }

  /**
   * Runs the CLI and exits with its status.
   *
   * @param args the arguments
   */
  public static void main(String[] args) {
    StopRequest stop = new StopRequest();
    stop.install();
    int status = run(args, System.in, new PrintWriter(System.out, true), new PrintWriter(System.err, true), stop);
    stop.finished(status);
    System.exit(status);
  }

  /**
   * Runs the CLI with the given streams.
   *
   * @param args the arguments
   * @param in standard input
   * @param out standard output
   * @param err standard error
   * @return the exit status
   */
  public static int run(String[] args, InputStream in, PrintWriter out, PrintWriter err) {
    return run(args, in, out, err, new StopRequest());
  }

  /**
   * Runs the CLI with the given streams, ending cleanly when {@code stop} is.
   *
   * @param args the arguments
   * @param in standard input
   * @param out standard output
   * @param err standard error
   * @param stop the stop the user may ask for
   * @return the exit status
   */
  static int run(String[] args, InputStream in, PrintWriter out, PrintWriter err, StopRequest stop) {
    CommandLine cmd = new CommandLine(new PresenceCli(in, stop));
    cmd.setOut(out);
    cmd.setErr(err);
    ExitStatus.applyTo(cmd);
    cmd.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      commandLine.getErr().println("error: " + ex.getMessage());
      commandLine.getErr().flush();
      return ExitStatus.FAILURE.code;
    });
    int status = cmd.execute(args);
    out.flush();
    err.flush();
    return status;
  }
}
