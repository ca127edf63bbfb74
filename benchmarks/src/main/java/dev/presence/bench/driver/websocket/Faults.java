package dev.presence.bench.driver.websocket;

import dev.presence.bench.driver.FaultCounts;
import java.util.Map;

/** The faults a WebSocket session can meet, each counted under one stable reason. */
final class Faults {
  private final FaultCounts counts;

  Faults(String system) {
    this.counts = new FaultCounts(system);
  }

  void malformed(IllegalArgumentException e) {
    counts.report("malformed message from the server, ignored", e.getMessage(), null);
  }

  void droppedSend(int queuedSends) {
    counts.report("state dropped: too many sends wait for the socket", queuedSends + " waiting", null);
  }

  /** @param how how the server ended it, stable across occurrences, such as a WebSocket close status */
  void closedByServer(String how) {
    counts.report("session ended by the server: " + how);
  }

  /** @param reason what the protocol met, stable across occurrences; never a payload */
  void protocol(String reason) {
    counts.report(reason);
  }

  void transport(Throwable e) {
    counts.report("connection failed", null, e);
  }

  void receiver(RuntimeException e) {
    counts.report("receiver threw", null, e);
  }

  void closing() {
    counts.closing();
  }

  Map<String, Long> snapshot() {
    return counts.snapshot();
  }
}
