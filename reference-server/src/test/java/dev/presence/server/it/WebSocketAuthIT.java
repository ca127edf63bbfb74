package dev.presence.server.it;

import static dev.presence.server.support.Frames.open;
import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.protocol.v1.Opened;
import dev.presence.protocol.v1.SessionEnd;
import dev.presence.server.config.AuthMode;
import dev.presence.server.config.ServerConfig;
import dev.presence.server.support.ServerFixture;
import dev.presence.server.support.WsSession;
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

/** Credentials on the WebSocket binding: the bearer subprotocol entry, judged at open (PRS-WS-6, PRS-WS-7). */
class WebSocketAuthIT {
  private static final String SECRET = "0123456789abcdef0123456789abcdef-test-only";
  private static final SecretKey KEY = Keys.hmacShaKeyFor(SECRET.getBytes(StandardCharsets.UTF_8));
  private ServerFixture fx;

  @BeforeEach
  void start() throws Exception {
    fx = ServerFixture.start(b -> b.authMode(AuthMode.JWT).jwtSecret(SECRET).wsPort(ServerConfig.ANY_FREE_PORT));
  }

  @AfterEach
  void stop() throws Exception {
    fx.close();
  }

  private static String token(String sub, List<String> rooms, SecretKey key) {
    return Jwts.builder().subject(sub).claim("name", "Name of " + sub).claim("rooms", rooms)
        .expiration(Date.from(Instant.now().plusSeconds(60))).signWith(key).compact();
  }

  private SessionEnd rejected(String room, String... subprotocols) {
    WsSession s = WsSession.connect(fx.wsPort(), subprotocols);
    s.send(open(room, "mallory"));
    return s.awaitSessionEnd();
  }

  @Test
  @DisplayName("PRS-WS-7, PRS-IDN-1: a good token in the bearer entry gives the token's identity; dev_user_id is ignored")
  void goodTokenAccepted() {
    WsSession s = WsSession.connect(fx.wsPort(), WsSession.bearerEntry(token("alice", List.of("r"), KEY)));
    s.send(open("r", "mallory"));
    Opened opened = s.next().getOpened();
    assertThat(opened.getSelf().getUserId()).isEqualTo("alice");
    assertThat(opened.getSelf().getDisplayName()).isEqualTo("Name of alice");
  }

  @Test
  @DisplayName("PRS-WS-7, PRS-IDN-2: no token, a forged one, a malformed entry or two entries end the session UNAUTHENTICATED after the upgrade")
  void badCredentials() {
    SecretKey other = Keys.hmacShaKeyFor("another-secret-another-secret-another".getBytes(StandardCharsets.UTF_8));
    List<SessionEnd> ends = List.of(
        rejected("r"),
        rejected("r", WsSession.bearerEntry(token("alice", List.of("r"), other))),
        rejected("r", WsSession.bearerEntry("not.a.jwt")),
        rejected("r", "presence.v1.bearer.not*base64"),
        rejected("r", "presence.v1.bearer.A"),
        rejected("r", "presence.v1.bearer."),
        rejected("r", WsSession.bearerEntry(token("alice", List.of("r"), KEY)),
            WsSession.bearerEntry(token("bob", List.of("r"), KEY))));
    for (SessionEnd end : ends) {
      assertThat(end.getCode()).isEqualTo(16);
      assertThat(end.getReason()).isEqualTo("UNAUTHENTICATED");
    }
  }

  @Test
  @DisplayName("PRS-OPN-9: on WebSocket too, a version mismatch is reported before the credentials are judged")
  void versionBeforeCredentials() {
    WsSession s = WsSession.connect(fx.wsPort(), WsSession.bearerEntry("not.a.jwt"));
    s.send(dev.presence.protocol.v1.ConnectRequest.newBuilder()
        .setOpen(dev.presence.protocol.v1.Open.newBuilder().setRoomId("r").setProtocolVersion(0)).build());
    assertThat(s.awaitSessionEnd().getReason()).isEqualTo("UNSUPPORTED_VERSION");
  }

  @Test
  @DisplayName("PRS-IDN-4: a room outside the token's rooms ends the session PERMISSION_DENIED / ROOM_FORBIDDEN, Close 4007")
  void roomForbidden() {
    SessionEnd end = rejected("other", WsSession.bearerEntry(token("alice", List.of("r"), KEY)));
    assertThat(end.getCode()).isEqualTo(7);
    assertThat(end.getReason()).isEqualTo("ROOM_FORBIDDEN");
  }
}
