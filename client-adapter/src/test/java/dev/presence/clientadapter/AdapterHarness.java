package dev.presence.clientadapter;

import dev.presence.conformance.adapter.v1.Command;
import dev.presence.conformance.adapter.v1.Report;
import dev.presence.conformance.adapter.v1.Result;
import dev.presence.conformance.client.adapter.Framing;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Runs the adapter, as a child process the way the kit does or on a thread of this JVM with chosen
 * {@link AdapterOptions}, and speaks its framed protocol; every report it writes is kept, in order, so a test can
 * wait for one without losing the others.
 */
final class AdapterHarness implements AutoCloseable {
  static final Duration DEADLINE = Duration.ofSeconds(20);

  private final Process process;
  private final DataOutputStream commands;
  /** The child process's stderr, or null for an adapter in this JVM. */
  private final Path stderr;
  private final AtomicLong ids = new AtomicLong();
  private final List<Report> reports = new ArrayList<>();
  private boolean ended;

  private AdapterHarness(Process process, Path stderr) {
    this.process = process;
    this.stderr = stderr;
    this.commands = new DataOutputStream(process.getOutputStream());
    Thread reader = new Thread(() -> readReports(process.getInputStream()), "adapter-reports");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts {@link JavaClientAdapter} from this test's class path, its stderr kept in a temporary file. */
  static AdapterHarness start() throws IOException {
    Path stderr = Files.createTempFile("client-adapter", ".stderr");
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), JavaClientAdapter.class.getName())
        .redirectError(stderr.toFile())
        .start();
    return new AdapterHarness(p, stderr);
  }

  /** Runs an adapter with {@code options} on a thread of this JVM; its logs go to this JVM's. */
  static AdapterHarness startInProcess(AdapterOptions options) throws IOException {
    return new AdapterHarness(InProcessAdapter.javaClient(options).launch(), null);
  }

  /** Sends a command with a fresh id and returns the id. */
  long send(Command.Builder command) throws IOException {
    long id = ids.incrementAndGet();
    Framing.write(commands, command.setId(id).build());
    return id;
  }

  /** Sends a command and waits for its Result. */
  Result call(Command.Builder command) throws IOException, InterruptedException {
    long id = send(command);
    return await(r -> r.hasResult() && r.getResult().getId() == id).getResult();
  }

  /** Waits for the first report, counting from the start, that matches. */
  synchronized Report await(Predicate<Report> wanted) throws InterruptedException {
    Instant deadline = Instant.now().plus(DEADLINE);
    while (true) {
      Optional<Report> found = reports.stream().filter(wanted).findFirst();
      if (found.isPresent()) {
        return found.get();
      }
      long left = Duration.between(Instant.now(), deadline).toMillis();
      if (left <= 0 || ended) {
        throw new AssertionError("no such report within " + DEADLINE + (ended ? " (adapter output ended)" : "")
            + "; got " + reports);
      }
      wait(left);
    }
  }

  /** Every report so far, in order. */
  synchronized List<Report> reports() {
    return List.copyOf(reports);
  }

  /** Ends the adapter's stdin and waits for it to exit. */
  int endInput() throws IOException, InterruptedException {
    commands.close();
    if (!process.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("adapter did not exit within " + DEADLINE + " after its input ended");
    }
    return process.exitValue();
  }

  /** What a child process adapter wrote to stderr so far; empty for one in this JVM. */
  String stderr() throws IOException {
    return stderr == null ? "" : Files.readString(stderr, StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws IOException {
    commands.close();
    process.destroyForcibly();
    if (stderr != null) {
      Files.deleteIfExists(stderr);
    }
  }

  private void readReports(InputStream stream) {
    try (DataInputStream in = new DataInputStream(stream)) {
      for (Optional<byte[]> body = Framing.read(in); body.isPresent(); body = Framing.read(in)) {
        Report report = Report.parseFrom(body.get());
        synchronized (this) {
          reports.add(report);
          notifyAll();
        }
      }
      // The adapter closed its stdout between frames: it exited.
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } finally {
      synchronized (this) {
        ended = true;
        notifyAll();
      }
    }
  }
}
