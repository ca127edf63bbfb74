package dev.presence.conformance.client;

import dev.presence.conformance.adapter.v1.Hello;
import dev.presence.conformance.client.adapter.AdapterLauncher;
import dev.presence.conformance.client.adapter.AdapterProcess;
import dev.presence.conformance.driver.Timing;
import java.time.Duration;

/**
 * Opens a fresh {@link ClientProbe} for every case run: a new kit server, a new adapter and a room id no other run
 * used, so that runs never see each other.
 */
public final class ClientProbes {

  private final AdapterLauncher launcher;
  private final Timing timing;
  private final Duration helloTimeout;
  private final String roomPrefix = "client-" + Long.toHexString(System.nanoTime() & 0xFFFFFFL) + "-";
  private int opened;

  /**
   * Describes the probes of one run.
   *
   * @param launcher what starts the adapter of each run
   * @param timing the run's time allowances
   * @param helloTimeout how long an adapter may take to say hello
   */
  public ClientProbes(AdapterLauncher launcher, Timing timing, Duration helloTimeout) {
    this.launcher = launcher;
    this.timing = timing;
    this.helloTimeout = helloTimeout;
  }

  /** Starts the adapter once to read its hello, which names the SDK in the reports. */
  public Hello hello() throws InterruptedException {
    try (AdapterProcess adapter = AdapterProcess.start(launcher, helloTimeout)) {
      return adapter.hello();
    }
  }

  /** Opens the probe for one run of a case. */
  public synchronized ClientProbe open() throws InterruptedException {
    opened++;
    return new ClientProbe(launcher, timing, roomPrefix + opened, helloTimeout);
  }

  /** Returns the run's time allowances. */
  public Timing timing() {
    return timing;
  }
}
