package dev.presence.server.it;

import static dev.presence.server.it.Events.nullWith;
import static dev.presence.server.it.Events.x;
import static dev.presence.server.support.Frames.all;
import static dev.presence.server.support.Frames.subscribe;
import static dev.presence.server.support.Frames.update;
import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.NullReason;
import dev.presence.server.PresenceServer;
import dev.presence.server.config.ConfigException;
import dev.presence.server.config.ServerConfig;
import dev.presence.server.support.BlackholeProxy;
import dev.presence.server.support.Frames;
import dev.presence.server.support.ServerFixture;
import dev.presence.server.support.TestCerts;
import dev.presence.server.support.TestSession;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.handler.ssl.SslContextBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS and mutual TLS from PEM files, with certificates generated for the test. */
class TlsIT {
  @TempDir
  Path dir;

  private ServerFixture fx;
  private final List<ManagedChannel> channels = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (ManagedChannel c : channels) {
      c.shutdownNow();
    }
    if (fx != null) {
      fx.close();
    }
  }

  private ManagedChannel tlsChannel(int port, TestCerts.Pair trusted, TestCerts.Pair clientIdentity)
      throws Exception {
    SslContextBuilder ssl = GrpcSslContexts.forClient().trustManager(trusted.cert().toFile());
    if (clientIdentity != null) {
      ssl.keyManager(clientIdentity.cert().toFile(), clientIdentity.key().toFile());
    }
    ManagedChannel c = NettyChannelBuilder.forAddress("127.0.0.1", port).sslContext(ssl.build()).build();
    channels.add(c);
    return c;
  }

  private static void stateFlows(ManagedChannel a, ManagedChannel b) {
    TestSession bob = TestSession.open(b, "tls-room", "bob");
    bob.send(subscribe(1, "all", all()));
    bob.await("snapshot_complete", ConnectResponse::hasSnapshotComplete);
    TestSession alice = TestSession.open(a, "tls-room", "alice");
    alice.send(update(1));
    bob.awaitEvent("alice", x(1));
  }

  @Test
  @DisplayName("TLS: sessions work over TLS; a plaintext client cannot talk to a TLS port")
  void tls() throws Exception {
    TestCerts.Pair server = TestCerts.selfSigned(dir, "server");
    fx = ServerFixture.start(b -> b.tlsCertFile(server.cert().toString()).tlsKeyFile(server.key().toString()));
    stateFlows(tlsChannel(fx.port(), server, null), tlsChannel(fx.port(), server, null));
    TestSession plain = TestSession.connect(fx.channel());
    plain.send(Frames.open("tls-room", "mallory"));
    assertThat(plain.awaitClose().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(plain.history()).isEmpty();
  }

  @Test
  @DisplayName("mTLS: a client certificate from the configured CA is required; none or an unknown one is refused")
  void mutualTls() throws Exception {
    TestCerts.Pair server = TestCerts.selfSigned(dir, "server");
    TestCerts.Pair client = TestCerts.selfSigned(dir, "client");
    TestCerts.Pair stranger = TestCerts.selfSigned(dir, "stranger");
    // A self-signed client certificate is its own CA.
    fx = ServerFixture.start(b -> b.tlsCertFile(server.cert().toString()).tlsKeyFile(server.key().toString())
        .tlsClientCaFile(client.cert().toString()));
    stateFlows(tlsChannel(fx.port(), server, client), tlsChannel(fx.port(), server, client));
    for (TestCerts.Pair identity : new TestCerts.Pair[] {null, stranger}) {
      TestSession refused = TestSession.connect(tlsChannel(fx.port(), server, identity));
      refused.send(Frames.open("tls-room", "mallory"));
      assertThat(refused.awaitClose().getCode()).as("client identity %s", identity).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(refused.history()).isEmpty();
    }
    assertThat(fx.server().sessionCount()).isEqualTo(2);
  }

  @Test
  @DisplayName("PRS-LIV-1 over TLS: the server's own HTTP/2 probes pass through TLS; a blackholed peer -> TIMED_OUT in time")
  void livenessUnderTls() throws Exception {
    TestCerts.Pair server = TestCerts.selfSigned(dir, "server");
    int leaveDetectionMillis = 1000;
    fx = ServerFixture.start(b -> b.tlsCertFile(server.cert().toString()).tlsKeyFile(server.key().toString())
        .leaveDetectionMillis(leaveDetectionMillis).pingIntervalMillis(0));
    TestSession bob = TestSession.open(tlsChannel(fx.port(), server, null), "tls-room", "bob");
    bob.send(subscribe(1, "all", all()));
    bob.await("snapshot_complete", ConnectResponse::hasSnapshotComplete);
    try (BlackholeProxy proxy = new BlackholeProxy(fx.port())) {
      TestSession alice = TestSession.open(tlsChannel(proxy.port(), server, null), "tls-room", "alice");
      alice.send(update(1));
      bob.awaitEvent("alice", x(1));
      // Several detection periods of a healthy idle TLS connection: probes are answered, nobody leaves.
      List<ConnectResponse> quiet = bob.drainFor(Duration.ofMillis(3 * leaveDetectionMillis));
      assertThat(Events.about("alice", quiet)).isEmpty();
      long lostAt = System.nanoTime();
      proxy.swallow();
      long arrivedAt = bob.awaitReceived("TIMED_OUT null", f -> f.hasPresence() && f.getPresence().getEventsList()
          .stream().anyMatch(e -> e.getUserId().equals("alice") && nullWith(NullReason.NULL_REASON_TIMED_OUT).test(e)))
          .atNanos();
      // Bound: leave detection + W (PRS-LIV-1); tolerance 1500 ms for scheduling on a loaded machine.
      assertThat(TimeUnit.NANOSECONDS.toMillis(arrivedAt - lostAt)).isLessThan(leaveDetectionMillis + 50 + 1500);
    }
  }

  @Test
  @DisplayName("Config: a key that is not a key, or a key without a certificate, is refused at build time")
  void badTlsFilesAreRefused() throws Exception {
    TestCerts.Pair server = TestCerts.selfSigned(dir, "server");
    Path garbage = Files.writeString(dir.resolve("garbage.key"), "not a key");
    ServerConfig bad = ServerConfig.builder().port(0).metricsPort(0)
        .tlsCertFile(server.cert().toString()).tlsKeyFile(garbage.toString()).build();
    Assertions.assertThatThrownBy(() -> PresenceServer.builder(bad).build())
        .isInstanceOf(ConfigException.class).hasMessageContaining("tlsKeyFile");
    Assertions.assertThatThrownBy(() -> ServerConfig.builder().tlsCertFile(server.cert().toString()).build())
        .isInstanceOf(ConfigException.class).hasMessageContaining("together");
    Assertions.assertThatThrownBy(() -> ServerConfig.builder().tlsCertFile(dir.resolve("missing.crt").toString())
        .tlsKeyFile(server.key().toString()).build())
        .isInstanceOf(ConfigException.class).hasMessageContaining("not a readable file");
  }
}
