package dev.presence.bench.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;
import org.junit.jupiter.api.Test;

class SessionRecorderTest {
  private static final long MS = 1_000_000L;

  private final AtomicLong clock = new AtomicLong();
  private final SendLog log = new SendLog(4, 16);
  private final Recorder latency = new Recorder(60_000_000L, 3);
  /** Users 0..1 are room 0, users 2..3 room 1; the recorder is user 0. */
  private final SessionRecorder recorder = new SessionRecorder(0, 0, 2, log, latency, clock::get);
  private final MeasurementWindow window = new MeasurementWindow(100 * MS, 200 * MS, 300 * MS, 50 * MS);

  SessionRecorderTest() {
    recorder.measure(window);
  }

  private SessionRecorder.Totals totals() {
    SessionRecorder.Totals t = new SessionRecorder.Totals();
    recorder.addTo(t);
    return t;
  }

  @Test
  void aNewerStateDeliversTheStatesItSuperseded() {
    log.record(1, 110 * MS);
    log.record(1, 120 * MS);
    log.record(1, 130 * MS);
    clock.set(140 * MS);
    recorder.onState(1, 2, 130 * MS);

    SessionRecorder.Totals t = totals();
    assertThat(t.deliveredOnTime).isEqualTo(3);
    assertThat(t.measuredStatesReceived).isEqualTo(1);
    assertThat(latency.getIntervalHistogram().getMaxValue()).isBetween(9_990L, 10_010L);
  }

  @Test
  void statesPastTheDeadlineAreLateAndSendsOutsideTheWindowDoNotCount() {
    log.record(1, 90 * MS);
    log.record(1, 150 * MS);
    log.record(1, 190 * MS);
    clock.set(205 * MS);
    recorder.onState(1, 2, 190 * MS);

    SessionRecorder.Totals t = totals();
    assertThat(t.deliveredOnTime).as("seq 2, 15 ms old").isEqualTo(1);
    assertThat(t.deliveredLate).as("seq 1, 55 ms old").isEqualTo(1);
  }

  @Test
  void ownStatesForeignStatesAndRegressionsAreKeptApart() {
    log.record(0, 110 * MS);
    log.record(1, 110 * MS);
    log.record(1, 120 * MS);
    log.record(2, 110 * MS);
    clock.set(125 * MS);
    recorder.onState(0, 0, 110 * MS);
    recorder.onState(2, 0, 110 * MS);
    recorder.onState(1, 1, 120 * MS);
    recorder.onState(1, 0, 110 * MS);

    SessionRecorder.Totals t = totals();
    assertThat(t.statesFromOthers).isEqualTo(2);
    assertThat(t.foreign).isEqualTo(1);
    assertThat(t.outOfOrder).isEqualTo(1);
    assertThat(t.deliveredOnTime).isEqualTo(2);
  }

  @Test
  void deliveriesAfterTheGraceAreIgnoredAndFramesCountOnlyInsideTheWindow() {
    log.record(1, 150 * MS);
    clock.set(50 * MS);
    recorder.onFrame(100);
    clock.set(150 * MS);
    recorder.onFrame(60);
    clock.set(301 * MS);
    recorder.onState(1, 0, 150 * MS);

    SessionRecorder.Totals t = totals();
    assertThat(t.frames).isEqualTo(1);
    assertThat(t.bytes).isEqualTo(60);
    assertThat(t.deliveredOnTime + t.deliveredLate).isZero();
  }

  @Test
  void latencySplitsByWhetherTheSenderSharesTheReceiversNode() {
    SendLog fourUsers = new SendLog(4, 16);
    Recorder same = new Recorder(60_000_000L, 3);
    Recorder cross = new Recorder(60_000_000L, 3);
    // Three nodes, user u on node u mod 3: users 0 and 3 share node 0, user 1 is on node 1.
    SessionRecorder user0 = new SessionRecorder(0, 0, 4, fourUsers, latency, clock::get, 3, same, cross);
    user0.measure(window);
    fourUsers.record(3, 110 * MS);
    fourUsers.record(1, 120 * MS);
    clock.set(115 * MS);
    user0.onState(3, 0, 110 * MS);
    clock.set(150 * MS);
    user0.onState(1, 0, 120 * MS);

    assertThat(same.getIntervalHistogram().getMaxValue()).isBetween(4_990L, 5_010L);
    assertThat(cross.getIntervalHistogram().getMaxValue()).isBetween(29_900L, 30_100L);
    assertThat(latency.getIntervalHistogram().getTotalCount()).isEqualTo(2);
  }
}
