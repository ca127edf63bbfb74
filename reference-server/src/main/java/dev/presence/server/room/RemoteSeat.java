package dev.presence.server.room;

import com.google.protobuf.Struct;
import dev.presence.protocol.v1.User;
import dev.presence.server.fanout.EncodedState;
import dev.presence.server.session.Seat;
import java.util.Objects;

/**
 * A session on another node of a cluster, as this node's copy of the room holds it. Confined to the room's
 * executor.
 */
public final class RemoteSeat implements Seat {
  private final String id;
  private final String nodeId;
  private final User user;
  private EncodedState slot;
  private long slotSequence;

  /**
   * @param id the seat's cluster-wide id
   * @param nodeId the node the session lives on
   * @param user the session's user
   * @param slot its state, or null
   * @param slotSequence the room-wide order of the state's last change
   */
  public RemoteSeat(String id, String nodeId, User user, Struct slot, long slotSequence) {
    this.id = Objects.requireNonNull(id, "id");
    this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
    this.user = Objects.requireNonNull(user, "user");
    this.slot = slot == null ? null : EncodedState.of(slot);
    this.slotSequence = slotSequence;
  }

  /** @return the seat's cluster-wide id */
  public String id() {
    return id;
  }

  /** @return the node the session lives on */
  public String nodeId() {
    return nodeId;
  }

  @Override
  public User user() {
    return user;
  }

  @Override
  public EncodedState slot() {
    return slot;
  }

  @Override
  public long slotSequence() {
    return slotSequence;
  }

  void setSlot(EncodedState state, long sequence) {
    slot = state;
    slotSequence = sequence;
  }

  @Override
  public String toString() {
    return "seat=" + id;
  }
}
