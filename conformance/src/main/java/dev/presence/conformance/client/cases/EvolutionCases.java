package dev.presence.conformance.client.cases;

import dev.presence.conformance.adapter.v1.Command;
import dev.presence.conformance.adapter.v1.ConnectionState;
import dev.presence.conformance.adapter.v1.Failure;
import dev.presence.conformance.adapter.v1.Result;
import dev.presence.conformance.adapter.v1.Update;
import dev.presence.conformance.client.ClientCase;
import dev.presence.conformance.client.ClientProbe;
import dev.presence.conformance.client.server.KitCall;
import dev.presence.protocol.v1.Capability;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.ErrorReason;
import dev.presence.protocol.v1.NullReason;
import dev.presence.protocol.v1.PresenceBatch;
import dev.presence.protocol.v1.PresenceEvent;
import io.grpc.Status;
import java.util.List;
import java.util.Map;

/** SPEC §17, and the parts of §11 and §14 it relies on: what a client does with what a newer server may send. */
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
            .by(EvolutionCases::unknownNullReason),
        ClientCase.checks("PRS-EVO-2", "with unknown fields in every message the server sends: open, snapshot, "
                + "follow, live states and nulls all work",
            "Receivers MUST ignore unknown fields.").by(EvolutionCases::unknownFieldsEverywhere),
        ClientCase.checks("PRS-EVT-2", "events without a state, one with null_reason UNSPECIFIED and one with "
                + "CLEARED, reach the callback as nulls",
            "A client MUST treat an absent state as null whatever `null_reason` holds.")
            .by(EvolutionCases::absentStateIsNull),
        ClientCase.checks("PRS-ERR-7", "an UNSUPPORTED_VERSION refusal whose metadata has an unknown key is "
                + "reported as such, and the SDK keeps working",
            "clients MUST ignore metadata keys they do not know.").by(EvolutionCases::unknownMetadataKey));
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

  private static void unknownFieldsEverywhere(ClientProbe p) throws InterruptedException {
    p.autopilot().unknownFieldsEverywhere(true);
    p.room().set("other", p.state("first"));
    KitCall call = p.connect();
    int mark = p.mark();
    p.syncAll("all");
    p.awaitChange(mark, "all", c -> c.getUserId().equals("other") && c.hasState()
        && ClientProbe.label(c.getState()).equals("first"), "the snapshot's state of user other");
    Result followed = p.follow("other");
    if (followed.hasFailure()) {
      throw p.failure("follow failed after an ack with unknown fields: " + followed.getFailure().getReason() + " "
          + followed.getFailure().getMessage());
    }
    int synced = p.mark();
    p.syncFollowing("following");
    p.awaitChange(synced, "following", c -> c.getUserId().equals("other") && c.hasState(),
        "the followed user's state in the 'following' snapshot");
    int live = p.mark();
    p.room().set("other", p.state("second"));
    for (String sync : List.of("all", "following")) {
      p.awaitChange(live, sync, c -> c.getUserId().equals("other") && c.hasState()
          && ClientProbe.label(c.getState()).equals("second"), "the live state 'second' on sync " + sync);
    }
    int cleared = p.mark();
    p.room().clear("other");
    p.awaitChange(cleared, "all", c -> c.getUserId().equals("other") && !c.hasState(),
        "the live null of user other");
    if (call.open().map(o -> o.getCapabilitiesList().contains(Capability.CAPABILITY_PING)).orElse(false)) {
      call.sendPing(42);
      call.awaitPong(42, p.timing().requestTimeout())
          .orElseThrow(() -> p.failure("expected a pong to a ping with unknown fields"));
    }
  }

  private static void absentStateIsNull(ClientProbe p) throws InterruptedException {
    p.room().set("other", p.state("first"));
    KitCall call = p.connect();
    int mark = p.mark();
    p.syncAll("all");
    p.awaitChange(mark, "all", c -> c.getUserId().equals("other") && c.hasState(),
        "the snapshot's state of user other");
    int unspecified = p.mark();
    call.send(ConnectResponse.newBuilder().setPresence(PresenceBatch.newBuilder().addEvents(
        PresenceEvent.newBuilder().setUserId("other"))).build());
    p.awaitChange(unspecified, "all", c -> c.getUserId().equals("other") && !c.hasState(),
        "a null for user other, from an event with neither state nor null_reason");
    int again = p.mark();
    p.room().set("other", p.state("second"));
    p.awaitChange(again, "all", c -> c.getUserId().equals("other") && c.hasState(),
        "the state 'second' of user other");
    int withReason = p.mark();
    call.send(ConnectResponse.newBuilder().setPresence(PresenceBatch.newBuilder().addEvents(
        PresenceEvent.newBuilder().setUserId("other").setNullReason(NullReason.NULL_REASON_CLEARED))).build());
    p.awaitChange(withReason, "all", c -> c.getUserId().equals("other") && !c.hasState(),
        "a null for user other, from an event with no state and null_reason CLEARED");
  }

  private static void unknownMetadataKey(ClientProbe p) throws InterruptedException {
    // Every open is refused, so that a client retrying with the same version is not let in by accident.
    p.autopilot().refuseOpens(-1, Status.Code.FAILED_PRECONDITION, ErrorReason.ERROR_REASON_UNSUPPORTED_VERSION,
        Map.of("supported_versions", "1", "kit.example/not-yet-defined", "ignore me"));
    Result connected = p.call(Command.newBuilder().setConnect(p.connectCommand()));
    if (!connected.hasFailure()) {
      throw p.failure("connect succeeded though every open was refused with UNSUPPORTED_VERSION");
    }
    Failure f = connected.getFailure();
    boolean named = f.getReason().equals("UNSUPPORTED_VERSION")
        || (f.getReason().isEmpty() && f.getCode().equals("FAILED_PRECONDITION"));
    if (!named) {
      throw p.failure("connect failed with " + f.getCode() + " " + f.getReason() + " '" + f.getMessage()
          + "', not with the refusal's UNSUPPORTED_VERSION");
    }
    // The adapter answering a later call shows that the SDK did not crash on the key it does not know.
    p.call(Command.newBuilder().setUpdate(Update.newBuilder().setState(p.state("after"))));
    if (!p.sdk().alive()) {
      throw p.failure("the adapter exited after an UNSUPPORTED_VERSION refusal with an unknown metadata key");
    }
  }
}
