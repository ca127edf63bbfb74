package dev.presence.conformance.transcript;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.conformance.driver.Endpoints;
import dev.presence.conformance.driver.GrpcEndpoint;
import dev.presence.conformance.driver.Timing;
import dev.presence.conformance.transcript.TranscriptResult.Outcome;
import dev.presence.server.PresenceServer;
import dev.presence.server.config.AuthMode;
import dev.presence.server.config.ServerConfig;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.jsonwebtoken.JwtBuilder;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.crypto.SecretKey;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays every transcript of spec/transcripts against the reference server over loopback, each on a server of
 * its own started with the transcript's settings: in the development mode, or for {@code # auth: jwt} in the HS256
 * JWT mode with a test secret the replayer mints tokens with. A transcript the replayer skips (Draft 2 behaviour
 * against a Draft 1 server) is reported as an aborted test with the reason, never as a pass.
 */
// The resources close by waiting for a server to stop; an interrupt then fails the test, as it should.
@SuppressWarnings("try")
class TranscriptReplayTest {

  private static final String SECRET = "transcript-replay-test-secret-0123456789abcdef";
  private static final SecretKey KEY = key(SECRET);
  private static final SecretKey WRONG_KEY = key("a-key-the-reference-server-never-heard-of-0123");

  private static final Path DIRECTORY =
      Path.of(System.getProperty("presence.repository", ".."), "spec", "transcripts");

  @TestFactory
  Stream<DynamicTest> everyTranscriptHoldsAgainstTheReferenceServer() throws IOException {
    Replayer replayer = new Replayer(TranscriptReplayTest::referenceServer, Timing.defaults());
    List<Transcript> transcripts = Transcripts.in(DIRECTORY);
    assertThat(transcripts).isNotEmpty();
    return transcripts.stream().map(t -> DynamicTest.dynamicTest(t.name() + ": " + t.title(), () -> {
      TranscriptResult result = replayer.replay(t);
      Assumptions.assumeTrue(result.outcome() != Outcome.SKIPPED, result.detail());
      assertThat(result.outcome()).as("%s%n%s", result.detail(), result.trace()).isEqualTo(Outcome.PASS);
    }));
  }

  @org.junit.jupiter.api.Test
  @org.junit.jupiter.api.DisplayName("a transcript the server does not follow fails at its first mismatching line")
  void mismatchNamesTheLine() throws Exception {
    Transcript wrong = TranscriptParser.parse("wrong", "# title: wrong\n# rules: PRS-END-3\n"
        + "join alice\njoin bob\n"
        + "alice< member_joined { user { user_id: \"bob\" } }\n"
        + "bob> request_id: 1 subscribe { subscription_id: \"all\" target { all_users {} } }\n"
        + "bob< snapshot_complete { subscription_id: \"all\" request_id: 1 }\n"
        + "alice> update_state { state {} }\n"
        + "bob< presence { events { user_id: \"alice\" state {} } }\n"
        + "alice> leave {}\n"
        + "bob< presence { events { user_id: \"alice\" null_reason: NULL_REASON_TIMED_OUT } }\n");
    TranscriptResult result = new Replayer(TranscriptReplayTest::referenceServer, Timing.defaults()).replay(wrong);
    assertThat(result.outcome()).isEqualTo(Outcome.FAIL);
    assertThat(result.line()).isEqualTo(11);
    assertThat(result.detail()).contains("NULL_REASON_LEFT");
  }

  @org.junit.jupiter.api.Test
  @org.junit.jupiter.api.DisplayName("'# auth: jwt' transcripts are skipped, with the reason, without the server's key")
  void jwtTranscriptsNeedTheKey() throws Exception {
    List<Transcript> minting = Transcripts.in(DIRECTORY).stream().filter(t -> t.auth() == Transcript.Auth.JWT)
        .toList();
    assertThat(minting).isNotEmpty();
    try (TranscriptTarget.Server devServer = referenceServer(Map.of(), Transcript.Auth.DEV).orElseThrow()) {
      Replayer replayer = new Replayer(TranscriptTarget.fixed(devServer.endpoints()), Timing.defaults());
      assertThat(replayer.replayAll(minting)).allSatisfy(r -> {
        assertThat(r.outcome()).isEqualTo(Outcome.SKIPPED);
        assertThat(r.detail()).contains("signing key");
      });
    }
  }

  private static Optional<TranscriptTarget.Server> referenceServer(Map<String, String> settings,
      Transcript.Auth auth) throws IOException {
    ServerConfig.Builder config = ServerConfig.builder().host("127.0.0.1").port(0);
    settings.forEach((key, value) -> apply(config, key, Integer.parseInt(value)));
    if (auth == Transcript.Auth.JWT) {
      config.authMode(AuthMode.JWT).jwtSecret(SECRET);
    }
    PresenceServer server = PresenceServer.builder(config.build()).build().start();
    ManagedChannel channel = open("127.0.0.1", server.port());
    Endpoints endpoints = Endpoints.of(GrpcEndpoint.at(channel, "127.0.0.1", server.port(),
        TranscriptReplayTest::open));
    return Optional.of(new TranscriptTarget.Server(endpoints, () -> shutdown(server),
        TranscriptReplayTest::mint, () -> {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      server.shutdown(Duration.ofSeconds(1));
    }));
  }

  /** HS256, with the claims JwtAuthenticator reads. */
  private static String mint(TokenMinter.Claims claims) {
    JwtBuilder token = Jwts.builder().subject(claims.subject()).claim("name", claims.subject())
        .expiration(Date.from(claims.expiresAt()));
    claims.rooms().ifPresent(rooms -> token.claim("rooms", rooms));
    return token.signWith(claims.wrongKey() ? WRONG_KEY : KEY).compact();
  }

  private static SecretKey key(String secret) {
    return Keys.hmacShaKeyFor(secret.getBytes(StandardCharsets.UTF_8));
  }

  private static ManagedChannel open(String host, int port) {
    return Grpc.newChannelBuilderForAddress(host, port, InsecureChannelCredentials.create())
        .maxInboundMessageSize(4 << 20).build();
  }

  private static void shutdown(PresenceServer server) {
    try {
      server.shutdown(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void apply(ServerConfig.Builder config, String key, int value) {
    switch (key) {
      case "throttle_window_millis" -> config.throttleWindowMillis(value);
      case "max_inbound_frame_bytes" -> config.maxInboundFrameBytes(value);
      case "max_sessions_per_user" -> config.maxSessionsPerUser(value);
      case "leave_detection_millis" -> config.leaveDetectionMillis(value);
      case "idle_timeout_millis" -> config.idleTimeoutMillis(value);
      case "ping_interval_millis" -> config.pingIntervalMillis(value);
      case "open_timeout_millis" -> config.openTimeoutMillis(value);
      default -> throw new IllegalArgumentException("the reference server has no setting " + key);
    }
  }
}
