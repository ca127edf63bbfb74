package dev.presence.bench.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.bench.driver.CursorState;
import dev.presence.bench.driver.UserSession;
import dev.presence.bench.driver.grpc.RelayDriver;
import dev.presence.bench.support.Poll;
import dev.presence.bench.support.Recorder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The relay as the suite runs it: its own JVM, a port announced on stdout, SIGTERM to stop. */
class CeilingRelayMainIT {
  private static final Pattern LISTENING = Pattern.compile("listening on port (\\d+)");

  @Test
  void announcesItsPortRelaysStopsOnSigtermAndLogsNoFrames() throws Exception {
    // Surefire puts the real class path here; java.class.path may be a manifest-only booter jar.
    String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Process process = new ProcessBuilder(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m", "-cp", classPath,
            CeilingRelay.class.getName(), "--port", "0", "--mode", "per-message"))
        .redirectErrorStream(true)
        .start();
    List<String> output = new CopyOnWriteArrayList<>();
    CompletableFuture<Integer> port = new CompletableFuture<>();
    Thread reader = new Thread(() -> readLines(process, output, port), "relay-output");
    reader.setDaemon(true);
    reader.start();
    try {
      int relayPort = port.get(Poll.DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
      try (RelayDriver driver = new RelayDriver("127.0.0.1", relayPort)) {
        Recorder recorder = new Recorder();
        UserSession session = driver.open("room", 1, recorder).get(Poll.DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        session.send(new CursorState(1, 0, System.nanoTime(), 1, 2));
        Poll.until("the echo of the session's own state", () -> recorder.has(1, 0), recorder::toString);
      }

      process.destroy();

      assertThat(process.waitFor(Poll.DEADLINE.toMillis(), TimeUnit.MILLISECONDS)).as("exited after SIGTERM").isTrue();
      reader.join(Poll.DEADLINE.toMillis());
      assertThat(output).as("relay output").noneMatch(line -> line.contains("DEBUG") || line.contains("bytes="));
    } finally {
      process.destroyForcibly();
    }
  }

  private static void readLines(Process process, List<String> output, CompletableFuture<Integer> port) {
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        output.add(line);
        Matcher m = LISTENING.matcher(line);
        if (m.find()) {
          port.complete(Integer.parseInt(m.group(1)));
        }
      }
    } catch (IOException ended) {
      // the process is gone
    }
    port.completeExceptionally(new IllegalStateException("the relay exited without announcing its port: " + output));
  }
}
