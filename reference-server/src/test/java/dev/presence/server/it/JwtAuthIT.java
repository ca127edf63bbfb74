package dev.presence.server.it;

import static dev.presence.server.it.Events.nullWith;
import static dev.presence.server.it.Events.x;
import static dev.presence.server.support.Frames.all;
import static dev.presence.server.support.Frames.open;
import static dev.presence.server.support.Frames.subscribe;
import static dev.presence.server.support.Frames.update;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.ErrorInfo;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.NullReason;
import dev.presence.protocol.v1.Opened;
import dev.presence.server.config.AuthMode;
import dev.presence.server.support.ServerFixture;
import dev.presence.server.support.TestSession;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.MetadataUtils;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import javax.crypto.SecretKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** JWT authentication (HS256) over real Netty (PRS-IDN-*). */
class JwtAuthIT {
  private static final String SECRET = "0123456789abcdef0123456789abcdef-test-only";
  private static final SecretKey KEY = Keys.hmacShaKeyFor(SECRET.getBytes(StandardCharsets.UTF_8));
  private ServerFixture fx;

  @BeforeEach
  void start() throws Exception {
    fx = ServerFixture.start(b -> b.authMode(AuthMode.JWT).jwtSecret(SECRET).jwtIssuer("tests"));
  }

  @AfterEach
  void stop() throws Exception {
    fx.close();
  }

  private static String token(String sub, Instant expiresAt, List<String> rooms, SecretKey key) {
    var b = Jwts.builder().subject(sub).issuer("tests").claim("name", "Name of " + sub)
        .expiration(Date.from(expiresAt)).signWith(key);
    if (rooms != null) {
      b.claim("rooms", rooms);
    }
    return b.compact();
  }

  private Channel withToken(String token) {
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
    return ClientInterceptors.intercept(fx.channel(), MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  private ErrorInfo rejected(Channel channel, String room, Status.Code code) {
    TestSession s = TestSession.connect(channel);
    s.send(open(room, "ignored"));
    ErrorInfo info = s.awaitErrorInfo();
    assertThat(s.awaitClose().getCode()).isEqualTo(code);
    return info;
  }

  @Test
  @DisplayName("PRS-IDN-1/PRS-IDN-3: identity comes from the token's sub and name; dev_user_id is ignored")
  void identityFromToken() {
    TestSession s = TestSession.connect(withToken(token("alice", Instant.now().plusSeconds(60), null, KEY)));
    s.send(open("r", "mallory"));
    Opened opened = s.await("opened", ConnectResponse::hasOpened).getOpened();
    assertThat(opened.getSelf().getUserId()).isEqualTo("alice");
    assertThat(opened.getSelf().getDisplayName()).isEqualTo("Name of alice");
  }

  @Test
  @DisplayName("PRS-IDN-2: missing, forged, expired or wrong-issuer tokens end the call UNAUTHENTICATED")
  void badCredentials() {
    assertThat(rejected(fx.channel(), "r", Status.Code.UNAUTHENTICATED).getReason()).isEqualTo("UNAUTHENTICATED");
    SecretKey other = Keys.hmacShaKeyFor("another-secret-another-secret-another".getBytes(StandardCharsets.UTF_8));
    assertThat(rejected(withToken(token("alice", Instant.now().plusSeconds(60), null, other)), "r",
        Status.Code.UNAUTHENTICATED).getReason()).isEqualTo("UNAUTHENTICATED");
    assertThat(rejected(withToken(token("alice", Instant.now().minusSeconds(60), null, KEY)), "r",
        Status.Code.UNAUTHENTICATED).getReason()).isEqualTo("UNAUTHENTICATED");
    String wrongIssuer = Jwts.builder().subject("alice").issuer("elsewhere")
        .expiration(Date.from(Instant.now().plusSeconds(60))).signWith(KEY).compact();
    assertThat(rejected(withToken(wrongIssuer), "r", Status.Code.UNAUTHENTICATED).getReason())
        .isEqualTo("UNAUTHENTICATED");
    assertThat(rejected(withToken("not.a.jwt"), "r", Status.Code.UNAUTHENTICATED).getReason())
        .isEqualTo("UNAUTHENTICATED");
  }

  @Test
  @DisplayName("PRS-IDN-4: a room outside the token's rooms claim ends the call PERMISSION_DENIED / ROOM_FORBIDDEN")
  void roomForbidden() {
    String t = token("alice", Instant.now().plusSeconds(60), List.of("allowed"), KEY);
    assertThat(rejected(withToken(t), "other", Status.Code.PERMISSION_DENIED).getReason())
        .isEqualTo("ROOM_FORBIDDEN");
    TestSession ok = TestSession.connect(withToken(t));
    ok.send(open("allowed", "ignored"));
    assertThat(ok.next().hasOpened()).isTrue();
  }

  @Test
  @DisplayName("PRS-IDN-6/PRS-END-3: credentials expiring while live end the session CREDENTIALS_EXPIRED; others see REVOKED")
  void expiryWhileLive() {
    TestSession bob = TestSession.connect(withToken(token("bob", Instant.now().plusSeconds(60), null, KEY)));
    bob.send(open("r", "x"));
    bob.await("opened", ConnectResponse::hasOpened);
    bob.send(subscribe(1, "all", all()));
    bob.await("snapshot_complete", ConnectResponse::hasSnapshotComplete);
    TestSession alice = TestSession.connect(withToken(token("alice", Instant.now().plusSeconds(2), null, KEY)));
    alice.send(open("r", "x"));
    alice.await("opened", ConnectResponse::hasOpened);
    alice.send(update(1));
    bob.awaitEvent("alice", x(1));
    ErrorInfo info = alice.awaitErrorInfo();
    assertThat(alice.awaitClose().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(info.getReason()).isEqualTo("CREDENTIALS_EXPIRED");
    bob.awaitEvent("alice", nullWith(NullReason.NULL_REASON_REVOKED));
    assertThat(bob.await("member_left", ConnectResponse::hasMemberLeft).getMemberLeft().getReason())
        .isEqualTo(NullReason.NULL_REASON_REVOKED);
  }

  @Test
  @DisplayName("PRS-IDN-7: outside dev mode, invalid UTF-8 in Open.dev_user_id is ignored and the open succeeds")
  void invalidDevUserIdIgnored() throws Exception {
    Channel channel = withToken(token("alice", Instant.now().plusSeconds(60), null, KEY));
    byte[] open = dev.presence.server.support.WireBytes.withInvalidUtf8(
        open("r", dev.presence.server.support.WireBytes.PLACEHOLDER));
    dev.presence.server.support.RawCall call = dev.presence.server.support.RawCall.start(channel).send(open);
    Opened opened = ConnectResponse.parseFrom(call.awaitMessage(ConnectResponse::hasOpened)).getOpened();
    assertThat(opened.getSelf().getUserId()).isEqualTo("alice");
  }
}
