package dev.presence.clientadapter;

import dev.presence.conformance.client.adapter.AdapterLauncher;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An adapter run as a {@link Process} on a thread of this JVM: its stdin and stdout are in-memory pipes and its exit
 * value what the adapter's command loop returns. Its stderr carries what the client and the adapter log while it
 * runs ({@link AdapterLogAppender}), and a stack trace if the loop throws, so that the kit's check that no state
 * reaches an SDK's log (PRS-PRV-1) still reads the client's logs. The kit speaks to it exactly as to a child
 * process, without a JVM start per case.
 */
final class InProcessAdapter extends Process {

  /** An adapter's command loop: reads Commands until {@code commands} ends, writes Reports, returns its status. */
  @FunctionalInterface
  interface Body {
    int run(InputStream commands, OutputStream reports) throws Exception;
  }

  private static final int CRASHED = 1;
  private static final Set<InProcessAdapter> RUNNING = ConcurrentHashMap.newKeySet();

  private final BlockingPipe commands = new BlockingPipe();
  private final BlockingPipe reports = new BlockingPipe();
  private final BlockingPipe log = new BlockingPipe();
  private final FutureTask<Integer> run;
  private final Thread thread;

  private InProcessAdapter(Body body, String name) {
    this.run = new FutureTask<>(() -> {
      RUNNING.add(this);
      try (OutputStream out = reports.sink; PrintStream err = new PrintStream(log.sink, true, StandardCharsets.UTF_8)) {
        try {
          return body.run(commands.source, out);
        } catch (Exception | Error e) {
          e.printStackTrace(err);
          return CRASHED;
        } finally {
          RUNNING.remove(this);
        }
      }
    });
    this.thread = new Thread(run, name);
    thread.setDaemon(true);
  }

  /** Launches {@code body} afresh on every call, on a daemon thread named {@code name}. */
  static AdapterLauncher launcher(String name, Body body) {
    return () -> {
      InProcessAdapter adapter = new InProcessAdapter(body, name);
      adapter.thread.start();
      return adapter;
    };
  }

  /** Launches {@link JavaClientAdapter} with {@code options} afresh on every call. */
  static AdapterLauncher javaClient(AdapterOptions options) {
    return launcher("adapter-in-process", (in, out) -> new JavaClientAdapter(options, out).run(in));
  }

  /** Appends a line to the log of every adapter running in this JVM: they share its loggers. */
  static void logToRunning(String line) {
    byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
    RUNNING.forEach(adapter -> adapter.log.write(bytes));
  }

  @Override
  public OutputStream getOutputStream() {
    return commands.sink;
  }

  @Override
  public InputStream getInputStream() {
    return reports.source;
  }

  @Override
  public InputStream getErrorStream() {
    return log.source;
  }

  @Override
  public int waitFor() throws InterruptedException {
    try {
      return run.get();
    } catch (ExecutionException | CancellationException e) {
      return CRASHED;
    }
  }

  @Override
  public boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException {
    try {
      run.get(timeout, unit);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException | CancellationException e) {
      return true;
    }
  }

  @Override
  public int exitValue() {
    if (!run.isDone()) {
      throw new IllegalThreadStateException("the adapter is still running");
    }
    try {
      return run.get();
    } catch (InterruptedException | ExecutionException | CancellationException e) {
      return CRASHED;
    }
  }

  @Override
  public boolean isAlive() {
    return !run.isDone();
  }

  /** Ends the adapter's input and interrupts its thread, the nearest a thread comes to being killed. */
  @Override
  public void destroy() {
    commands.end();
    thread.interrupt();
  }
}
