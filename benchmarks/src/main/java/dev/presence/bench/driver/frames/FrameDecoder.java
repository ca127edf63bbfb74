package dev.presence.bench.driver.frames;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import dev.presence.bench.driver.Receiver;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.PresenceBatch;
import dev.presence.protocol.v1.PresenceEvent;
import java.io.IOException;

/**
 * Reads {@code ConnectResponse{presence: PresenceBatch}} frames without building messages: it walks the
 * wire format with a {@link CodedInputStream} over the frame and compares user ids and Struct keys in
 * place, so a state costs no allocation. Measured against parsing the message with protobuf in
 * {@code dev.presence.bench.jmh.DecoderBenchmark}.
 *
 * <p>A state is reported when its user id is {@code u<number>} and its Struct holds the numbers
 * {@code seq} and {@code ts}; other fields are skipped, null events (no state) are not states.
 *
 * <p>Not thread-safe: one instance per session, whose frames arrive serially.
 */
public final class FrameDecoder {
  private static final int PRESENCE = tag(ConnectResponse.PRESENCE_FIELD_NUMBER);
  private static final int EVENT = tag(PresenceBatch.EVENTS_FIELD_NUMBER);
  private static final int USER_ID = tag(PresenceEvent.USER_ID_FIELD_NUMBER);
  private static final int STATE = tag(PresenceEvent.STATE_FIELD_NUMBER);
  private static final int STRUCT_FIELD = tag(1);
  private static final int ENTRY_KEY = tag(1);
  private static final int ENTRY_VALUE = tag(2);
  private static final int NUMBER_VALUE = tag(2, WireFormat.WIRETYPE_FIXED64);
  private static final int NO_USER = -1;
  private static final int KEY_OTHER = 0;
  private static final int KEY_SEQ = 1;
  private static final int KEY_TS = 2;

  // One event's fields as they are read; reset per event.
  private boolean hasSeq;
  private boolean hasTs;
  private long seq;
  private long ts;

  /**
   * @param frame one ConnectResponse
   * @param receiver gets {@link Receiver#onState} per state in the batch, in order
   * @return false, having reported nothing, when the frame is not a presence batch
   * @throws IOException when the frame is not valid protobuf
   */
  public boolean decodePresence(byte[] frame, Receiver receiver) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(frame);
    // A server writes exactly one field of the frame oneof, so the first tag tells the kind.
    if (in.readTag() != PRESENCE) {
      return false;
    }
    int outer = in.pushLimit(in.readRawVarint32());
    while (!in.isAtEnd()) {
      int tag = in.readTag();
      if (tag == EVENT) {
        int limit = in.pushLimit(in.readRawVarint32());
        event(in, frame, receiver);
        in.popLimit(limit);
      } else {
        in.skipField(tag);
      }
    }
    in.popLimit(outer);
    return true;
  }

  private void event(CodedInputStream in, byte[] frame, Receiver receiver) throws IOException {
    int user = NO_USER;
    boolean hasState = false;
    hasSeq = false;
    hasTs = false;
    while (!in.isAtEnd()) {
      int tag = in.readTag();
      if (tag == USER_ID) {
        int length = in.readRawVarint32();
        int at = in.getTotalBytesRead();
        // Skipping first checks that the bytes are all there before they are read in place.
        in.skipRawBytes(length);
        user = userNumber(frame, at, length);
      } else if (tag == STATE) {
        hasState = true;
        int limit = in.pushLimit(in.readRawVarint32());
        struct(in, frame);
        in.popLimit(limit);
      } else {
        in.skipField(tag);
      }
    }
    if (hasState && user != NO_USER && hasSeq && hasTs) {
      receiver.onState(user, seq, ts);
    }
  }

  private void struct(CodedInputStream in, byte[] frame) throws IOException {
    while (!in.isAtEnd()) {
      int tag = in.readTag();
      if (tag != STRUCT_FIELD) {
        in.skipField(tag);
        continue;
      }
      int limit = in.pushLimit(in.readRawVarint32());
      int key = KEY_OTHER;
      boolean hasNumber = false;
      double number = 0;
      // A map entry may list its value before its key.
      while (!in.isAtEnd()) {
        int entryTag = in.readTag();
        if (entryTag == ENTRY_KEY) {
          int length = in.readRawVarint32();
          int at = in.getTotalBytesRead();
          in.skipRawBytes(length);
          key = key(frame, at, length);
        } else if (entryTag == ENTRY_VALUE) {
          int valueLimit = in.pushLimit(in.readRawVarint32());
          hasNumber = false;
          while (!in.isAtEnd()) {
            int valueTag = in.readTag();
            if (valueTag == NUMBER_VALUE) {
              number = in.readDouble();
              hasNumber = true;
            } else {
              hasNumber = false;
              in.skipField(valueTag);
            }
          }
          in.popLimit(valueLimit);
        } else {
          in.skipField(entryTag);
        }
      }
      in.popLimit(limit);
      if (hasNumber && key == KEY_SEQ) {
        seq = (long) number;
        hasSeq = true;
      } else if (hasNumber && key == KEY_TS) {
        ts = (long) number;
        hasTs = true;
      }
    }
  }

  /** @return the number in {@code u<number>}, or {@link #NO_USER} for any other id */
  static int userNumber(byte[] bytes, int offset, int length) {
    if (length < 2 || length > 11 || bytes[offset] != 'u') {
      return NO_USER;
    }
    long n = 0;
    for (int i = offset + 1; i < offset + length; i++) {
      int digit = bytes[i] - '0';
      if (digit < 0 || digit > 9) {
        return NO_USER;
      }
      n = n * 10 + digit;
    }
    return n > Integer.MAX_VALUE ? NO_USER : (int) n;
  }

  private static int key(byte[] bytes, int offset, int length) {
    if (length == 3 && bytes[offset] == 's' && bytes[offset + 1] == 'e' && bytes[offset + 2] == 'q') {
      return KEY_SEQ;
    }
    if (length == 2 && bytes[offset] == 't' && bytes[offset + 1] == 's') {
      return KEY_TS;
    }
    return KEY_OTHER;
  }

  private static int tag(int field) {
    return tag(field, WireFormat.WIRETYPE_LENGTH_DELIMITED);
  }

  /** Protobuf's own {@code WireFormat.makeTag} is not public. */
  private static int tag(int field, int wireType) {
    return field << 3 | wireType;
  }
}
