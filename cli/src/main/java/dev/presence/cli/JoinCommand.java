package dev.presence.cli;

import dev.presence.client.MembershipListener;
import dev.presence.client.NullReason;
import dev.presence.client.PresenceClient;
import dev.presence.client.State;
import dev.presence.client.SyncTarget;
import dev.presence.client.User;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code join}: stay in a room and print membership and presence changes as lines. */
@Command(name = "join", mixinStandardHelpOptions = true,
    description = "Join a room and print who comes and goes and their presence, one line per event, until "
        + "interrupted or the session ends.")
public final class JoinCommand implements Callable<Integer> {
  @Mixin
  ConnectionOptions connection;

  @Option(names = "--state", description = "Initial presence state as a JSON object.")
  String state;

  @Option(names = "--sync", defaultValue = "*",
      description = "Whose presence to print: '*', 'following' or a user id (default ${DEFAULT-VALUE}).")
  String sync;

  @ParentCommand
  PresenceCli parent;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    State initial = state == null ? null : JsonText.parse(spec, "--state", state);
    SessionEnd end = new SessionEnd();
    try (PresenceClient client = connection.builder().connectionListener((s, cause) -> {
      synchronized (out) {
        out.println("# " + s + (cause == null ? "" : " (" + cause.getMessage() + ")"));
      }
      end.onConnectionState(s, cause);
    }).build()) {
      parent.stop.closeOnStop(client);
      client.users().onMembership(new MembershipListener() {
        @Override
        public void onJoined(User user) {
          synchronized (out) {
            out.println("+ " + user.id() + (user.displayName().isEmpty() ? "" : " (" + user.displayName() + ")"));
          }
        }

        @Override
        public void onLeft(User user, NullReason reason) {
          synchronized (out) {
            out.println("- " + user.id() + " " + reason);
          }
        }
      });
      client.presence().sync(SyncTarget.parse(sync), change -> {
        synchronized (out) {
          out.println(change.userId() + " " + (change.state() == null ? "null " + change.reason()
              : JsonText.of(change.state())));
        }
      });
      if (!connection.connect(client)) {
        return ExitStatus.OK.code;
      }
      synchronized (out) {
        out.println("# joined room " + connection.room + " as " + client.userId());
      }
      if (initial != null) {
        client.presence().update(initial);
      }
      end.await();
      return ExitStatus.OK.code;
    }
  }
}
