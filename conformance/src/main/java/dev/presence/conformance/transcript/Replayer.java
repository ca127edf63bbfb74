package dev.presence.conformance.transcript;

import dev.presence.conformance.driver.Timing;
import dev.presence.conformance.history.History;
import dev.presence.conformance.transcript.TranscriptResult.Outcome;
import dev.presence.conformance.transcript.TranscriptTarget.Server;
import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.Limits;
import dev.presence.protocol.v1.Open;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Replays transcripts against a target and judges each: the first line that does not hold fails it. Transcripts
 * that need settings, a fault proxy, a drain or minted tokens the target cannot arrange are skipped with the
 * reason, and so are Draft 2 transcripts against a server that advertises Draft 1 limits ({@code max_state_depth}
 * 0, PRS-LIM-5).
 */
public final class Replayer {

  private final TranscriptTarget target;
  private final Timing timing;

  /**
   * Creates a replayer.
   *
   * @param target where to replay
   * @param timing the kit's allowances: the request timeout is the default deadline, the slack is added to every
   *     {@code within}
   */
  public Replayer(TranscriptTarget target, Timing timing) {
    this.target = target;
    this.timing = timing;
  }

  /** Replays transcripts in order. */
  public List<TranscriptResult> replayAll(List<Transcript> transcripts) throws InterruptedException {
    List<TranscriptResult> results = new ArrayList<>();
    for (Transcript t : transcripts) {
      results.add(replay(t));
    }
    return results;
  }

  /** Replays one transcript. */
  // Closing a server may be interrupted; the interrupt is passed on, like one during the replay.
  @SuppressWarnings("try")
  public TranscriptResult replay(Transcript t) throws InterruptedException {
    Optional<Server> arranged;
    try {
      arranged = target.arrange(t.settings(), t.auth());
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      return skipped(t, "could not start a server with " + t.settings() + ": " + e);
    }
    if (arranged.isEmpty()) {
      return skipped(t, "needs server settings " + t.settings() + ", which this target cannot arrange");
    }
    try (Server server = arranged.get()) {
      Optional<String> missing = missing(t, server);
      if (missing.isPresent()) {
        return skipped(t, missing.get());
      }
      return new Run(t, server, timing).execute();
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      return new TranscriptResult(t.name(), t.title(), t.rules(), Outcome.FAIL, 0,
          "the replayer could not run it: " + e, "");
    }
  }

  private Optional<String> missing(Transcript t, Server server) throws InterruptedException {
    if (!server.endpoints().addressed() && (t.uses(Step.Verb.PROXY) || t.uses(Step.Verb.BLACKHOLE))) {
      return Optional.of("needs a fault proxy in front of the server, and the replayer does not know its address");
    }
    if (server.minter() == null && t.auth() == Transcript.Auth.JWT) {
      return Optional.of("mints tokens (# auth: jwt), so needs the server's signing key");
    }
    if (server.drain() == null && t.uses(Step.Verb.DRAIN_SERVER)) {
      return Optional.of("needs to shut the server down, which only an embedded server allows");
    }
    if (t.draft() >= 2 && isDraft1(server, t.auth())) {
      return Optional.of("Draft " + t.draft() + " behaviour; the server advertises Draft 1 limits "
          + "(max_state_depth 0, PRS-LIM-5)");
    }
    return Optional.empty();
  }

  /** A Draft 2 server always advertises max_state_depth (PRS-LIM-4); a Draft 1 server leaves it 0. */
  private boolean isDraft1(Server server, Transcript.Auth auth) throws InterruptedException {
    String room = Run.freshRoom("probe");
    History history = History.systemClock();
    WireSession probe = auth == Transcript.Auth.JWT
        ? WireSession.start("draft-probe", server.endpoints().forSession(0),
            server.minter().mint(Step.Token.DEFAULT.claims("probe", room)), history)
        : WireSession.start("draft-probe", server.endpoints().forSession(0), history);
    try {
      probe.send(ConnectRequest.newBuilder().setOpen(Open.newBuilder().setRoomId(room)
          .setProtocolVersion(1).setDevUserId("probe").setClientAgent("presence-conformance transcripts"))
          .build().toByteArray());
      Optional<WireSession.Item> first = probe.next(timing.requestTimeout());
      if (first.isPresent() && first.get() instanceof WireSession.FrameItem f && f.frame().hasOpened()) {
        Limits limits = f.frame().getOpened().getLimits();
        return limits.getMaxStateDepth() == 0;
      }
      return false;
    } finally {
      probe.cancel();
    }
  }

  private static TranscriptResult skipped(Transcript t, String reason) {
    return new TranscriptResult(t.name(), t.title(), t.rules(), Outcome.SKIPPED, 0, reason, "");
  }
}
