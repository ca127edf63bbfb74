package dev.presence.server.room;

import static dev.presence.server.support.Frames.all;
import static dev.presence.server.support.Frames.subscribe;
import static dev.presence.server.support.Frames.update;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.presence.protocol.v1.Capability;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.Limits;
import dev.presence.protocol.v1.Opened;
import dev.presence.protocol.v1.PresenceEvent;
import dev.presence.protocol.v1.User;
import dev.presence.server.config.ConfigException;
import dev.presence.server.config.ServerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** PRS-TRN-7: frames after opened stay within max_outbound_frame_bytes; opened within 4194304 bytes. */
class FrameBoundTest {
  private static final int BOUND = 65_536;
  private static final int USERS = 40;
  private final RoomHarness h = new RoomHarness(ServerConfig.builder().maxOutboundFrameBytes(BOUND).build());

  private static Struct maxState(int x) {
    Struct.Builder b = Struct.newBuilder().putFields("x", Value.newBuilder().setNumberValue(x).build());
    int pad = 8192 - b.build().getSerializedSize() - 16;
    Struct s = b.putFields("pad", Value.newBuilder().setStringValue("p".repeat(pad)).build()).build();
    assertThat(s.getSerializedSize()).isBetween(8000, 8192);
    return s;
  }

  private List<RoomHarness.Client> usersWithStates(int x) {
    List<RoomHarness.Client> users = new ArrayList<>();
    for (int i = 0; i < USERS; i++) {
      RoomHarness.Client u = h.open("r", "user-" + i);
      u.send(update(maxState(x)));
      users.add(u);
    }
    return users;
  }

  private static List<PresenceEvent> events(List<ConnectResponse> frames) {
    return frames.stream().filter(ConnectResponse::hasPresence)
        .flatMap(f -> f.getPresence().getEventsList().stream()).toList();
  }

  @Test
  @DisplayName("PRS-TRN-7: opened advertises max_outbound_frame_bytes")
  void openedAdvertisesBound() {
    RoomHarness.Client bob = h.open("r", "bob");
    assertThat(bob.call.sent.get(0).frame().getOpened().getLimits().getMaxOutboundFrameBytes()).isEqualTo(BOUND);
  }

  @Test
  @DisplayName("PRS-TRN-7: a snapshot larger than the bound spans several frames, each within it, before snapshot_complete")
  void snapshotIsSplit() {
    usersWithStates(1);
    RoomHarness.Client bob = h.open("r", "bob");
    bob.call.clear();
    bob.send(subscribe(1, "A", all()));
    assertThat(bob.call.rawFrames).hasSizeGreaterThan(4)
        .allSatisfy(bytes -> assertThat(bytes.length).isLessThanOrEqualTo(BOUND));
    List<ConnectResponse> frames = bob.call.sent.stream().map(FakeCall.Sent::frame).toList();
    assertThat(frames.get(frames.size() - 1).hasSnapshotComplete()).isTrue();
    assertThat(events(frames)).hasSize(USERS).allSatisfy(e -> assertThat(e.getSubscriptionIdsList()).containsExactly("A"));
  }

  @Test
  @DisplayName("PRS-TRN-7: what a stalled subscriber is owed is written as several live frames within the bound, in order, the latest per user")
  void liveBacklogIsSplit() {
    RoomHarness.Client bob = h.open("r", "bob");
    bob.send(subscribe(1, "A", all()));
    bob.call.ready = false;
    List<RoomHarness.Client> users = usersWithStates(1);
    h.time.advance(100);
    for (RoomHarness.Client u : users) {
      u.send(update(maxState(2)));
    }
    h.time.advance(100);
    bob.call.clear();
    bob.becomeReady();
    assertThat(bob.call.rawFrames).hasSizeGreaterThan(4)
        .allSatisfy(bytes -> assertThat(bytes.length).isLessThanOrEqualTo(BOUND));
    List<ConnectResponse> frames = bob.call.sent.stream().map(FakeCall.Sent::frame).toList();
    List<PresenceEvent> live = events(frames);
    assertThat(live).extracting(PresenceEvent::getUserId)
        .isEqualTo(users.stream().map(u -> u.session.userId()).toList());
    assertThat(live).allSatisfy(e -> assertThat(e.getState()).isEqualTo(maxState(2)));
  }

  @Test
  @DisplayName("PRS-TRN-7: opened for the largest room the configuration allows, with 256-byte ids and names, is within 4194304 bytes")
  void largestOpenedFits() {
    String longest = "u".repeat(256);
    User big = User.newBuilder().setUserId(longest).setDisplayName("n".repeat(256)).build();
    Opened.Builder opened = Opened.newBuilder()
        .setSessionId(UUID.randomUUID().toString())
        .setSelf(big)
        .setProtocolVersion(Integer.MAX_VALUE)
        .setLimits(Limits.newBuilder()
            .setThrottleWindowMillis(Integer.MAX_VALUE).setMaxStateBytes(Integer.MAX_VALUE)
            .setMaxSubscriptions(Integer.MAX_VALUE).setMaxFollows(Integer.MAX_VALUE)
            .setLeaveDetectionMillis(Integer.MAX_VALUE).setMaxInboundFrameBytes(Integer.MAX_VALUE)
            .setMaxSessionsPerUser(Integer.MAX_VALUE).setMaxSessionsPerRoom(Integer.MAX_VALUE)
            .setIdleTimeoutMillis(Integer.MAX_VALUE).setPingIntervalMillis(Integer.MAX_VALUE)
            .setMaxStateDepth(Integer.MAX_VALUE).setMaxOutboundFrameBytes(Integer.MAX_VALUE))
        .addCapabilities(Capability.CAPABILITY_PING);
    for (int i = 0; i < ServerConfig.MAX_SESSIONS_PER_ROOM; i++) {
      opened.addMembers(big);
    }
    assertThat(ConnectResponse.newBuilder().setOpened(opened).build().getSerializedSize())
        .isLessThanOrEqualTo(4_194_304);
    assertThatThrownBy(() -> ServerConfig.builder().maxSessionsPerRoom(ServerConfig.MAX_SESSIONS_PER_ROOM + 1).build())
        .isInstanceOf(ConfigException.class).hasMessageContaining("maxSessionsPerRoom");
  }
}
