package dev.presence.client.integration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.client.ConnectionState;
import dev.presence.client.MembershipListener;
import dev.presence.client.NullReason;
import dev.presence.client.PresenceChange;
import dev.presence.client.PresenceClient;
import dev.presence.client.SyncTarget;
import dev.presence.client.User;
import dev.presence.client.testing.Covers;
import dev.presence.client.testing.Harness.Recorder;
import dev.presence.server.config.AuthMode;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.SecretKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * PRS-RCN-6 against the reference server in JWT mode, which ends a session whose token expires with
 * {@code CREDENTIALS_EXPIRED}. The acceptance is a 6-second token over 60 s; this runs 3-second tokens over
 * 20 s, which keeps the module's test run short on a shared machine and still makes the client replace its session
 * about ten times (JWT expiries are whole seconds, so each token lives 2 to 3 s and is replaced after 1.3 to 2 s).
 * The client reads each expiry from the token's {@code exp} claim; nothing else tells it.
 */
@Covers("PRS-RCN-6")
@Covers("PRS-TRN-3")
class ExpiringTokenTest {
  private static final String SECRET = "0123456789abcdef0123456789abcdef-test-only";
  private static final SecretKey KEY = Keys.hmacShaKeyFor(SECRET.getBytes(StandardCharsets.UTF_8));
  private static final Duration TOKEN_LIFETIME = Duration.ofSeconds(3);
  private static final Duration OBSERVED = Duration.ofSeconds(20);
  private RealServer server;

  @AfterEach
  void stop() {
    server.close();
  }

  private static String token(String user, Duration lifetime) {
    return Jwts.builder().subject(user).issuer("tests").expiration(Date.from(Instant.now().plus(lifetime)))
        .signWith(KEY).compact();
  }

  @Test
  void aClientWithShortLivedTokensStaysPresentAndAnObserverSeesNoNullAndNoFlicker() throws Exception {
    server = RealServer.start(b -> b.authMode(AuthMode.JWT).jwtSecret(SECRET).jwtIssuer("tests"));
    PresenceClient eve = server.connect(PresenceClient.builder().target(server.target())
        .token(() -> token("eve", Duration.ofMinutes(5))), "r");
    Recorder seen = new Recorder();
    eve.presence().sync(SyncTarget.user("ada"), seen);
    List<String> membership = new CopyOnWriteArrayList<>();
    eve.users().onMembership(new MembershipListener() {
      @Override
      public void onJoined(User user) {
        membership.add("+" + user.id());
      }

      @Override
      public void onLeft(User user, NullReason reason) {
        membership.add("-" + user.id() + ":" + reason);
      }
    });

    AtomicInteger adaTokens = new AtomicInteger();
    List<ConnectionState> adaStates = new CopyOnWriteArrayList<>();
    PresenceClient ada = server.connect(PresenceClient.builder().target(server.target())
        .connectionListener((state, cause) -> adaStates.add(state))
        .token(() -> {
          adaTokens.incrementAndGet();
          return token("ada", TOKEN_LIFETIME);
        }), "r");
    ada.presence().update(Map.of("cursor", Map.of("x", 1, "y", 2)));
    RealServer.await("eve's listener sees ada's state", () -> !seen.changes.isEmpty());

    long end = System.nanoTime() + OBSERVED.toNanos();
    while (System.nanoTime() < end) {
      assertThat(eve.presence().getState("ada")).as("ada's state as eve holds it").isNotNull();
      Thread.sleep(20);
    }

    List<PresenceChange> changes = List.copyOf(seen.changes);
    assertThat(changes).as("one state, then no null and no change").hasSize(1);
    assertThat(changes.get(0).isNull()).isFalse();
    assertThat(membership).as("ada never left").containsExactly("+ada");
    assertThat(adaTokens.get()).as("tokens ada asked for: one per session").isGreaterThanOrEqualTo(8);
    assertThat(adaStates).containsExactly(ConnectionState.CONNECTING, ConnectionState.CONNECTED);
    assertThat(ada.connectionState()).isEqualTo(ConnectionState.CONNECTED);
  }
}
