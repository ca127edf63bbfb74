package dev.presence.client;

import static dev.presence.client.testing.FakePresenceServer.ack;
import static dev.presence.client.testing.FakePresenceServer.batch;
import static dev.presence.client.testing.FakePresenceServer.snapshotComplete;
import static dev.presence.client.testing.FakePresenceServer.state;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.UnknownFieldSet;
import com.google.protobuf.Value;
import dev.presence.client.testing.Covers;
import dev.presence.client.testing.FakePresenceServer;
import dev.presence.client.testing.FakePresenceServer.Conn;
import dev.presence.client.testing.Harness;
import dev.presence.client.testing.Harness.Recorder;
import dev.presence.protocol.v1.Capability;
import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.ConnectResponse;
import io.grpc.HandlerRegistry;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerMethodDefinition;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** What the client puts on the wire and accepts from it: RPC path and version, request ids, frame sizes. */
class WireContractTest {

  @Covers("PRS-EVO-7")
  @Covers("PRS-TRN-1")
  @Covers("PRS-EVO-5")
  @Test
  void connectsToTheV1PathWithProtocolVersion1AndDeclaresPing() {
    try (Harness h = new Harness()) {
      h.client.connect();
      Conn conn = h.server.awaitConnection();
      ConnectRequest open = conn.expect(ConnectRequest.FrameCase.OPEN);
      assertThat(conn.method()).isEqualTo("presence.v1.PresenceService/Connect");
      assertThat(open.getOpen().getProtocolVersion()).isEqualTo(1);
      assertThat(open.getOpen().getCapabilitiesList())
          .containsExactly(Capability.CAPABILITY_PING, Capability.CAPABILITY_DRAIN);
    }
  }

  @Covers("PRS-EVO-7")
  @Covers("PRS-RCN-3")
  @Test
  void unimplementedIsFatalAndNeverRetried() throws Exception {
    List<String> calls = new CopyOnWriteArrayList<>();
    HandlerRegistry nothing = new HandlerRegistry() {
      @Override
      public ServerMethodDefinition<?, ?> lookupMethod(String methodName, String authority) {
        calls.add(methodName);
        return null;
      }
    };
    String name = "no-presence-" + System.nanoTime();
    Server server = InProcessServerBuilder.forName(name).fallbackHandlerRegistry(nothing).build().start();
    ManagedChannel channel = InProcessChannelBuilder.forName(name).build();
    try (PresenceClient client = PresenceClient.builder().channel(channel).room("r").devIdentity("me", "")
        .reconnectBackoff(Duration.ofMillis(1), Duration.ofMillis(2)).build()) {
      assertThat(client.connect()).failsWithin(Duration.ofSeconds(5))
          .withThrowableOfType(ExecutionException.class).havingCause()
          .satisfies(e -> assertThat(((PresenceException) e).reason()).isEqualTo("UNIMPLEMENTED"));
      assertThat(client.connectionState()).isEqualTo(ConnectionState.CLOSED);
      assertThat(calls).containsExactly("presence.v1.PresenceService/Connect");
    } finally {
      channel.shutdownNow();
      server.shutdownNow();
    }
  }

  @Covers("PRS-ACK-3")
  @Covers("PRS-SUB-1")
  @Test
  void requestIdsAreDistinctAndNonZeroAcrossRequestsAndRestores() {
    try (Harness h = new Harness()) {
      Conn conn = h.connect("alice", "bob");
      h.client.presence().sync(SyncTarget.all(), change -> { });
      h.client.presence().sync(SyncTarget.user("alice"), change -> { });
      h.client.users().follow("alice");
      h.client.users().follow("bob");
      List<Long> ids = new ArrayList<>();
      Set<String> subscriptionIds = new HashSet<>();
      for (int i = 0; i < 4; i++) {
        ConnectRequest r = conn.next();
        ids.add(r.getRequestId());
        if (r.hasSubscribe()) {
          subscriptionIds.add(r.getSubscribe().getSubscriptionId());
        } else {
          conn.send(ack(r.getRequestId()));
        }
      }
      h.client.users().unfollow("bob");
      ConnectRequest unfollow = conn.expect(ConnectRequest.FrameCase.UNFOLLOW);
      ids.add(unfollow.getRequestId());
      conn.send(ack(unfollow.getRequestId()));
      h.settle(conn);
      conn.fail(io.grpc.Status.UNAVAILABLE);
      Conn again = h.server.awaitConnection();
      again.open("me", "me", "alice", "bob");
      for (int i = 0; i < 3; i++) {
        ids.add(again.next().getRequestId());
      }
      assertThat(ids).hasSize(8).doesNotContain(0L).doesNotHaveDuplicates();
      assertThat(subscriptionIds).hasSize(2).allMatch(id -> id.matches("[A-Za-z0-9._:~-]{1,64}"));
    }
  }

  @Covers("PRS-TRN-8")
  @Test
  void acceptsAFrameOf4194304Bytes() {
    try (FakePresenceServer server = new FakePresenceServer(true);
        PresenceClient client = PresenceClient.builder().target(server.target()).room("r")
            .devIdentity("me", "").build()) {
      client.connect();
      Conn conn = server.awaitConnection();
      conn.open("me", "me", "alice");
      Recorder seen = new Recorder();
      client.presence().sync(SyncTarget.all(), seen);
      ConnectRequest sub = conn.expect(ConnectRequest.FrameCase.SUBSCRIBE);
      String id = sub.getSubscribe().getSubscriptionId();
      ConnectResponse big = frameOfExactly(4_194_304, id);
      assertThat(big.getSerializedSize()).isEqualTo(4_194_304);
      conn.send(big);
      conn.send(snapshotComplete(id, sub.getRequestId()));
      Harness.await("the large snapshot delivered", () -> seen.changes.size() == 1);
      assertThat(seen.changes.get(0).state().getString("pad")).hasSize(
          big.getPresence().getEvents(0).getState().getFieldsOrThrow("pad").getStringValue().length());
      assertThat(client.connectionState()).isEqualTo(ConnectionState.CONNECTED);
      assertThat(server.waitingConnections()).isZero();
    }
  }

  @Covers("PRS-EVO-2")
  @Covers("PRS-EVO-3")
  @Test
  void unknownFieldsAndUnknownFrameKindsAreIgnored() {
    try (Harness h = new Harness()) {
      Conn conn = h.connect("alice");
      UnknownFieldSet future = UnknownFieldSet.newBuilder()
          .addField(999, UnknownFieldSet.Field.newBuilder().addVarint(7).build()).build();
      Recorder rec = new Recorder();
      h.client.presence().sync(SyncTarget.all(), rec);
      ConnectRequest sub = conn.expect(ConnectRequest.FrameCase.SUBSCRIBE);
      String id = sub.getSubscribe().getSubscriptionId();
      conn.send(ConnectResponse.newBuilder().setUnknownFields(future).build());
      conn.send(batch(state("alice", State.fromJson("{\"a\":1}").toStruct(), id)).toBuilder()
          .setUnknownFields(future).build());
      conn.send(snapshotComplete(id, sub.getRequestId()));
      h.settle(conn);
      assertThat(rec.seen()).containsExactly("alice={\"a\":1.0}");
      assertThat(h.client.connectionState()).isEqualTo(ConnectionState.CONNECTED);
    }
  }

  @Covers("PRS-ERR-7")
  @Test
  void errorInfoMetadataItDoesNotKnowChangesNothing() {
    try (Harness h = new Harness()) {
      var connected = h.client.connect();
      Conn conn = h.server.awaitConnection();
      conn.expect(ConnectRequest.FrameCase.OPEN);
      conn.fail(io.grpc.protobuf.StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
          .setCode(io.grpc.Status.Code.FAILED_PRECONDITION.value())
          .setMessage("version")
          .addDetails(com.google.protobuf.Any.pack(com.google.rpc.ErrorInfo.newBuilder().setDomain("presence.v1")
              .setReason("UNSUPPORTED_VERSION").putMetadata("supported_versions", "2")
              .putMetadata("some-future-key", "whatever").build()))
          .build()));
      assertThat(connected).failsWithin(Duration.ofSeconds(5)).withThrowableOfType(ExecutionException.class)
          .havingCause()
          .satisfies(e -> assertThat(((PresenceException) e).reason()).isEqualTo("UNSUPPORTED_VERSION"));
      assertThat(h.server.waitingConnections()).isZero();
    }
  }

  private static ConnectResponse frameOfExactly(int bytes, String subscriptionId) {
    int pad = bytes;
    while (true) {
      Struct state = Struct.newBuilder()
          .putFields("pad", Value.newBuilder().setStringValue("x".repeat(pad)).build()).build();
      ConnectResponse frame = batch(state("alice", state, subscriptionId));
      int size = frame.getSerializedSize();
      if (size == bytes) {
        return frame;
      }
      pad -= Math.max(1, size - bytes);
    }
  }
}
