package dev.presence.conformance.client.cases;

import dev.presence.conformance.adapter.v1.Change;
import dev.presence.conformance.adapter.v1.ConnectionState;
import dev.presence.conformance.adapter.v1.Report;
import dev.presence.conformance.client.ClientProbe;
import dev.presence.conformance.client.adapter.Timed;
import dev.presence.conformance.client.server.Inbound;
import dev.presence.conformance.client.server.KitCall;
import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.Subscribe;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/** What the routing, reconnect and retry cases read off the kit's calls and the adapter's reports. */
final class CallFacts {

  private CallFacts() {}

  /** Returns the subscribes the SDK sent on a call, in order. */
  static List<Subscribe> subscribes(KitCall call) {
    return call.inbound(ConnectRequest.FrameCase.SUBSCRIBE).stream()
        .map(in -> in.frame().orElseThrow().getSubscribe()).toList();
  }

  /**
   * Waits for the SDK's subscribe number {@code n} (from 1) on a call and returns its subscription id: the kit maps
   * each sync to the subscribe it caused by order.
   *
   * @param what the sync it stands for, for the failure message
   */
  static String awaitSubscriptionId(ClientProbe p, KitCall call, int n, String what) {
    AtomicInteger seen = new AtomicInteger();
    Inbound in = call.awaitInbound(i -> i.decoded() && i.kind() == ConnectRequest.FrameCase.SUBSCRIBE
            && seen.incrementAndGet() == n, p.timing().requestTimeout())
        .orElseThrow(() -> p.failure("expected subscribe number " + n + " (for " + what + ") within "
            + p.timing().requestTimeout().toMillis() + " ms"));
    return in.frame().orElseThrow().getSubscribe().getSubscriptionId();
  }

  /**
   * Waits until the kit's server holds a subscription of a call: it has then answered the subscribe, except for a
   * snapshot_complete it was told to hold. The kit's server has no event for this, so the wait polls.
   */
  static void awaitServerHolds(ClientProbe p, KitCall call, String subscriptionId) throws InterruptedException {
    long deadline = System.nanoTime() + p.timing().requestTimeout().toNanos();
    while (!call.subscriptions().contains(subscriptionId)) {
      if (System.nanoTime() > deadline) {
        throw p.failure("the kit's server did not take subscription " + subscriptionId + " within "
            + p.timing().requestTimeout().toMillis() + " ms");
      }
      Thread.sleep(1);
    }
  }

  /** Returns the changes of one sync between two marks, in order. */
  static List<Change> changes(ClientProbe p, int from, int to, String sync) {
    List<Timed> all = p.reportsSince(from);
    return all.subList(0, Math.max(0, Math.min(all.size(), to - from))).stream()
        .map(Timed::report).filter(r -> r.hasChange() && r.getChange().getSync().equals(sync))
        .map(Report::getChange).toList();
  }

  /** Returns what a change shows, for matching and messages: a state's label, or "null". */
  static String shown(Change c) {
    return c.hasState() ? ClientProbe.label(c.getState()) : "null";
  }

  /** Returns the first report since a mark that tells the application of a failure: an error or CLOSED. */
  static Optional<Timed> failureReport(ClientProbe p, int from) {
    return p.reportsSince(from).stream().filter(t -> t.report().hasError() || (t.report().hasConnection()
        && t.report().getConnection().getState() == ConnectionState.CONNECTION_STATE_CLOSED)).findFirst();
  }

  /** Returns a report for a failure message. */
  static String describe(Report r) {
    return r.toString().replace('\n', ' ').strip();
  }

  /**
   * Fails the case if the SDK opens session number {@code index} (from 0) within the window.
   *
   * @param why what the SDK should not have opened it after, for the failure message
   */
  static void noCallWithin(ClientProbe p, int index, Duration window, String why) {
    p.server().awaitCall(index, window).ifPresent(c -> {
      throw p.failure("the SDK opened a new session after " + why);
    });
  }

  /** Returns when the kit received the first message of a call: when the SDK's open arrived. */
  static long openArrival(ClientProbe p, KitCall call) {
    return call.awaitInbound(in -> true, p.timing().requestTimeout()).map(Inbound::nanos)
        .orElseThrow(() -> p.failure("session " + (call.index() + 1) + " sent nothing within "
            + p.timing().requestTimeout().toMillis() + " ms"));
  }

  /**
   * Puts a newly opened session to use: a sync and its snapshot. Cases that time what the SDK does after the kit
   * ends a session call it first, so that they time the SDK's decision and not its runtime's start-up, which on a
   * cold virtual machine can delay the first reaction to an ended call by hundreds of milliseconds.
   */
  static void inUse(ClientProbe p) throws InterruptedException {
    p.room().set("peer", p.state("peer"));
    int mark = p.mark();
    p.syncAll("in-use");
    p.awaitChange(mark, "in-use", c -> c.getUserId().equals("peer"), "the snapshot of a sync of '*'");
  }

  /** Returns the slack of the run as a duration. */
  static Duration slack(ClientProbe p) {
    return Duration.ofMillis(p.timing().slackMillis());
  }
}
