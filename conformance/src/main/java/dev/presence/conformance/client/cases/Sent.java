package dev.presence.conformance.client.cases;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.presence.conformance.client.ClientProbe;
import dev.presence.conformance.client.server.Autopilot;
import dev.presence.conformance.client.server.Inbound;
import dev.presence.conformance.client.server.KitCall;
import dev.presence.conformance.directed.CaseFailure;
import dev.presence.conformance.noise.TimingMiss;
import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.Limits;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What the SDK sent and when, read the way the client cases judge it, and the states they make it send. */
final class Sent {

  private Sent() {}

  /** Returns the default limits, to change one or two of them for a case. */
  static Limits.Builder limits() {
    return Autopilot.defaultLimits().toBuilder();
  }

  /** Returns the update_state frames of a session so far, in order. */
  static List<Inbound> updates(KitCall call) {
    return call.inbound(ConnectRequest.FrameCase.UPDATE_STATE);
  }

  /** Returns the label of the state an update_state frame carries. */
  static String label(Inbound update) {
    return ClientProbe.label(update.frame().orElseThrow().getUpdateState().getState());
  }

  /** Returns the labels of update_state frames, in order. */
  static List<String> labels(List<Inbound> updates) {
    return updates.stream().map(Sent::label).toList();
  }

  /**
   * Waits for the update_state carrying the state labelled {@code label}, one throttle window plus the request
   * timeout at most: a held state is owed one window after the last send.
   */
  static Inbound awaitUpdate(ClientProbe p, KitCall call, String label, long windowMillis) {
    Duration timeout = p.timing().requestTimeout().plusMillis(windowMillis);
    return call.awaitInbound(in -> in.decoded() && in.kind() == ConnectRequest.FrameCase.UPDATE_STATE
        && label(in).equals(label), timeout).orElseThrow(() -> p.failure("expected an update_state carrying the "
        + "state '" + label + "' within " + timeout.toMillis() + " ms; the session carried " + labels(updates(call))));
  }

  /**
   * Waits until the session has carried {@code count} frames of one kind; for frames whose arrival nothing the
   * application is told reveals.
   */
  static List<Inbound> awaitFrames(ClientProbe p, KitCall call, ConnectRequest.FrameCase kind, int count) {
    Duration timeout = p.timing().requestTimeout();
    call.awaitInbound(in -> in.decoded() && in.kind() == kind && call.inbound(kind).size() >= count, timeout)
        .orElseThrow(() -> p.failure("expected " + count + " " + kind.name().toLowerCase() + " frames within "
            + timeout.toMillis() + " ms; the session carried " + call.inbound(kind).size()));
    return call.inbound(kind);
  }

  /**
   * Fails with a timing miss when a frame the SDK owed at once arrived later than {@code returnedNanos}, the moment
   * the application's call returned, plus the run's slack.
   *
   * @param what the frame, for the message
   * @param calledNanos when the application's call was made
   */
  static void requireAtOnce(ClientProbe p, Inbound frame, long calledNanos, long returnedNanos, String what) {
    long deadline = returnedNanos + TimeUnit.MILLISECONDS.toNanos(p.timing().slackMillis());
    if (frame.nanos() > deadline) {
      throw new CaseFailure(String.format("%s arrived %.1f ms after the call returned; at once allows %d ms", what,
          (frame.nanos() - returnedNanos) / 1e6, p.timing().slackMillis()),
          new TimingMiss(frame.nanos() - deadline, calledNanos, frame.nanos()));
    }
  }

  /** Returns a state labelled {@code label} whose canonical encoding is at least {@code bytes} long. */
  static Struct padded(ClientProbe p, String label, int bytes) {
    return p.state(label).toBuilder()
        .putFields("pad", Value.newBuilder().setStringValue("p".repeat(bytes)).build()).build();
  }

  /**
   * Returns a state labelled {@code label} of exactly {@code depth} (PRS-STA-7 counts the state itself as 1 and
   * each nested Struct as one more).
   */
  static Struct deep(ClientProbe p, String label, int depth) {
    Struct inner = Struct.newBuilder().putFields("leaf", Value.newBuilder().setNumberValue(depth).build()).build();
    for (int level = depth - 1; level > 1; level--) {
      inner = Struct.newBuilder().putFields("n", Value.newBuilder().setStructValue(inner).build()).build();
    }
    Struct.Builder top = p.state(label).toBuilder();
    if (depth > 1) {
      top.putFields("n", Value.newBuilder().setStructValue(inner).build());
    }
    return top.build();
  }
}
