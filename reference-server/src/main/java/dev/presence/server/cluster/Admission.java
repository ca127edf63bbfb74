package dev.presence.server.cluster;

import java.util.List;

/** What the open script answered: the seat's number in the room's order, or a refusal by a session limit. */
record Admission(long sequence) {
  boolean refused() {
    return sequence < 0;
  }

  static Admission of(List<Object> reply) {
    return new Admission((Long) reply.get(0));
  }
}
