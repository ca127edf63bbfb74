package dev.presence.conformance.directed;

import static dev.presence.conformance.directed.Expect.answer;
import static dev.presence.conformance.directed.Expect.endOfOpen;
import static dev.presence.conformance.directed.Expect.expectEnd;
import static dev.presence.conformance.directed.Expect.open;

import dev.presence.conformance.directed.Probe.Joined;
import dev.presence.conformance.driver.RawSession;
import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.ErrorReason;
import dev.presence.protocol.v1.Follow;
import dev.presence.protocol.v1.Opened;
import dev.presence.protocol.v1.Subscribe;
import dev.presence.protocol.v1.SyncTarget;
import dev.presence.protocol.v1.Unfollow;
import dev.presence.protocol.v1.Unsubscribe;
import dev.presence.protocol.v1.User;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Identifiers and display names, Draft 2: PRS-IDN-5 (exact), PRS-IDN-7, PRS-IDN-8, PRS-IDN-9. */
final class IdentifierCases {

  private static final int MAX_NAME_BYTES = 256;

  private IdentifierCases() {}

  static List<DirectedCase> all() {
    return List.of(
        DirectedCase.checks("PRS-IDN-5",
            "A user id MUST be 1 to 256 bytes",
            "MUST contain no code point of general category Cc (U+0000 to U+001F and U+007F to U+009F), and "
                + "MUST NOT consist only of code points with the Unicode property White_Space (U+0009 to U+000D, "
                + "U+0020, U+0085, U+00A0, U+1680, U+2000 to U+200A, U+2028, U+2029, U+202F, U+205F, U+3000).")
            .by(IdentifierCases::userIdWhiteSpaceAndControlRules),
        DirectedCase.checks("PRS-IDN-7",
            "Invalid UTF-8 in an identifier is a format violation of that field and MUST get that field's "
                + "reason: in Open.room_id, INVALID_ROOM_ID; in Open.dev_user_id, UNAUTHENTICATED from a server in "
                + "the development mode (any other server ignores the field); in a subscription_id, "
                + "INVALID_SUBSCRIPTION_ID; in SyncTarget.user_id, Follow.user_id or Unfollow.user_id, "
                + "INVALID_USER_ID",
            "Invalid UTF-8 in Open.client_agent MUST be ignored, and in Open.dev_display_name it MUST be "
                + "replaced as PRS-IDN-9 says.")
            .by(IdentifierCases::invalidUtf8GetsTheFieldsReason),
        DirectedCase.checks("PRS-IDN-8",
            "The display name a room shows for a user, in Opened.members and member_joined, MUST be the one of "
                + "the session that made the user a member (their first live session) and MUST NOT change while the "
                + "user stays a member.",
            "Opened.self MUST carry the opening session's own display name.")
            .by(IdentifierCases::displayNameComesFromTheFirstSession),
        DirectedCase.checks("PRS-IDN-9",
            "A display name MUST be valid UTF-8 of at most 256 bytes with no code point of category Cc.",
            "removing Cc code points",
            "truncating at a code point boundary.")
            .by(IdentifierCases::longDisplayNameIsTruncated));
  }

  /** User ids and whether PRS-IDN-5 allows them; every white space and control boundary PRS-IDN-5 names. */
  private static Map<String, Boolean> userIds() {
    Map<String, Boolean> ids = new LinkedHashMap<>();
    for (String onlyWhiteSpace : List.of("\u00A0", " ", "\u1680", "\u2003\u3000", "\u2028", "\u2029", "\u202F",
        "\u205F", "\u200A")) {
      ids.put(onlyWhiteSpace, false);
    }
    for (String control : List.of("a\u007Fb", "a\u0085b", "a\u009Fb", "a\tb", "\u0000")) {
      ids.put(control, false);
    }
    ids.put("", false);
    ids.put("x".repeat(257), false);
    ids.put("a\u00A0b", true);
    ids.put(" a ", true);
    ids.put("\u200B", true);
    ids.put("\uFEFF", true);
    ids.put("\u00E9".repeat(128), true);
    return ids;
  }

  private static void userIdWhiteSpaceAndControlRules(Probe p) throws InterruptedException {
    Joined j = p.join("u1");
    long requestId = 500;
    for (Map.Entry<String, Boolean> id : userIds().entrySet()) {
      requestId++;
      ConnectResponse r = answer(p, j.session(), ConnectRequest.newBuilder().setRequestId(requestId)
          .setFollow(Follow.newBuilder().setUserId(id.getKey())).build());
      boolean refused = r.hasError() && r.getError().getReason() == ErrorReason.ERROR_REASON_INVALID_USER_ID;
      if (id.getValue() == refused || (!refused && !r.hasAck())) {
        throw new CaseFailure("follow of user id " + describe(id.getKey()) + " should get "
            + (id.getValue() ? "an ack" : "INVALID_USER_ID") + "; got " + (r.hasError()
                ? "ProtocolError " + r.getError().getReason() : r.getFrameCase()));
      }
      if (r.hasAck()) {
        j.session().send(ConnectRequest.newBuilder().setRequestId(requestId + 10_000)
            .setUnfollow(Unfollow.newBuilder().setUserId(id.getKey())).build());
      }
    }
  }

  static String describe(String id) {
    StringBuilder b = new StringBuilder("'");
    id.codePoints().limit(12).forEach(c -> b.append(c < 0x21 || c > 0x7E ? String.format("\\u%04X", c)
        : Character.toString(c)));
    return b.append(id.length() > 12 ? "…' (" + id.getBytes(StandardCharsets.UTF_8).length + " bytes)" : "'")
        .toString();
  }

  private static void invalidUtf8GetsTheFieldsReason(Probe p) throws InterruptedException {
    String bad = InvalidUtf8.MARKER;
    expectEnd("room_id with invalid UTF-8", endOfOpen(p, p.start("u1"),
        InvalidUtf8.spoil(open(p.openFrame("u1").setRoomId(p.room() + bad)))), Status.Code.INVALID_ARGUMENT,
        "INVALID_ROOM_ID");
    devUserIdAndNames(p);
    Joined j = p.join("u1");
    expectNonFatal(p, j.session(), "subscribe.subscription_id", ConnectRequest.newBuilder().setRequestId(71)
        .setSubscribe(Subscribe.newBuilder().setSubscriptionId(bad).setTarget(Expect.everyone())).build(),
        ErrorReason.ERROR_REASON_INVALID_SUBSCRIPTION_ID);
    expectNonFatal(p, j.session(), "unsubscribe.subscription_id", ConnectRequest.newBuilder().setRequestId(72)
        .setUnsubscribe(Unsubscribe.newBuilder().setSubscriptionId(bad)).build(),
        ErrorReason.ERROR_REASON_INVALID_SUBSCRIPTION_ID);
    expectNonFatal(p, j.session(), "SyncTarget.user_id", ConnectRequest.newBuilder().setRequestId(73)
        .setSubscribe(Subscribe.newBuilder().setSubscriptionId("t").setTarget(SyncTarget.newBuilder()
            .setUserId(bad))).build(), ErrorReason.ERROR_REASON_INVALID_USER_ID);
    expectNonFatal(p, j.session(), "follow.user_id", ConnectRequest.newBuilder().setRequestId(74)
        .setFollow(Follow.newBuilder().setUserId(bad)).build(), ErrorReason.ERROR_REASON_INVALID_USER_ID);
    expectNonFatal(p, j.session(), "unfollow.user_id", ConnectRequest.newBuilder().setRequestId(75)
        .setUnfollow(Unfollow.newBuilder().setUserId(bad)).build(), ErrorReason.ERROR_REASON_INVALID_USER_ID);
    Expect.stillAlive(p, j.session());
  }

  private static void devUserIdAndNames(Probe p) throws InterruptedException {
    String bad = InvalidUtf8.MARKER;
    RawSession s = p.start("u2");
    int from = p.mark();
    s.sendBytes(InvalidUtf8.spoil(open(p.openFrame("u2").setDevUserId(bad))));
    if (!p.credentials().verifiedByServer()) {
      expectEnd("dev_user_id with invalid UTF-8 in dev mode", p.awaitEnd(s, from), Status.Code.UNAUTHENTICATED,
          "UNAUTHENTICATED");
    } else {
      p.await(s, from, ConnectResponse::hasOpened, "opened: a server not in dev mode ignores dev_user_id");
    }
    RawSession agent = p.start("u2");
    from = p.mark();
    agent.sendBytes(InvalidUtf8.spoil(open(p.openFrame("u2").setClientAgent(bad))));
    p.await(agent, from, ConnectResponse::hasOpened, "opened: client_agent with invalid UTF-8 is ignored");
    if (p.credentials().verifiedByServer()) {
      return;
    }
    RawSession named = p.start("u3");
    from = p.mark();
    named.sendBytes(InvalidUtf8.spoil(open(p.openFrame("u3").setDevDisplayName("N" + bad))));
    String name = p.await(named, from, ConnectResponse::hasOpened, "opened despite a dev_display_name with "
        + "invalid UTF-8").getOpened().getSelf().getDisplayName();
    if (!name.contains("\uFFFD")) {
      throw new CaseFailure("an invalid sequence in dev_display_name should become U+FFFD; the name was "
          + describe(name));
    }
  }

  private static void expectNonFatal(Probe p, RawSession s, String field, ConnectRequest frame,
      ErrorReason expected) throws InterruptedException {
    int from = p.mark();
    s.sendBytes(InvalidUtf8.spoil(frame));
    long id = frame.getRequestId();
    ConnectResponse r = p.await(s, from, x -> Expect.answersRequest(x, id) || (x.hasError()
        && x.getError().getReason() == ErrorReason.ERROR_REASON_MALFORMED_FRAME), "an answer to " + field);
    if (!r.hasError() || r.getError().getReason() != expected) {
      throw new CaseFailure(field + " with invalid UTF-8 should get " + expected + "; got "
          + (r.hasError() ? r.getError().getReason() : r.getFrameCase()));
    }
  }

  private static void requireDevMode(Probe p) {
    if (p.credentials().verifiedByServer()) {
      throw new NotApplicable("display names come from verified credentials, which the kit cannot vary; "
          + "checked in development mode");
    }
  }

  private static void displayNameComesFromTheFirstSession(Probe p) throws InterruptedException {
    requireDevMode(p);
    Joined watcher = p.join("u2");
    int from = p.mark();
    Joined first = p.join("u1", o -> o.setDevDisplayName("First name"));
    String user = first.opened().getSelf().getUserId();
    ConnectResponse joined = p.await(watcher.session(), from, r -> r.hasMemberJoined()
        && r.getMemberJoined().getUser().getUserId().equals(user), "member_joined");
    expectName("member_joined", joined.getMemberJoined().getUser(), "First name");
    from = p.mark();
    Joined second = p.join("u1", o -> o.setDevDisplayName("Second name"));
    expectName("the second session's Opened.self", second.opened().getSelf(), "Second name");
    expectName("the second session's Opened.members", member(second.opened(), user), "First name");
    first.session().cancel();
    Joined later = p.join("u3");
    expectName("Opened.members after the first session ended", member(later.opened(), user), "First name");
    if (p.receivedSince(watcher.session(), from).stream().anyMatch(r -> r.hasMemberJoined()
        && r.getMemberJoined().getUser().getUserId().equals(user))) {
      throw new CaseFailure("a second session of a member announced the user again");
    }
  }

  private static User member(Opened opened, String user) {
    return opened.getMembersList().stream().filter(m -> m.getUserId().equals(user)).findFirst()
        .orElseThrow(() -> new CaseFailure("Opened.members lacks " + user));
  }

  private static void expectName(String where, User user, String expected) {
    if (!user.getDisplayName().equals(expected)) {
      throw new CaseFailure(where + " should name " + user.getUserId() + " '" + expected + "'; said '"
          + user.getDisplayName() + "'");
    }
  }

  private static void longDisplayNameIsTruncated(Probe p) throws InterruptedException {
    requireDevMode(p);
    String sent = "\u0007" + "\u00E9".repeat(150);
    String name = p.join("u1", o -> o.setDevDisplayName(sent)).opened().getSelf().getDisplayName();
    String removedFirst = truncate(sent.replace("\u0007", ""));
    String truncatedFirst = truncate(sent).replace("\u0007", "");
    if (!name.equals(removedFirst) && !name.equals(truncatedFirst)) {
      throw new CaseFailure("a display name of " + sent.getBytes(StandardCharsets.UTF_8).length + " bytes with a "
          + "control character should come back without it, cut at a character boundary within "
          + MAX_NAME_BYTES + " bytes (" + removedFirst.getBytes(StandardCharsets.UTF_8).length + " bytes); got "
          + name.getBytes(StandardCharsets.UTF_8).length + " bytes: " + describe(name));
    }
  }

  private static String truncate(String name) {
    StringBuilder b = new StringBuilder();
    int bytes = 0;
    for (int c : name.codePoints().toArray()) {
      bytes += new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8).length;
      if (bytes > MAX_NAME_BYTES) {
        break;
      }
      b.appendCodePoint(c);
    }
    return b.toString();
  }
}
