package dev.presence.bench.loadgen;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * When each user sent each sequence number. One writer (the send scheduler), many readers (receivers on
 * I/O threads), so entries are published with release stores and read with acquire loads.
 */
final class SendLog {
  private final AtomicLongArray[] sentAtNanos;
  private final AtomicIntegerArray counts;

  SendLog(int users, int capacityPerUser) {
    sentAtNanos = new AtomicLongArray[users];
    for (int u = 0; u < users; u++) {
      sentAtNanos[u] = new AtomicLongArray(capacityPerUser);
    }
    counts = new AtomicIntegerArray(users);
  }

  /** @return the next sequence number for the user, or -1 when its log is full */
  int record(int user, long nowNanos) {
    int seq = counts.getPlain(user);
    if (seq >= sentAtNanos[user].length()) {
      return -1;
    }
    sentAtNanos[user].setRelease(seq, nowNanos);
    counts.setRelease(user, seq + 1);
    return seq;
  }

  /** @return when the user sent that sequence number, which a receiver has seen or passed */
  long sentAt(int user, long seq) {
    return sentAtNanos[user].getAcquire((int) seq);
  }

  /** @return how many states the user sent with a send time in [fromNanos, toNanos) */
  int sentBetween(int user, long fromNanos, long toNanos) {
    AtomicLongArray log = sentAtNanos[user];
    int n = 0;
    for (int i = 0, count = counts.getAcquire(user); i < count; i++) {
      long t = log.getAcquire(i);
      if (t >= fromNanos && t < toNanos) {
        n++;
      }
    }
    return n;
  }
}
