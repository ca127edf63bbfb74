package dev.presence.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.server.support.ServerFixture;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * New connections are accepted at the configured pace; the rest wait in the listen queue, none is refused. The pace
 * itself is checked to the nanosecond on a fake clock ({@code AcceptPacerTest}); this checks that both reach the
 * real listening socket.
 */
class AcceptPacingIT {
  private static final int CONNECTIONS = 21;
  private static final int RATE_PER_CORE = 10;

  private ServerFixture fx;

  @AfterEach
  void stop() throws Exception {
    if (fx != null) {
      fx.close();
    }
  }

  @Test
  @DisplayName("A storm of connections is accepted at the pace set, every one of them in the end")
  void aStormIsAcceptedAtThePaceSet() throws Exception {
    fx = ServerFixture.start(b -> b.acceptRatePerCore(RATE_PER_CORE));
    int ratePerSecond = RATE_PER_CORE * Runtime.getRuntime().availableProcessors();
    int burst = Math.max(1, ratePerSecond / 20);

    // The server's first connection runs its handshake path cold, which would make the storm's first answer late.
    nanosWhenServerSpeaks(fx.port());

    ExecutorService connecting = Executors.newFixedThreadPool(CONNECTIONS);
    try {
      List<Future<Long>> accepted = new ArrayList<>();
      for (int i = 0; i < CONNECTIONS; i++) {
        accepted.add(connecting.submit(() -> nanosWhenServerSpeaks(fx.port())));
      }
      long first = Long.MAX_VALUE;
      long last = Long.MIN_VALUE;
      for (Future<Long> f : accepted) {
        long at = f.get(30, TimeUnit.SECONDS);
        first = Math.min(first, at);
        last = Math.max(last, at);
      }

      // Paced, the span is at least (CONNECTIONS - burst - 1) / rate, about a second; unpaced, a few milliseconds.
      // Answers are seen late on a loaded machine, and a late first answer shortens the span as seen here, so the
      // verdict allows the first answer up to half the span of lateness: still far from what no pacing gives.
      double pacedMillis = 1000.0 * (CONNECTIONS - burst - 1) / ratePerSecond;
      assertThat(TimeUnit.NANOSECONDS.toMillis(last - first))
          .as("ms from the server's first answer to its last, %d connections at %d a second (paced: %.0f ms)",
              CONNECTIONS, ratePerSecond, pacedMillis)
          .isGreaterThanOrEqualTo((long) (pacedMillis / 2));
    } finally {
      connecting.shutdownNow();
    }
  }

  /** Connects and waits for the server's first bytes: its HTTP/2 settings, sent once it has accepted. */
  private static long nanosWhenServerSpeaks(int port) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
      socket.setSoTimeout(30_000);
      InputStream in = socket.getInputStream();
      if (in.read() < 0) {
        throw new IOException("the server closed the connection without a word");
      }
      return System.nanoTime();
    }
  }
}
