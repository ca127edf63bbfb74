package dev.presence.conformance.directed;

import dev.presence.conformance.directed.Probe.Joined;
import dev.presence.conformance.driver.Credentials.Unusable;
import dev.presence.conformance.driver.ForgedCredentials;
import dev.presence.conformance.driver.RawSession;
import dev.presence.conformance.history.Observation;
import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.User;
import io.grpc.Metadata;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;

/**
 * Identity from verified credentials, PRS-IDN-1 and PRS-IDN-2. They need a server that verifies tokens, so they run
 * with {@code --tokens} or {@code --token-command}; in the development mode every case is NOT-APPLICABLE and says
 * which part of the rule went unchecked. Forged credentials are made from user u1's token (see
 * {@link ForgedCredentials}); expired and not-yet-valid tokens need the server's key, so only the operator can supply
 * them.
 */
final class CredentialCases {

  private static final String IDN_1_FRAME = "never from a claim inside a frame";
  private static final String IDN_1_TOKEN = "A server MUST take the user id and display name of a session from "
      + "authentication of the call (for example the `sub` and a name claim of a verified token)";
  private static final String IDN_2 = "Missing, malformed, unverifiable, expired or not-yet-valid credentials MUST "
      + "end the call with `UNAUTHENTICATED`, reason `UNAUTHENTICATED`, before `opened` is sent.";
  /** Why a check that needs a server verifying tokens did not run; shared, so that a report counts them as one. */
  static final String DEVELOPMENT_MODE = "this run claims identities in the development mode; run with --tokens or "
      + "--token-command to check it";

  private CredentialCases() {}

  static List<DirectedCase> all() {
    return List.of(
        DirectedCase.checks("PRS-IDN-1", IDN_1_FRAME).by(CredentialCases::claimedIdentityIgnored),
        DirectedCase.checks("PRS-IDN-1", IDN_1_TOKEN).by(CredentialCases::forgedSubjectNotTrusted),
        DirectedCase.checks("PRS-IDN-2", IDN_2).by(CredentialCases::missingRefused),
        DirectedCase.checks("PRS-IDN-2", IDN_2).by(CredentialCases::malformedRefused),
        DirectedCase.checks("PRS-IDN-2", IDN_2).by(CredentialCases::unverifiableRefused),
        DirectedCase.checks("PRS-IDN-2", IDN_2).by(p -> unusableRefused(p, Unusable.EXPIRED)),
        DirectedCase.checks("PRS-IDN-2", IDN_2).by(p -> unusableRefused(p, Unusable.NOT_YET_VALID)));
  }

  private static void needsTokens(Probe p, String unchecked) {
    if (!p.credentials().verifiedByServer()) {
      throw NotApplicable.unchecked(unchecked, DEVELOPMENT_MODE);
    }
  }

  private static String u1Token(Probe p, String unchecked) {
    return ForgedCredentials.bearerToken(p.credentials(), "u1").orElseThrow(() -> NotApplicable.unchecked(unchecked,
        "the credentials present no bearer token for u1 to alter"));
  }

  private static void claimedIdentityIgnored(Probe p) throws InterruptedException {
    needsTokens(p, "that a dev_user_id and dev_display_name claimed in the open frame do not override the verified "
        + "identity");
    User verified = p.join("u1").opened().getSelf();
    RawSession s = p.start("u1");
    int from = p.mark();
    s.send(ConnectRequest.newBuilder().setOpen(p.openFrame("u1").setDevUserId("intruder")
        .setDevDisplayName("Intruder")).build());
    User claimed = p.await(s, from, ConnectResponse::hasOpened, "opened").getOpened().getSelf();
    if (!claimed.getUserId().equals(verified.getUserId())
        || !claimed.getDisplayName().equals(verified.getDisplayName())) {
      throw new CaseFailure("with a verified token for '" + verified.getUserId() + "' ('" + verified.getDisplayName()
          + "'), a claimed dev_user_id 'intruder' ('Intruder') made the session act as '" + claimed.getUserId()
          + "' ('" + claimed.getDisplayName() + "')");
    }
  }

  private static void forgedSubjectNotTrusted(Probe p) throws InterruptedException {
    String unchecked = "that a token whose sub claim was rewritten without its signature does not make the session "
        + "act as that sub";
    needsTokens(p, unchecked);
    String token = u1Token(p, unchecked);
    Joined victim = p.join("u2");
    String target = victim.opened().getSelf().getUserId();
    String forged = ForgedCredentials.withSubject(token, target).orElseThrow(() -> NotApplicable.unchecked(unchecked,
        "u1's token is not a JWT with a sub claim"));
    if (answerToOpen(p, ForgedCredentials.bearer(forged)) instanceof Observation.Received r
        && r.frame().getOpened().getSelf().getUserId().equals(target)) {
      throw new CaseFailure("a token of u1 whose sub was rewritten to '" + target + "', with u1's signature, "
          + "opened a session acting as '" + target + "'");
    }
  }

  /** Opens a session with the given call metadata; returns its opened or the end of its call, whichever came. */
  private static Observation answerToOpen(Probe p, Metadata headers) throws InterruptedException {
    RawSession s = p.startWith(headers);
    int from = p.mark();
    s.send(ConnectRequest.newBuilder().setOpen(p.openFrame("u1")).build());
    return p.history().await(from, o -> (o instanceof Observation.Ended e && e.session().equals(s.name()))
        || (o instanceof Observation.Received r && r.session().equals(s.name()) && r.frame().hasOpened()),
        p.timing().requestTimeout()).orElseThrow(() -> new CaseFailure("neither opened nor the end of the call "
            + "within " + p.timing().requestTimeout().toMillis() + " ms of an open"));
  }

  private static void missingRefused(Probe p) throws InterruptedException {
    needsTokens(p, "that an open without an authorization header is refused");
    refused(p, List.of(new Forgery("no authorization header", new Metadata())));
  }

  private static void malformedRefused(Probe p) throws InterruptedException {
    String unchecked = "that malformed authorization headers (not a token; an empty bearer token; Basic; a token "
        + "without the Bearer scheme) are refused";
    needsTokens(p, unchecked);
    String token = u1Token(p, unchecked);
    refused(p, List.of(
        new Forgery("'Bearer not-a-valid-token'", ForgedCredentials.authorization("Bearer not-a-valid-token")),
        new Forgery("an empty bearer token", ForgedCredentials.authorization("Bearer ")),
        new Forgery("Basic credentials", ForgedCredentials.authorization("Basic dTE6cGFzc3dvcmQ=")),
        new Forgery("u1's token without the Bearer scheme", ForgedCredentials.authorization(token))));
  }

  private static void unverifiableRefused(Probe p) throws InterruptedException {
    String unchecked = "that tokens with an altered signature, an altered sub claim or no signature (alg none) are "
        + "refused";
    needsTokens(p, unchecked);
    String token = u1Token(p, unchecked);
    List<Forgery> forged = new ArrayList<>();
    forged.add(new Forgery("u1's token with one character of its signature changed",
        ForgedCredentials.bearer(ForgedCredentials.withAlteredSignature(token))));
    ForgedCredentials.withSubject(token, "intruder").ifPresent(t ->
        forged.add(new Forgery("u1's token with its sub rewritten to 'intruder'", ForgedCredentials.bearer(t))));
    ForgedCredentials.unsigned(token).ifPresent(t ->
        forged.add(new Forgery("u1's claims declared unsigned (alg none)", ForgedCredentials.bearer(t))));
    refused(p, forged);
  }

  private static void unusableRefused(Probe p, Unusable why) throws InterruptedException {
    String what = why == Unusable.EXPIRED ? "expired" : "not-yet-valid";
    String unchecked = "that a validly signed but " + what + " token is refused";
    needsTokens(p, unchecked);
    String token = p.credentials().unusableToken(why).orElseThrow(() -> NotApplicable.unchecked(unchecked,
        "the kit cannot sign one and none was supplied (key '" + why.key() + "' in the --tokens file)"));
    refused(p, List.of(new Forgery("a " + what + " token", ForgedCredentials.bearer(token))));
  }

  /** Credentials a case presents, and how the failure message names them. */
  private record Forgery(String label, Metadata headers) {}

  /** Opens one session with each forgery; every one must end UNAUTHENTICATED before any opened. */
  private static void refused(Probe p, List<Forgery> forgeries) throws InterruptedException {
    List<String> problems = new ArrayList<>();
    for (Forgery f : forgeries) {
      Observation answer = answerToOpen(p, f.headers());
      if (answer instanceof Observation.Received r) {
        problems.add(f.label() + ": opened was sent, for user '" + r.frame().getOpened().getSelf().getUserId()
            + "'");
      } else if (answer instanceof Observation.Ended e && (e.code() != Status.Code.UNAUTHENTICATED
          || !e.errorInfoReason().equals("UNAUTHENTICATED"))) {
        problems.add(f.label() + ": the call ended " + e.code() + " with reason '" + e.errorInfoReason() + "'");
      }
    }
    if (!problems.isEmpty()) {
      throw new CaseFailure("credentials that must end the call UNAUTHENTICATED with reason UNAUTHENTICATED before "
          + "opened did not: " + String.join("; ", problems));
    }
  }
}
