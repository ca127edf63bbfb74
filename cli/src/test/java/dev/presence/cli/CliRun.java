package dev.presence.cli;

import dev.presence.server.support.Poll;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** One run of the command line in this JVM, with its output captured and a stop the test can ask for. */
final class CliRun {
  /** Deadline for anything a test waits for. Generous: the machine running the tests may be busy. */
  static final Duration PATIENCE = Duration.ofSeconds(15);

  final StopRequest stop = new StopRequest();
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private final CompletableFuture<Integer> status;

  private CliRun(InputStream in, String... args) {
    status = CompletableFuture.supplyAsync(
        () -> PresenceCli.run(args, in, new PrintWriter(out, true), new PrintWriter(err, true), stop));
  }

  /**
   * Starts the command line with empty standard input.
   *
   * @param args its arguments
   * @return the run
   */
  static CliRun start(String... args) {
    return start(stdin(""), args);
  }

  /**
   * Starts the command line.
   *
   * @param in its standard input
   * @param args its arguments
   * @return the run
   */
  static CliRun start(InputStream in, String... args) {
    return new CliRun(in, args);
  }

  static InputStream stdin(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Standard input that stays open after the text, as with tail -f: only the session's end can end the run. */
  static InputStream openStdin(String text) throws IOException {
    PipedInputStream in = new PipedInputStream();
    new PipedOutputStream(in).write(text.getBytes(StandardCharsets.UTF_8));
    return in;
  }

  /**
   * Each way a command waits for its session to end or a stop: a name, and its arguments before the connection
   * options.
   */
  static Stream<Arguments> longRunning() {
    return Stream.of(
        Arguments.of("join", List.of("join")),
        Arguments.of("watch", List.of("watch", "--plain")),
        Arguments.of("send lingering", List.of("send", "--linger-millis", "60000", "{\"typing\":true}")),
        Arguments.of("send --stay", List.of("send", "--stay", "{\"typing\":true}")),
        Arguments.of("send --stay from open standard input", List.of("send", "--stay")));
  }

  /** @return the command's arguments followed by the connection options */
  static String[] args(List<String> command, String... connection) {
    List<String> all = new ArrayList<>(command);
    all.addAll(List.of(connection));
    return all.toArray(String[]::new);
  }

  String out() {
    return out.toString();
  }

  String err() {
    return err.toString();
  }

  /** Waits until standard output contains the text. */
  void awaitOut(String text) throws InterruptedException {
    until("output containing " + text, () -> out().contains(text));
  }

  /** @return the exit status, waiting for it */
  int awaitStatus() throws Exception {
    return status.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Polls a condition until {@link #PATIENCE} runs out, showing this run's output on failure. */
  void until(String what, BooleanSupplier condition) throws InterruptedException {
    Poll.until(what, PATIENCE, condition, () -> "out=" + out() + " err=" + err());
  }
}
