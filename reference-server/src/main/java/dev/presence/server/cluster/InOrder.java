package dev.presence.server.cluster;

import java.util.ArrayDeque;
import java.util.function.LongConsumer;

/**
 * Applies a session's state changes in the order they were made, whatever order their room-wide numbers arrive
 * in: a change that Redis could not order may complete before an earlier one still waiting for its answer.
 * Confined to the room's executor.
 */
final class InOrder {
  /** A change waiting for its number. */
  static final class Pending {
    private final LongConsumer apply;
    private boolean done;
    private long sequence;

    private Pending(LongConsumer apply) {
      this.apply = apply;
    }
  }

  private final ArrayDeque<Pending> queue = new ArrayDeque<>();

  Pending add(LongConsumer apply) {
    Pending p = new Pending(apply);
    queue.add(p);
    return p;
  }

  void complete(Pending p, long sequence) {
    p.done = true;
    p.sequence = sequence;
    while (!queue.isEmpty() && queue.peek().done) {
      Pending head = queue.poll();
      head.apply.accept(head.sequence);
    }
  }
}
