package dev.presence.cli;

import dev.presence.client.PresenceClient;
import dev.presence.client.PresenceException;
import dev.presence.client.State;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
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
        "Each state set prints one line: 'set [line=N] room=ROOM user=USER bytes=SIZE', where SIZE is the "
            + "state's encoded size, the measure of the server's max_state_bytes. The line never shows the state.",
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
    boolean fromStdin = json.isEmpty() || (json.size() == 1 && json.get(0).equals("-"));
    State fromArgs = fromStdin ? null : JsonText.parse(spec, "JSON", String.join(" ", json));
    SessionEnd end = new SessionEnd();
    try (PresenceClient client = connection.builder().connectionListener(end).build()) {
      parent.stop.closeOnStop(client);
      if (!connection.connect(client)) {
        return ExitStatus.OK.code;
      }
      if (fromArgs != null) {
        set(client, fromArgs, "");
      } else {
        int status = sendLines(client, end);
        if (status != ExitStatus.OK.code) {
          return status;
        }
      }
      if (stay) {
        end.await();
      } else {
        // The throttle sends the last state within one window; lingering lets others see it before we leave.
        end.awaitAtMost(lingerMillis);
      }
      return ExitStatus.OK.code;
    }
  }

  // The session can end while standard input stays open (tail -f), and no close interrupts a read of it, so the
  // lines are read on a daemon thread while this one waits for whichever ends first.
  private int sendLines(PresenceClient client, SessionEnd end) throws Exception {
    CompletableFuture<Integer> input = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try {
        input.complete(readLines(client));
      } catch (RuntimeException e) {
        input.completeExceptionally(e);
      }
    }, "send-input");
    reader.setDaemon(true);
    reader.start();
    CompletableFuture.anyOf(input, end.closed()).handle((whichever, however) -> null).get();
    if (end.closed().isDone()) {
      end.await();
      return ExitStatus.OK.code;
    }
    try {
      return input.get();
    } catch (ExecutionException e) {
      throw (RuntimeException) e.getCause();
    }
  }

  private int readLines(PresenceClient client) {
    PrintWriter err = spec.commandLine().getErr();
    BufferedReader reader = new BufferedReader(new InputStreamReader(parent.in, StandardCharsets.UTF_8));
    int lineNo = 0;
    try {
      String line;
      while ((line = reader.readLine()) != null) {
        lineNo++;
        if (line.isBlank()) {
          continue;
        }
        State state;
        try {
          state = State.fromJson(line);
        } catch (IllegalArgumentException e) {
          // Report the position, not the content: it may be someone's presence.
          err.println("line " + lineNo + ": not a JSON object");
          return ExitStatus.FAILURE.code;
        }
        set(client, state, "line=" + lineNo + " ");
      }
      return ExitStatus.OK.code;
    } catch (PresenceException e) {
      // The client's messages describe a refused state's shape or size, never its content.
      err.println("line " + lineNo + ": " + e.getMessage());
      return ExitStatus.FAILURE.code;
    } catch (IOException e) {
      err.println("error: cannot read standard input: " + e.getMessage());
      return ExitStatus.FAILURE.code;
    }
  }

  private void set(PresenceClient client, State state, String position) {
    client.presence().update(state);
    // Where the state went and how big it is, never what it says: presence payloads are not for logs.
    spec.commandLine().getOut().println("set " + position + "room=" + connection.room + " user="
        + client.userId() + " bytes=" + state.serializedSize());
  }
}
