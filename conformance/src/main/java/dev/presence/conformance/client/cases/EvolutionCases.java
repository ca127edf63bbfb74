package dev.presence.conformance.client.cases;

import dev.presence.conformance.adapter.v1.ConnectionState;
import dev.presence.conformance.client.ClientCase;
import dev.presence.conformance.client.ClientProbe;
import dev.presence.conformance.client.server.KitCall;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.PresenceBatch;
import dev.presence.protocol.v1.PresenceEvent;
import java.util.List;

/** SPEC §17: what a client does with what a newer server may send. */
final class EvolutionCases {

  /** A null_reason number no draft of presence.v1 defines. */
  private static final int UNKNOWN_NULL_REASON = 99;

  private EvolutionCases() {}

  static List<ClientCase> all() {
    return List.of(
        ClientCase.checks("PRS-EVO-3", "a frame of an unknown kind changes nothing",
            "A client MUST ignore server frames whose kind it does not know.").by(EvolutionCases::unknownFrameKind),
        ClientCase.checks("PRS-EVO-4", "a null with an unknown null_reason reaches the callback",
            "A client MUST treat a null event whose `null_reason` it does not know as a null.")
            .by(EvolutionCases::unknownNullReason));
  }

  private static void unknownFrameKind(ClientProbe p) throws InterruptedException {
    p.room().set("other", p.state("before"));
    KitCall call = p.connect();
    int mark = p.mark();
    p.syncAll("all");
    p.awaitChange(mark, "all", c -> c.getUserId().equals("other"), "the snapshot's state of user other");
    int after = p.mark();
    call.sendUnknownFrameKind();
    p.room().set("other", p.state("after"));
    p.awaitChange(after, "all", c -> c.getUserId().equals("other") && c.hasState()
        && ClientProbe.label(c.getState()).equals("after"), "the state set after the unknown frame");
    if (p.server().calls().size() != 1) {
      throw p.failure("the SDK opened another session after a frame of an unknown kind");
    }
    p.reportsSince(after).stream().filter(t -> t.report().hasConnection()
            && t.report().getConnection().getState() != ConnectionState.CONNECTION_STATE_OPEN)
        .findFirst().ifPresent(t -> {
          throw p.failure("the SDK reported " + t.report().getConnection().getState()
              + " after a frame of an unknown kind");
        });
  }

  private static void unknownNullReason(ClientProbe p) throws InterruptedException {
    p.room().set("other", p.state("present"));
    KitCall call = p.connect();
    int mark = p.mark();
    p.syncAll("all");
    p.awaitChange(mark, "all", c -> c.getUserId().equals("other") && c.hasState(),
        "the snapshot's state of user other");
    int before = p.mark();
    call.send(ConnectResponse.newBuilder().setPresence(PresenceBatch.newBuilder().addEvents(
        PresenceEvent.newBuilder().setUserId("other").setNullReasonValue(UNKNOWN_NULL_REASON))).build());
    p.awaitChange(before, "all", c -> c.getUserId().equals("other") && !c.hasState(),
        "a null for user other, whose null_reason is " + UNKNOWN_NULL_REASON);
  }
}
