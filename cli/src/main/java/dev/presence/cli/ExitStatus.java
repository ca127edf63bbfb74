package dev.presence.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** The exit statuses of every command, with the meanings each command's {@code --help} lists. */
enum ExitStatus {
  /** The command did what was asked, or the user stopped it. */
  OK(0, "Clean end: you stopped the command (Ctrl-C, SIGTERM), or send set its states and left."),
  /** The command could not do its work, or the server ended its session. */
  FAILURE(1, "Failure: no session could be opened, a line of standard input was refused, or the session ended "
      + "with a fatal error, such as expired credentials. Standard error names the reason."),
  /** The command line itself was wrong. */
  USAGE(2, "Usage error: an unknown, missing or invalid option or argument, such as a state that is not a JSON "
      + "object.");

  /** The process exit status. */
  final int code;
  private final String meaning;

  ExitStatus(int code, String meaning) {
    this.code = code;
    this.meaning = meaning;
  }

  /**
   * Lists the statuses in the help of a command and of its subcommands, and has picocli's own outcomes (help,
   * usage errors, exceptions) end with them.
   *
   * @param cmd the command line
   */
  static void applyTo(CommandLine cmd) {
    Map<String, String> list = new LinkedHashMap<>();
    for (ExitStatus s : values()) {
      list.put(Integer.toString(s.code), s.meaning);
    }
    CommandSpec spec = cmd.getCommandSpec();
    spec.usageMessage().exitCodeListHeading("%nExit status:%n").exitCodeList(list);
    spec.exitCodeOnSuccess(OK.code).exitCodeOnUsageHelp(OK.code).exitCodeOnVersionHelp(OK.code)
        .exitCodeOnInvalidInput(USAGE.code).exitCodeOnExecutionException(FAILURE.code);
    cmd.getSubcommands().values().forEach(ExitStatus::applyTo);
  }
}
