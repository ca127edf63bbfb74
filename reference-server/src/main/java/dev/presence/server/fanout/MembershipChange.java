package dev.presence.server.fanout;

import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.MemberJoined;
import dev.presence.protocol.v1.MemberLeft;
import dev.presence.protocol.v1.NullReason;
import dev.presence.protocol.v1.User;

/**
 * One user's joining or leaving the room, encoded once and shared by every outbox that will deliver it: a join
 * in a room of N sessions is one frame written N times, not N frames built and serialized.
 */
public final class MembershipChange {
  private final String userId;
  private final boolean joined;
  private final Frame frame;

  private MembershipChange(String userId, boolean joined, ConnectResponse response) {
    this.userId = userId;
    this.joined = joined;
    this.frame = FrameEncoder.encode(response);
  }

  /** @param user a user whose first session in the room opened @return the {@code member_joined} change */
  public static MembershipChange joined(User user) {
    return new MembershipChange(user.getUserId(), true,
        ConnectResponse.newBuilder().setMemberJoined(MemberJoined.newBuilder().setUser(user)).build());
  }

  /**
   * @param userId a user whose last session in the room ended
   * @param reason the PRS-END-3 reason
   * @return the {@code member_left} change
   */
  public static MembershipChange left(String userId, NullReason reason) {
    return new MembershipChange(userId, false,
        ConnectResponse.newBuilder().setMemberLeft(MemberLeft.newBuilder().setUserId(userId).setReason(reason)).build());
  }

  String userId() {
    return userId;
  }

  boolean joined() {
    return joined;
  }

  Frame frame() {
    return frame;
  }
}
