package dev.presence.server.room;

import dev.presence.protocol.v1.User;
import dev.presence.server.fanout.EncodedState;
import dev.presence.server.session.Seat;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A user with at least one live session in a room, on this node or another, and the presence derived from
 * those sessions.
 */
final class Member {
  final User user;
  final Set<Seat> seats = new LinkedHashSet<>();
  /** The presence last announced to the room; compared by identity to detect changes. */
  EncodedState presence;

  Member(User user) {
    this.user = user;
  }

  /** @return the most recently set non-null session state, or null (PRS-SES-2) */
  EncodedState derivePresence() {
    EncodedState best = null;
    long bestSequence = Long.MIN_VALUE;
    for (Seat s : seats) {
      if (s.slot() != null && s.slotSequence() > bestSequence) {
        best = s.slot();
        bestSequence = s.slotSequence();
      }
    }
    return best;
  }
}
