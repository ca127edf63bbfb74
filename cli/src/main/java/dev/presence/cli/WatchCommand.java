package dev.presence.cli;

import dev.presence.client.MembershipListener;
import dev.presence.client.NullReason;
import dev.presence.client.PresenceClient;
import dev.presence.client.SyncTarget;
import dev.presence.client.User;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code watch}: a live table of the room's users, their states, and nulls with reasons. */
@Command(name = "watch", mixinStandardHelpOptions = true,
    description = "Show a live table of the room's users and their presence until interrupted or the session "
        + "ends.")
public final class WatchCommand implements Callable<Integer> {
  @Mixin
  ConnectionOptions connection;

  @Option(names = "--sync", defaultValue = "*",
      description = "Whose presence to show: '*', 'following' or a user id (default ${DEFAULT-VALUE}).")
  String sync;

  @Option(names = "--follow", description = "Follow these users (for --sync following).")
  List<String> follow = List.of();

  @Option(names = "--refresh-millis", defaultValue = "100", description = "Redraw interval (default ${DEFAULT-VALUE}).")
  long refreshMillis;

  @Option(names = "--plain", description = "Print the table after each change instead of redrawing the screen; "
      + "the default when standard output is not a terminal, so a pipe or a file gets no escape codes.")
  boolean plain;

  @Option(names = "--width", defaultValue = "80", description = "Longest state text shown (default ${DEFAULT-VALUE}).")
  int width;

  @ParentCommand
  PresenceCli parent;

  @Spec
  CommandSpec spec;

  private final Map<String, Render.Row> rows = new LinkedHashMap<>();
  private boolean dirty = true;
  private String status = "connecting";

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    plain |= System.console() == null;
    SessionEnd end = new SessionEnd();
    ScheduledExecutorService redraw = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "watch-redraw");
      t.setDaemon(true);
      return t;
    });
    try (PresenceClient client = connection.builder().connectionListener((s, cause) -> {
      synchronized (rows) {
        status = s.toString().toLowerCase() + (cause == null ? "" : ": " + cause.getMessage());
        dirty = true;
      }
      end.onConnectionState(s, cause);
    }).build()) {
      parent.stop.closeOnStop(client);
      client.users().onMembership(new MembershipListener() {
        @Override
        public void onJoined(User user) {
          synchronized (rows) {
            Render.Row old = rows.get(user.id());
            rows.put(user.id(), new Render.Row(user.id(), user.displayName(), true,
                old == null ? null : old.state(), old == null ? null : old.reason()));
            dirty = true;
          }
        }

        @Override
        public void onLeft(User user, NullReason reason) {
          synchronized (rows) {
            Render.Row old = rows.get(user.id());
            rows.put(user.id(), new Render.Row(user.id(), user.displayName(), false, null,
                old != null && old.reason() != null ? old.reason() : reason));
            dirty = true;
          }
        }
      });
      client.presence().sync(SyncTarget.parse(sync), change -> {
        synchronized (rows) {
          Render.Row old = rows.get(change.userId());
          rows.put(change.userId(), new Render.Row(change.userId(), old == null ? "" : old.displayName(),
              old == null || old.member(), change.state(), change.reason()));
          dirty = true;
        }
      });
      redraw.scheduleWithFixedDelay(() -> draw(out, client), 0, refreshMillis, TimeUnit.MILLISECONDS);
      if (!connection.connect(client)) {
        return ExitStatus.OK.code;
      }
      for (String u : follow) {
        client.users().follow(u).get();
      }
      end.await();
      return ExitStatus.OK.code;
    } finally {
      redraw.shutdownNow();
    }
  }

  private void draw(PrintWriter out, PresenceClient client) {
    String text;
    synchronized (rows) {
      if (!dirty) {
        return;
      }
      dirty = false;
      text = "room " + connection.room + " as " + client.userId() + " [" + status + "]\n"
          + Render.table(rows, width);
    }
    synchronized (out) {
      if (!plain) {
        out.print("\u001b[H\u001b[2J");
      }
      out.print(text);
      if (plain) {
        out.println();
      }
      out.flush();
    }
  }
}
