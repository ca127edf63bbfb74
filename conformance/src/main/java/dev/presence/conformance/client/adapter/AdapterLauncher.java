package dev.presence.conformance.client.adapter;

import java.io.IOException;
import java.util.List;

/**
 * Starts one adapter for the kit's client mode. The kit starts a fresh adapter for every case, every scenario and
 * its first hello, and speaks to it only through the standard streams of the {@link Process} returned: Commands to
 * its output stream, Reports from its input stream, its error stream kept as its log. Closing the output stream asks
 * the adapter to exit; the kit then waits for it, and destroys it if it does not.
 *
 * <p>Most adapters are programs, launched with {@link #command}. An SDK written for the kit's own JVM may instead
 * return a {@code Process} of its own making that runs the adapter on a thread over in-memory pipes: the protocol
 * is the same, without a process start per case. Such a process need not support {@link Process#toHandle()}.
 *
 * <p>Implementations must be safe to call from any thread, and must return a new adapter on every call.
 */
@FunctionalInterface
public interface AdapterLauncher {

  /**
   * Starts an adapter.
   *
   * @return the running adapter
   * @throws IOException if it cannot start
   */
  Process launch() throws IOException;

  /**
   * Launches a program.
   *
   * @param command the program and its arguments
   * @return a launcher that starts the program as a child process on every call
   * @throws IllegalArgumentException if the command is empty
   */
  static AdapterLauncher command(List<String> command) {
    if (command.isEmpty()) {
      throw new IllegalArgumentException("the adapter command is empty");
    }
    List<String> program = List.copyOf(command);
    return () -> new ProcessBuilder(program).start();
  }
}
