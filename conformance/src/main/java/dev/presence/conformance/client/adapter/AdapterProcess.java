package dev.presence.conformance.client.adapter;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.presence.conformance.adapter.v1.Command;
import dev.presence.conformance.adapter.v1.Hello;
import dev.presence.conformance.adapter.v1.Report;
import dev.presence.conformance.adapter.v1.Result;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * One running adapter: the SDK under test behind the adapter protocol of {@code client_adapter.proto}. The kit
 * writes {@link Command}s to its stdin and reads {@link Report}s from its stdout, each stamped with the moment it
 * was read; stderr is kept as the adapter's log.
 *
 * <p>Thread-safe: commands may be sent from any thread.
 */
public final class AdapterProcess implements AutoCloseable {

  /** How much of the adapter's log the kit keeps; an adapter that logs more is truncated, not stalled. */
  private static final int MAX_LOG_CHARS = 8 * 1024 * 1024;

  private final Process process;
  private final DataOutputStream stdin;
  private final Object writeLock = new Object();
  private final AtomicLong ids = new AtomicLong();
  private final Map<Long, CompletableFuture<Result>> pending = new ConcurrentHashMap<>();
  private final List<Timed> reports = new ArrayList<>();
  private final StringBuilder log = new StringBuilder();
  private final CompletableFuture<Hello> hello = new CompletableFuture<>();
  private volatile String broken;

  private AdapterProcess(Process process) {
    this.process = process;
    this.stdin = new DataOutputStream(new BufferedOutputStream(process.getOutputStream()));
    daemon("adapter-stdout", this::readReports);
    daemon("adapter-stderr", this::readLog);
  }

  /**
   * Starts an adapter and waits for its {@code Hello}.
   *
   * @param launcher what starts it
   * @param helloTimeout how long the adapter may take to start and say hello
   * @return the running adapter
   * @throws AdapterException if it cannot start or says no hello in time
   * @throws InterruptedException if interrupted
   */
  public static AdapterProcess start(AdapterLauncher launcher, Duration helloTimeout) throws InterruptedException {
    Process process;
    try {
      process = launcher.launch();
    } catch (IOException e) {
      throw new AdapterException("cannot start the adapter: " + e.getMessage(), e);
    }
    AdapterProcess adapter = new AdapterProcess(process);
    try {
      adapter.hello.get(helloTimeout.toMillis(), TimeUnit.MILLISECONDS);
      return adapter;
    } catch (ExecutionException | TimeoutException e) {
      String why = adapter.broken != null ? adapter.broken : "no Hello within " + helloTimeout.toMillis() + " ms";
      adapter.close();
      throw new AdapterException(why + lastLines(adapter.log()));
    } catch (InterruptedException e) {
      adapter.close();
      throw e;
    }
  }

  /** Returns the adapter's {@code Hello}. */
  public Hello hello() {
    return hello.getNow(Hello.getDefaultInstance());
  }

  /**
   * Sends a command with a fresh id.
   *
   * @param command the command; its id is set here
   * @return the result, completed when the adapter answers
   */
  public CompletableFuture<Result> submit(Command.Builder command) {
    long id = ids.incrementAndGet();
    CompletableFuture<Result> result = new CompletableFuture<>();
    pending.put(id, result);
    if (broken != null) {
      result.completeExceptionally(new AdapterException(broken));
      return result;
    }
    try {
      synchronized (writeLock) {
        Framing.write(stdin, command.setId(id).build());
      }
    } catch (IOException e) {
      fail("cannot write to the adapter's stdin: " + e.getMessage());
    }
    return result;
  }

  /**
   * Sends a command and waits for its result.
   *
   * @throws AdapterException if the adapter does not answer in time or breaks the protocol
   * @throws InterruptedException if interrupted
   */
  public Result call(Command.Builder command, Duration timeout) throws InterruptedException {
    CompletableFuture<Result> result = submit(command);
    try {
      return result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof AdapterException a ? a : new AdapterException(e.getCause().toString());
    } catch (TimeoutException e) {
      throw new AdapterException("the adapter did not answer " + command.getActionCase() + " within "
          + timeout.toMillis() + " ms");
    }
  }

  /** Returns every report but results and the hello, in the order read. */
  public List<Timed> reports() {
    synchronized (reports) {
      return List.copyOf(reports);
    }
  }

  /** Returns how many reports have been read so far: a mark for {@link #awaitReport}. */
  public int mark() {
    synchronized (reports) {
      return reports.size();
    }
  }

  /**
   * Waits for a report at or after a mark.
   *
   * @param from a {@link #mark()}
   * @param matching what to wait for
   * @param timeout how long to wait
   * @return the first matching report, or empty when none came in time
   * @throws InterruptedException if interrupted
   */
  public Optional<Timed> awaitReport(int from, Predicate<Report> matching, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (reports) {
      while (true) {
        for (int i = from; i < reports.size(); i++) {
          if (matching.test(reports.get(i).report())) {
            return Optional.of(reports.get(i));
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0 || broken != null) {
          return Optional.empty();
        }
        TimeUnit.NANOSECONDS.timedWait(reports, left);
      }
    }
  }

  /** Returns the adapter's log so far (its stderr). */
  public String log() {
    synchronized (log) {
      return log.toString();
    }
  }

  /** Returns why the adapter protocol broke, if it did: the adapter exited or wrote something unframed. */
  public Optional<String> broken() {
    return Optional.ofNullable(broken);
  }

  /** Returns whether the adapter process is still running. */
  public boolean alive() {
    return process.isAlive();
  }

  /** Returns the adapter's exit code once it exited. */
  public OptionalInt exitCode() {
    return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
  }

  /** Ends the adapter's stdin, which asks it to exit, and kills it if it has not exited within five seconds. */
  @Override
  public void close() {
    try {
      synchronized (writeLock) {
        stdin.close();
      }
    } catch (IOException ignored) {
      // Already gone: it exited or was killed, which is what close wants.
    }
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        destroyWithDescendants();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private void destroyWithDescendants() {
    try {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
    } catch (UnsupportedOperationException e) {
      // A process the launcher made itself, not the operating system, has no handle and so no children.
    }
    process.destroyForcibly();
  }

  private void readReports() {
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(process.getInputStream()))) {
      while (true) {
        Optional<byte[]> frame = Framing.read(in);
        if (frame.isEmpty()) {
          fail(exitDescription("the adapter closed its stdout"));
          return;
        }
        accept(System.nanoTime(), Report.parseFrom(frame.get()));
      }
    } catch (InvalidProtocolBufferException e) {
      fail("the adapter wrote a frame that is no Report: " + e.getMessage());
    } catch (IOException e) {
      fail(exitDescription("the adapter's stdout broke: " + e.getMessage()));
    }
  }

  private void accept(long nanos, Report report) {
    switch (report.getKindCase()) {
      case HELLO -> {
        if (!hello.complete(report.getHello())) {
          fail("the adapter sent a second Hello");
        }
      }
      case RESULT -> {
        CompletableFuture<Result> waiting = pending.remove(report.getResult().getId());
        if (waiting == null) {
          fail("the adapter answered command " + report.getResult().getId() + ", which is unknown or answered");
          return;
        }
        waiting.complete(report.getResult());
      }
      case KIND_NOT_SET -> fail("the adapter sent a Report with no kind");
      default -> {
        if (!hello.isDone()) {
          fail("the adapter reported " + report.getKindCase() + " before its Hello");
          return;
        }
        synchronized (reports) {
          reports.add(new Timed(nanos, report));
          reports.notifyAll();
        }
      }
    }
  }

  private String exitDescription(String what) {
    try {
      if (process.waitFor(1, TimeUnit.SECONDS)) {
        return what + "; it exited with code " + process.exitValue();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return what;
  }

  private void fail(String why) {
    if (broken == null) {
      broken = why;
    }
    AdapterException e = new AdapterException(broken);
    hello.completeExceptionally(e);
    pending.values().forEach(f -> f.completeExceptionally(e));
    synchronized (reports) {
      reports.notifyAll();
    }
  }

  private void readLog() {
    try (InputStream err = process.getErrorStream()) {
      byte[] buffer = new byte[8192];
      int n;
      while ((n = err.read(buffer)) >= 0) {
        String text = new String(buffer, 0, n, StandardCharsets.UTF_8);
        synchronized (log) {
          if (log.length() < MAX_LOG_CHARS) {
            log.append(text, 0, Math.min(text.length(), MAX_LOG_CHARS - log.length()));
          }
        }
      }
    } catch (IOException ignored) {
      // The adapter exited; what it logged is kept.
    }
  }

  private static String lastLines(String log) {
    if (log.isBlank()) {
      return "";
    }
    String[] lines = log.strip().split("\n");
    List<String> tail = new ArrayList<>(List.of(lines).subList(Math.max(0, lines.length - 10), lines.length));
    return "; its log ends:\n  " + String.join("\n  ", tail);
  }

  private static void daemon(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    t.start();
  }
}
