package dev.presence.clientadapter;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.presence.conformance.adapter.v1.AllUsers;
import dev.presence.conformance.adapter.v1.Clear;
import dev.presence.conformance.adapter.v1.Close;
import dev.presence.conformance.adapter.v1.Command;
import dev.presence.conformance.adapter.v1.Connect;
import dev.presence.conformance.adapter.v1.ConnectionState;
import dev.presence.conformance.adapter.v1.Follow;
import dev.presence.conformance.adapter.v1.GetState;
import dev.presence.conformance.adapter.v1.GetStates;
import dev.presence.conformance.adapter.v1.Report;
import dev.presence.conformance.adapter.v1.Result;
import dev.presence.conformance.adapter.v1.Sync;
import dev.presence.conformance.adapter.v1.Unsync;
import dev.presence.conformance.adapter.v1.Update;
import dev.presence.server.PresenceServer;
import dev.presence.server.config.ServerConfig;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The adapter as a child process against the reference server in its development auth mode. */
class JavaClientAdapterTest {
  /** A value no log line may ever contain: it only travels inside presence states (PRS-PRV-1). */
  private static final String SECRET = "state-value-that-must-not-be-logged";

  private static PresenceServer server;

  @BeforeAll
  static void startServer() throws IOException {
    server = PresenceServer.builder(ServerConfig.builder().host("127.0.0.1").port(0).build()).build().start();
  }

  @AfterAll
  static void stopServer() throws InterruptedException {
    server.shutdown(Duration.ofSeconds(5));
  }

  @Test
  void saysHelloFirstAndExitsZeroWhenInputEnds() throws Exception {
    try (AdapterHarness adapter = AdapterHarness.start()) {
      Report hello = adapter.await(r -> true);
      assertThat(hello.hasHello()).isTrue();
      assertThat(hello.getHello().getSdk()).isEqualTo("presence-client");
      assertThat(hello.getHello().getLanguage()).isEqualTo("Java");
      assertThat(hello.getHello().getVersion()).isNotEmpty().doesNotContain("${");

      assertThat(adapter.endInput()).isZero();
      assertThat(adapter.reports()).hasSize(1);
    }
  }

  @Test
  void refusesCommandsItCannotCarryOut() throws Exception {
    try (AdapterHarness adapter = AdapterHarness.start()) {
      Result unknown = adapter.call(Command.newBuilder());
      assertThat(unknown.hasFailure()).isTrue();
      assertThat(unknown.getFailure().getMessage()).isEqualTo("unsupported command");

      Result early = adapter.call(Command.newBuilder().setGetStates(GetStates.getDefaultInstance()));
      assertThat(early.getFailure().getMessage()).isEqualTo("not connected");

      assertThat(adapter.endInput()).isZero();
    }
  }

  @Test
  void twoUsersSeeEachOthersPresenceThroughTheirAdapters() throws Exception {
    try (AdapterHarness alice = AdapterHarness.start();
        AdapterHarness bob = AdapterHarness.start()) {
      assertThat(connect(alice, "alice").hasFailure()).isFalse();
      alice.await(r -> r.hasConnection()
          && r.getConnection().getState() == ConnectionState.CONNECTION_STATE_OPEN);
      assertThat(alice.call(Command.newBuilder().setSync(Sync.newBuilder().setSync("everyone")
          .setAllUsers(AllUsers.getDefaultInstance()))).hasFailure()).isFalse();
      assertThat(connect(bob, "bob").hasFailure()).isFalse();
      alice.await(r -> r.hasMember() && r.getMember().getUserId().equals("bob") && r.getMember().getJoined());

      Struct bobState = cursor(7);
      assertThat(bob.call(update(bobState)).hasFailure()).isFalse();
      Report seen = alice.await(r -> r.hasChange() && r.getChange().getUserId().equals("bob"));
      assertThat(seen.getChange().getSync()).isEqualTo("everyone");
      assertThat(seen.getChange().getState()).isEqualTo(bobState);

      Struct aliceState = cursor(3);
      alice.call(update(aliceState));
      Result states = alice.call(Command.newBuilder().setGetStates(GetStates.getDefaultInstance()));
      assertThat(states.getStates().getStatesMap()).containsEntry("bob", bobState);
      Result bobsState = alice.call(Command.newBuilder().setGetState(GetState.newBuilder().setUserId("bob")));
      assertThat(bobsState.getState().getState()).isEqualTo(bobState);
      Result own = alice.call(Command.newBuilder().setGetState(GetState.getDefaultInstance()));
      assertThat(own.getState().getState()).isEqualTo(aliceState);
      Result nobody = alice.call(Command.newBuilder().setGetState(GetState.newBuilder().setUserId("carol")));
      assertThat(nobody.getState().hasState()).isFalse();

      Result follow = alice.call(Command.newBuilder().setFollow(Follow.newBuilder().setUserId("bob")));
      assertThat(follow.hasFailure()).isFalse();

      assertThat(bob.call(Command.newBuilder().setClose(Close.getDefaultInstance())).hasFailure()).isFalse();
      bob.await(r -> r.hasConnection()
          && r.getConnection().getState() == ConnectionState.CONNECTION_STATE_CLOSED);
      Report gone = alice.await(r -> r.hasChange() && r.getChange().getUserId().equals("bob")
          && !r.getChange().hasState());
      assertThat(gone.getChange().getNullReason()).isEqualTo("LEFT");

      assertThat(alice.call(Command.newBuilder().setUnsync(Unsync.newBuilder().setSync("everyone")))
          .hasFailure()).isFalse();
      assertThat(alice.call(Command.newBuilder().setClear(Clear.getDefaultInstance())).hasFailure()).isFalse();
      assertThat(alice.endInput()).isZero();
      assertThat(bob.endInput()).isZero();
      assertThat(alice.stderr()).doesNotContain(SECRET);
      assertThat(bob.stderr()).doesNotContain(SECRET);
    }
  }

  @Test
  void aStateTheClientRefusesFailsTheUpdate() throws Exception {
    try (AdapterHarness adapter = AdapterHarness.start()) {
      connect(adapter, "deep");
      Struct deep = Struct.newBuilder().putFields("leaf", Value.newBuilder().setBoolValue(true).build()).build();
      for (int i = 0; i < 40; i++) {
        deep = Struct.newBuilder().putFields("n", Value.newBuilder().setStructValue(deep).build()).build();
      }
      Result refused = adapter.call(update(deep));
      assertThat(refused.getFailure().getReason()).isEqualTo("STATE_TOO_DEEP");
      assertThat(refused.getFailure().getCode()).isEmpty();
      assertThat(adapter.endInput()).isZero();
    }
  }

  private static Result connect(AdapterHarness adapter, String user) throws Exception {
    return adapter.call(Command.newBuilder().setConnect(Connect.newBuilder()
        .setTarget("127.0.0.1:" + server.port())
        .setRoomId("adapter-test")
        .addTokens(ClientSession.DEV_TOKEN_PREFIX + user)));
  }

  private static Command.Builder update(Struct state) {
    return Command.newBuilder().setUpdate(Update.newBuilder().setState(state));
  }

  private static Struct cursor(double x) {
    return Struct.newBuilder()
        .putFields("x", Value.newBuilder().setNumberValue(x).build())
        .putFields("label", Value.newBuilder().setStringValue(SECRET).build())
        .build();
  }
}
