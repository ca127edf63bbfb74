package dev.presence.cli;

import dev.presence.client.ConnectionListener;
import dev.presence.client.ConnectionState;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * How a command's session ended, read from the client's final {@link ConnectionState#CLOSED}: cleanly when the
 * command closed its client itself (its work was done or the user stopped it), or with the fatal error that
 * closed it, which the command then reports with a non-zero status.
 */
final class SessionEnd implements ConnectionListener {
  private final CompletableFuture<Void> closed = new CompletableFuture<>();

  @Override
  public void onConnectionState(ConnectionState state, Throwable cause) {
    if (state != ConnectionState.CLOSED) {
      return;
    }
    if (cause == null) {
      closed.complete(null);
    } else {
      closed.completeExceptionally(new IllegalStateException("session ended: " + cause.getMessage(), cause));
    }
  }

  /**
   * Completes when the client closes: normally for a clean close, exceptionally for a fatal one.
   *
   * @return the future
   */
  CompletableFuture<Void> closed() {
    return closed;
  }

  /**
   * Waits until the session ends.
   *
   * @throws IllegalStateException naming the fatal error that ended the session
   * @throws InterruptedException if interrupted
   */
  void await() throws InterruptedException {
    try {
      closed.get();
    } catch (ExecutionException e) {
      throw (IllegalStateException) e.getCause();
    }
  }

  /**
   * Waits until the session ends or the time passes.
   *
   * @param millis the longest wait
   * @throws IllegalStateException naming the fatal error that ended the session
   * @throws InterruptedException if interrupted
   */
  void awaitAtMost(long millis) throws InterruptedException {
    try {
      closed.get(millis, TimeUnit.MILLISECONDS);
    } catch (TimeoutException stillOpen) {
      // The session outlived the wait, which is what a linger asks for.
    } catch (ExecutionException e) {
      throw (IllegalStateException) e.getCause();
    }
  }
}
