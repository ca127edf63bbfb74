package dev.presence.conformance.client.cases;

import com.google.protobuf.Struct;
import dev.presence.conformance.adapter.v1.Command;
import dev.presence.conformance.client.ClientCase;
import dev.presence.conformance.client.ClientProbe;
import dev.presence.conformance.client.server.Inbound;
import dev.presence.conformance.client.server.KitCall;
import dev.presence.protocol.v1.ConnectRequest;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/** SPEC §2, §4, §8 and §14.2 as the SDK puts them on the wire: sessions, credentials, frame sizes and ids. */
final class WireCases {

  /** PRS-SUB-1. */
  private static final Pattern SUBSCRIPTION_ID = Pattern.compile("[A-Za-z0-9._:~-]{1,64}");
  /** The frame size every client accepts (PRS-TRN-8), and reads a 0 limit as (PRS-LIM-5). */
  private static final int CLIENT_FRAME_BYTES = 4_194_304;
  /** Users of a big snapshot, each with a state just under the advertised max_state_bytes. */
  private static final int BIG_USERS = 64;
  private static final int BIG_PAD = 64_600;

  private WireCases() {}

  static List<ClientCase> all() {
    return List.of(
        ClientCase.checks("PRS-TRN-1", "each session, the first and one after the server ended it, is one call "
                + "whose first frame is the only open, for the room asked for",
            "A session MUST be exactly one call: on the gRPC binding, one call of the bidirectional RPC "
                + "`presence.v1.PresenceService/Connect`",
            "The session begins with the client's first frame").by(WireCases::oneCallPerSession),
        ClientCase.checks("PRS-EVO-7", "every open the SDK sends on presence.v1's path says protocol_version 1, "
                + "the first session's and one after the server ended it",
            "in every package `Open.protocol_version` MUST be N").by(WireCases::protocolVersion),
        ClientCase.checks("PRS-TRN-3", "a token goes as `authorization: Bearer <token>` on every call, and in no "
                + "frame",
            "A client on the gRPC binding MUST send credentials, when it has any, in the call metadata key "
                + "`authorization` as `Bearer <token>`, and MUST NOT send them inside frames.").by(WireCases::bearerToken),
        ClientCase.checks("PRS-TRN-8", "a snapshot frame of about 4.1 MB reaches the callback intact",
            "A client MUST accept inbound frames of at least 4194304 bytes").by(p -> bigSnapshot(p, false)),
        ClientCase.checks("PRS-LIM-5", "max_outbound_frame_bytes 0 is read as 4194304: a snapshot frame of about "
                + "4.1 MB reaches the callback",
            "0 in `max_outbound_frame_bytes` as 4194304").by(p -> bigSnapshot(p, true)),
        ClientCase.checks("PRS-ACK-3", "subscribe, follow and unfollow frames carry distinct non-zero request_id "
                + "values",
            "A client SHOULD give distinct non-zero `request_id` values to the frames of one session whose answers "
                + "it waits for.").by(WireCases::requestIds),
        ClientCase.checks("PRS-SUB-1", "every subscription_id the SDK sends, over several syncs and unsyncs, is "
                + "valid",
            "A `subscription_id` MUST match `[A-Za-z0-9._:~-]{1,64}`.").by(WireCases::subscriptionIds),
        ClientCase.checks("PRS-ROOM-1", "a room id with every allowed punctuation and mixed case is sent byte for "
                + "byte",
            "A room id MUST match `[A-Za-z0-9._:~-]{1,128}`.", "Room ids are case-sensitive.")
            .by(WireCases::roomIdAsGiven),
        ClientCase.checks("PRS-IDN-5", "users whose ids are the NFC and NFD forms of one text stay two users",
            "User ids are not normalized and are compared byte for byte.").by(WireCases::idsNotNormalized));
  }

  /** The kit's server serves only presence.v1's path, so every call it sees chose that path (N = 1). */
  private static void protocolVersion(ClientProbe p) throws InterruptedException {
    KitCall first = p.connect();
    first.end(Status.Code.UNAVAILABLE, null, "ended by the conformance kit to see the next session's open");
    KitCall next = p.awaitOpened(1, "the session after an UNAVAILABLE end");
    for (KitCall call : p.server().calls()) {
      for (Inbound in : call.inbound(ConnectRequest.FrameCase.OPEN)) {
        int version = in.frame().orElseThrow().getOpen().getProtocolVersion();
        if (version != 1) {
          throw p.failure("call " + (call.index() + 1) + " on /presence.v1.PresenceService/Connect opened with "
              + "protocol_version " + version + ", not 1");
        }
      }
    }
  }

  private static void oneCallPerSession(ClientProbe p) throws InterruptedException {
    KitCall first = p.connect();
    first.end(Status.Code.UNAVAILABLE, null, "ended by the conformance kit to see the next session");
    KitCall next = p.awaitOpened(1, "the session after an UNAVAILABLE end");
    // Barrier: the sync's subscribe goes out on the open session after its open.
    p.syncAll("all");
    Sent.awaitFrames(p, next, ConnectRequest.FrameCase.SUBSCRIBE, 1);
    for (KitCall call : p.server().calls()) {
      List<Inbound> in = call.inbound();
      if (in.isEmpty() || in.get(0).kind() != ConnectRequest.FrameCase.OPEN) {
        throw p.failure("call " + (call.index() + 1) + " began with "
            + (in.isEmpty() ? "nothing" : in.get(0).kind().name().toLowerCase()) + ", not with its session's open");
      }
      long opens = in.stream().filter(f -> f.kind() == ConnectRequest.FrameCase.OPEN).count();
      if (opens != 1) {
        throw p.failure("call " + (call.index() + 1) + " carried " + opens + " open frames: one call is one session");
      }
      String room = in.get(0).frame().orElseThrow().getOpen().getRoomId();
      if (!room.equals(p.roomId())) {
        throw p.failure("call " + (call.index() + 1) + " opened room '" + room + "', not '" + p.roomId() + "'");
      }
    }
  }

  private static void bearerToken(ClientProbe p) throws InterruptedException {
    String token = "kit-token-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    KitCall first = p.connect(token);
    p.update(p.state("mine"));
    p.syncAll("all");
    Sent.awaitFrames(p, first, ConnectRequest.FrameCase.SUBSCRIBE, 1);
    first.end(Status.Code.UNAVAILABLE, null, "ended by the conformance kit to see the next call");
    KitCall next = p.awaitOpened(1, "the session after an UNAVAILABLE end");
    // Barrier: the restored subscription shows that the second call carried frames beyond its open.
    Sent.awaitFrames(p, next, ConnectRequest.FrameCase.SUBSCRIBE, 1);
    byte[] secret = token.getBytes(StandardCharsets.UTF_8);
    for (KitCall call : p.server().calls()) {
      String header = call.authorization().orElse(null);
      if (!("Bearer " + token).equals(header)) {
        throw p.failure("call " + (call.index() + 1) + " carried authorization "
            + (header == null ? "none" : "'" + header + "'") + ", not 'Bearer ' and the application's token");
      }
      for (Inbound in : call.inbound()) {
        if (contains(in.raw(), secret)) {
          throw p.failure("a " + in.kind().name().toLowerCase() + " frame of call " + (call.index() + 1)
              + " carried the token");
        }
      }
    }
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  /**
   * Fills the room with users whose states make the '*' snapshot one presence frame just under 4194304 bytes: the
   * kit sends a snapshot in one frame.
   */
  private static void bigSnapshot(ClientProbe p, boolean zeroLimits) throws InterruptedException {
    if (zeroLimits) {
      p.autopilot().limits(Sent.limits().setMaxOutboundFrameBytes(0).setMaxStateDepth(0).build());
    }
    Map<String, Struct> states = new LinkedHashMap<>();
    for (int i = 0; i < BIG_USERS; i++) {
      String user = String.format("big-%02d", i);
      Struct state = Sent.padded(p, user, BIG_PAD);
      states.put(user, state);
      p.room().set(user, state);
    }
    KitCall call = p.connect();
    int mark = p.mark();
    p.syncAll("all");
    for (Map.Entry<String, Struct> e : states.entrySet()) {
      p.awaitChange(mark, "all", c -> c.getUserId().equals(e.getKey()) && c.hasState(),
          "the snapshot's state of " + e.getKey());
    }
    int largest = call.outbound().stream().mapToInt(o -> o.raw().length).max().orElse(0);
    if (largest < CLIENT_FRAME_BYTES - 100_000) {
      throw p.failure("the kit meant to send a frame of about 4.1 MB but its largest was " + largest + " bytes");
    }
    List<String> changed = new ArrayList<>();
    p.changes("all").stream().filter(c -> states.containsKey(c.getUserId()))
        .filter(c -> !c.getState().equals(states.get(c.getUserId()))).forEach(c -> changed.add(c.getUserId()));
    if (!changed.isEmpty()) {
      throw p.failure("after a presence frame of " + largest + " bytes the callback got states that differ from "
          + "those sent for " + changed);
    }
  }

  private static void requestIds(ClientProbe p) throws InterruptedException {
    p.room().set("other", p.state("other"));
    p.room().set("another", p.state("another"));
    KitCall call = p.connect();
    p.syncAll("all");
    p.syncUser("one", "other");
    p.syncFollowing("following");
    for (String user : List.of("other", "another")) {
      requireOk(p, p.follow(user).hasFailure(), "follow " + user);
    }
    requireOk(p, p.unfollow("another").hasFailure(), "unfollow another");
    requireOk(p, p.follow("another").hasFailure(), "follow another again");
    p.unsync("one");
    p.syncUser("one-again", "another");
    List<Inbound> answered = new ArrayList<>(Sent.awaitFrames(p, call, ConnectRequest.FrameCase.SUBSCRIBE, 4));
    answered.addAll(call.inbound(ConnectRequest.FrameCase.FOLLOW));
    answered.addAll(call.inbound(ConnectRequest.FrameCase.UNFOLLOW));
    Set<Long> seen = new HashSet<>();
    for (Inbound in : answered) {
      long id = in.frame().orElseThrow().getRequestId();
      String kind = in.kind().name().toLowerCase();
      if (id == 0) {
        throw p.failure("a " + kind + " frame carried request_id 0");
      }
      if (!seen.add(id)) {
        throw p.failure("request_id " + Long.toUnsignedString(id) + " was given to more than one frame of the "
            + "session (again on a " + kind + ")");
      }
    }
  }

  private static void requireOk(ClientProbe p, boolean failed, String what) {
    if (failed) {
      throw p.failure(what + " failed, though the kit's server acknowledged it");
    }
  }

  private static void subscriptionIds(ClientProbe p) throws InterruptedException {
    KitCall call = p.connect();
    p.syncAll("all");
    p.syncFollowing("following");
    p.syncUser("odd", "user with spaces/and ümlauts");
    p.syncAll("all-again");
    p.unsync("odd");
    p.unsync("following");
    p.syncUser("odd-again", "user with spaces/and ümlauts");
    Sent.awaitFrames(p, call, ConnectRequest.FrameCase.UNSUBSCRIBE, 2);
    List<String> ids = new ArrayList<>();
    Sent.awaitFrames(p, call, ConnectRequest.FrameCase.SUBSCRIBE, 5)
        .forEach(in -> ids.add(in.frame().orElseThrow().getSubscribe().getSubscriptionId()));
    call.inbound(ConnectRequest.FrameCase.UNSUBSCRIBE)
        .forEach(in -> ids.add(in.frame().orElseThrow().getUnsubscribe().getSubscriptionId()));
    for (String id : ids) {
      if (!SUBSCRIPTION_ID.matcher(id).matches()) {
        throw p.failure("the SDK sent subscription_id '" + id + "'");
      }
    }
  }

  private static void roomIdAsGiven(ClientProbe p) throws InterruptedException {
    String room = "Kit.Room_Mixed:Case~Id-" + p.roomId().toUpperCase() + "-" + p.roomId();
    p.ok(Command.newBuilder().setConnect(p.connectCommand().setRoomId(room)));
    String sent = p.lastCall().open().map(o -> o.getRoomId()).orElse(null);
    if (!room.equals(sent)) {
      throw p.failure("the application asked for room '" + room + "'; the open named '" + sent + "'");
    }
  }

  private static void idsNotNormalized(ClientProbe p) throws InterruptedException {
    String composed = "caf\u00e9";
    String decomposed = "cafe\u0301";
    p.room().set(composed, p.state("composed"));
    p.room().set(decomposed, p.state("decomposed"));
    p.connect();
    int mark = p.mark();
    p.syncAll("all");
    p.awaitChange(mark, "all", c -> c.getUserId().equals(composed) && c.hasState()
        && ClientProbe.label(c.getState()).equals("composed"), "the state 'composed' for the NFC user id");
    p.awaitChange(mark, "all", c -> c.getUserId().equals(decomposed) && c.hasState()
        && ClientProbe.label(c.getState()).equals("decomposed"), "the state 'decomposed' for the NFD user id");
    int cleared = p.mark();
    p.room().clear(composed);
    p.awaitChange(cleared, "all", c -> c.getUserId().equals(composed) && !c.hasState(),
        "a null for the NFC user id");
    Map<String, Struct> held = p.getStates();
    if (held.containsKey(composed) || !held.containsKey(decomposed)
        || !ClientProbe.label(held.get(decomposed)).equals("decomposed")) {
      Map<String, String> labels = new LinkedHashMap<>();
      held.forEach((u, s) -> labels.put(u.codePoints().collect(StringBuilder::new,
          (b, cp) -> b.append(cp < 128 ? Character.toString(cp) : String.format("\\u%04x", cp)),
          StringBuilder::append).toString(), ClientProbe.label(s)));
      throw p.failure("after the NFC user cleared, getStates() held " + labels
          + "; the NFD user should still hold 'decomposed' and the NFC user nothing");
    }
    p.reportsSince(cleared).stream().filter(t -> t.report().hasChange()
            && t.report().getChange().getUserId().equals(decomposed)).findFirst()
        .ifPresent(t -> {
          throw p.failure("the NFC user's clear reached the callback as a change of the NFD user");
        });
  }
}
