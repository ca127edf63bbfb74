package dev.presence.bench.driver.websocket;

/**
 * The fields of one cursor state a receiver needs, decoded in place. A session owns one instance and reuses
 * it for every message, so decoding allocates nothing.
 */
final class CursorFields {
  static final int USER = 1;
  static final int SEQ = 2;
  static final int SENT_AT = 4;

  int user;
  long seq;
  long sentAtNanos;
  private int present;

  void clear() {
    present = 0;
  }

  void set(int field, long value) {
    switch (field) {
      case USER -> user = Math.toIntExact(value);
      case SEQ -> seq = value;
      case SENT_AT -> sentAtNanos = value;
      default -> throw new IllegalStateException("unknown field " + field);
    }
    present |= field;
  }

  boolean has(int field) {
    return (present & field) != 0;
  }
}
