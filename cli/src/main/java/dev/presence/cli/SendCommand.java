package dev.presence.cli;

import dev.presence.client.PresenceClient;
import dev.presence.client.State;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code send}: set presence from a JSON argument, or from JSON lines on standard input. */
@Command(name = "send", mixinStandardHelpOptions = true,
    description = {"Set your presence from a JSON object given as arguments, or read JSON objects from standard "
        + "input, one per line, each replacing the last (throttled like any client).",
        "Without --stay the session leaves once the input is sent, and others then see a LEFT null."})
public final class SendCommand implements Callable<Integer> {
  @Mixin
  ConnectionOptions connection;

  @Parameters(arity = "0..*", paramLabel = "JSON",
      description = "The state as a JSON object; omit it or give '-' to read JSON lines from standard input.")
  List<String> json = List.of();

  @Option(names = "--stay", description = "Keep the session (and the last state) until interrupted.")
  boolean stay;

  @Option(names = "--linger-millis", defaultValue = "500",
      description = "How long to stay after the last state before leaving, so others can see it "
          + "(default ${DEFAULT-VALUE}).")
  long lingerMillis;

  @ParentCommand
  PresenceCli parent;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    boolean fromStdin = json.isEmpty() || (json.size() == 1 && json.get(0).equals("-"));
    State fromArgs = fromStdin ? null : State.fromJson(String.join(" ", json));
    CountDownLatch closed = new CountDownLatch(1);
    try (PresenceClient client = connection.builder().connectionListener((s, cause) -> {
      if (s == dev.presence.client.ConnectionState.CLOSED) {
        closed.countDown();
      }
    }).build()) {
      connection.connect(client);
      if (fromArgs != null) {
        client.presence().update(fromArgs);
      } else {
        BufferedReader reader = new BufferedReader(new InputStreamReader(parent.in, StandardCharsets.UTF_8));
        String line;
        int lineNo = 0;
        while ((line = reader.readLine()) != null) {
          lineNo++;
          if (line.isBlank()) {
            continue;
          }
          try {
            client.presence().update(State.fromJson(line));
          } catch (IllegalArgumentException e) {
            // Report the position, not the content: it may be someone's presence.
            err.println("line " + lineNo + ": not a JSON object");
            return 1;
          }
        }
      }
      if (stay) {
        closed.await();
      } else {
        // The throttle sends the last state within one window; lingering lets others see it before we leave.
        Thread.sleep(lingerMillis);
      }
      return 0;
    }
  }
}
