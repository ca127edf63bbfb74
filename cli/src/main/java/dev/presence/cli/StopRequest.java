package dev.presence.cli;

import dev.presence.client.PresenceClient;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A stop the user asks for with Ctrl-C or SIGTERM, which ends a command cleanly. The process's shutdown hook
 * closes the running command's client, so that the room sees it leave rather than time out, and then ends the
 * process with the command's own status: left alone, the JVM would exit with 128 + the signal's number, which
 * scripts read as a failure.
 */
final class StopRequest {
  /**
   * How long the hook waits for the command to finish once its client is closed. A command finishes at once
   * unless it is blocked reading standard input, which no close interrupts; the stop is then clean all the same.
   */
  static final long FINISH_MILLIS = 1000;

  private final CompletableFuture<Integer> status = new CompletableFuture<>();
  // Guarded by this.
  private PresenceClient client;
  private boolean requested;

  /** Installs the shutdown hook; only the real process does, tests stop a command through {@link #stop()}. */
  void install() {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      stop();
      Runtime.getRuntime().halt(
          status.completeOnTimeout(ExitStatus.OK.code, FINISH_MILLIS, TimeUnit.MILLISECONDS).join());
    }, "presence-cli-stop"));
  }

  /**
   * Registers the running command's client, closing it at once if the stop came first.
   *
   * @param c the client
   */
  void closeOnStop(PresenceClient c) {
    synchronized (this) {
      if (!requested) {
        client = c;
        return;
      }
    }
    c.close();
  }

  /** Closes the running command's client, which ends the command with {@link ExitStatus#OK}. */
  void stop() {
    PresenceClient c;
    synchronized (this) {
      requested = true;
      c = client;
    }
    if (c != null) {
      c.close();
    }
  }

  /**
   * Records the process's status once the command returned and its output was flushed; the hook exits with it.
   *
   * @param code the exit status
   */
  void finished(int code) {
    status.complete(code);
  }
}
