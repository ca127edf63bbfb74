package dev.presence.bench.loadgen;

import dev.presence.bench.driver.MultiNodeDriver;
import dev.presence.bench.driver.Receiver;
import java.util.function.LongSupplier;
import org.HdrHistogram.Recorder;

/**
 * One receiving session's view of the run. A state counts as delivered when it, or a newer state of the
 * same sender, reaches this session within the deadline: presence is latest-wins, so a state a server
 * coalesced away was still delivered if its successor arrived in time.
 *
 * <p>Callbacks for one session come serially from a driver thread; the lock only publishes the counters
 * to the thread that sums them.
 */
final class SessionRecorder implements Receiver {
  private final int self;
  private final int firstUserOfRoom;
  private final long[] highestSeqBySender;
  private final SendLog sendLog;
  private final Recorder latencyMicros;
  private final LongSupplier nanoClock;
  private final int nodes;
  private final Recorder sameNodeMicros;
  private final Recorder crossNodeMicros;
  private volatile MeasurementWindow window;
  private volatile LatencySlices slices;
  private volatile long boundNanos = Long.MAX_VALUE;

  private long framesInWindow;
  private long bytesInWindow;
  private long statesFromOthers;
  private long measuredStatesReceived;
  private long deliveredOnTime;
  private long deliveredLate;
  private long deliveredWithinBound;
  private long outOfOrder;
  private long foreign;

  SessionRecorder(int self, int firstUserOfRoom, int usersPerRoom, SendLog sendLog, Recorder latencyMicros,
      LongSupplier nanoClock) {
    this(self, firstUserOfRoom, usersPerRoom, sendLog, latencyMicros, nanoClock, 1, null, null);
  }

  /**
   * @param nodes how many server nodes the sessions are spread over ({@link MultiNodeDriver#nodeOf})
   * @param sameNodeMicros also records the latency of states whose sender is on this session's node, or null
   * @param crossNodeMicros also records the latency of states from a sender on another node, or null
   */
  SessionRecorder(int self, int firstUserOfRoom, int usersPerRoom, SendLog sendLog, Recorder latencyMicros,
      LongSupplier nanoClock, int nodes, Recorder sameNodeMicros, Recorder crossNodeMicros) {
    this.nodes = nodes;
    this.sameNodeMicros = sameNodeMicros;
    this.crossNodeMicros = crossNodeMicros;
    this.nanoClock = nanoClock;
    this.self = self;
    this.firstUserOfRoom = firstUserOfRoom;
    this.highestSeqBySender = new long[usersPerRoom];
    java.util.Arrays.fill(highestSeqBySender, -1);
    this.sendLog = sendLog;
    this.latencyMicros = latencyMicros;
  }

  void measure(MeasurementWindow window) {
    this.window = window;
  }

  /**
   * @param slices also keeps the latency by send time, or null
   * @param boundNanos a delivery within this long also counts as within the bound
   */
  void measure(MeasurementWindow window, LatencySlices slices, long boundNanos) {
    this.slices = slices;
    this.boundNanos = boundNanos;
    this.window = window;
  }

  @Override
  public synchronized void onFrame(int bytes) {
    MeasurementWindow w = window;
    if (w != null) {
      long now = nanoClock.getAsLong();
      if (now >= w.opensAtNanos() && now < w.closesAtNanos()) {
        framesInWindow++;
        bytesInWindow += bytes;
      }
    }
  }

  @Override
  public synchronized void onState(int fromUser, long seq, long sentAtNanos) {
    if (fromUser == self) {
      return;
    }
    int sender = fromUser - firstUserOfRoom;
    if (sender < 0 || sender >= highestSeqBySender.length) {
      foreign++;
      return;
    }
    statesFromOthers++;
    long previous = highestSeqBySender[sender];
    if (seq <= previous) {
      outOfOrder++;
      return;
    }
    highestSeqBySender[sender] = seq;
    MeasurementWindow w = window;
    if (w == null) {
      return;
    }
    long now = nanoClock.getAsLong();
    if (now >= w.countsUntilNanos()) {
      return;
    }
    if (w.measures(sentAtNanos)) {
      measuredStatesReceived++;
      long micros = Math.max(0, (now - sentAtNanos) / 1_000);
      latencyMicros.recordValue(micros);
      Recorder split = MultiNodeDriver.nodeOf(fromUser, nodes) == MultiNodeDriver.nodeOf(self, nodes)
          ? sameNodeMicros : crossNodeMicros;
      if (split != null) {
        split.recordValue(micros);
      }
      LatencySlices bySendTime = slices;
      if (bySendTime != null) {
        bySendTime.record(sentAtNanos, micros);
      }
    }
    for (long s = previous + 1; s <= seq; s++) {
      long sentAt = sendLog.sentAt(fromUser, s);
      if (w.measures(sentAt)) {
        if (now - sentAt <= w.deadlineNanos()) {
          deliveredOnTime++;
          if (now - sentAt <= boundNanos) {
            deliveredWithinBound++;
          }
        } else {
          deliveredLate++;
        }
      }
    }
  }

  synchronized void addTo(Totals totals) {
    totals.frames += framesInWindow;
    totals.bytes += bytesInWindow;
    totals.statesFromOthers += statesFromOthers;
    totals.measuredStatesReceived += measuredStatesReceived;
    totals.deliveredOnTime += deliveredOnTime;
    totals.deliveredLate += deliveredLate;
    totals.deliveredWithinBound += deliveredWithinBound;
    totals.outOfOrder += outOfOrder;
    totals.foreign += foreign;
  }

  /** Sums over the sessions that kept reading. */
  static final class Totals {
    long frames;
    long bytes;
    long statesFromOthers;
    long measuredStatesReceived;
    long deliveredOnTime;
    long deliveredLate;
    long deliveredWithinBound;
    long outOfOrder;
    long foreign;
  }
}
