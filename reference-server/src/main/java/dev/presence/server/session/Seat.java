package dev.presence.server.session;

import dev.presence.protocol.v1.User;
import dev.presence.server.fanout.EncodedState;

/**
 * One session of a user in a room as the user's presence sees it: a {@link Session} on this node, or a
 * session on another node of a cluster. A user's presence is the most recently set state of their seats
 * (PRS-SES-2), ordered by one room-wide sequence.
 */
public interface Seat {
  /** @return the user the seat belongs to */
  User user();

  /** @return the user id */
  default String userId() {
    return user().getUserId();
  }

  /** @return the seat's state, or null */
  EncodedState slot();

  /** @return the room-wide order of the last change of the slot */
  long slotSequence();
}
