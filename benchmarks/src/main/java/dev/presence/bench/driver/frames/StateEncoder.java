package dev.presence.bench.driver.frames;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import dev.presence.bench.driver.CursorState;
import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.PresenceEvent;
import dev.presence.protocol.v1.UpdateState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes a cursor state as the {@code google.protobuf.Struct} {@code {x, y, seq, ts}} straight into a
 * right-sized array, without building Struct and Value messages per send. All four are JSON numbers:
 * {@code seq} and {@code ts} ({@link CursorState#sentAtNanos()}) survive as doubles exactly while they
 * stay below 2^53, about 104 days of {@link System#nanoTime()}.
 */
public final class StateEncoder {
  private static final byte[] X = ascii("x");
  private static final byte[] Y = ascii("y");
  private static final byte[] SEQ = ascii("seq");
  private static final byte[] TS = ascii("ts");
  /** Struct.fields, a map field: one length-delimited entry per key. */
  private static final int FIELDS = 1;
  private static final int ENTRY_KEY = 1;
  private static final int ENTRY_VALUE = 2;
  /** Value.number_value. */
  private static final int NUMBER_VALUE = 2;
  private static final int VALUE_SIZE = CodedOutputStream.computeDoubleSize(NUMBER_VALUE, 0);
  /** The Struct's encoded size; every key and number has a fixed size. */
  public static final int STRUCT_BYTES =
      sizeOfEntryField(X) + sizeOfEntryField(Y) + sizeOfEntryField(SEQ) + sizeOfEntryField(TS);
  private static final int UPDATE_STATE_BYTES = lengthDelimitedSize(UpdateState.STATE_FIELD_NUMBER, STRUCT_BYTES);
  private static final int UPDATE_REQUEST_BYTES =
      lengthDelimitedSize(ConnectRequest.UPDATE_STATE_FIELD_NUMBER, UPDATE_STATE_BYTES);

  private StateEncoder() {}

  /** @param user a user number @return the user id every driver uses for it */
  public static String userId(int user) {
    return "u" + user;
  }

  /** @param state a state @return {@code ConnectRequest{update_state: {state}}}, for the presence server */
  public static byte[] updateState(CursorState state) {
    byte[] out = new byte[UPDATE_REQUEST_BYTES];
    CodedOutputStream cos = CodedOutputStream.newInstance(out);
    try {
      cos.writeTag(ConnectRequest.UPDATE_STATE_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      cos.writeUInt32NoTag(UPDATE_STATE_BYTES);
      cos.writeTag(UpdateState.STATE_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      writeStruct(cos, state);
      cos.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** @param state a state @return {@code PresenceEvent{user_id: "u<user>", state}}, for the relay */
  public static byte[] presenceEvent(CursorState state) {
    byte[] userId = ascii(userId(state.user()));
    byte[] out = new byte[CodedOutputStream.computeByteArraySize(PresenceEvent.USER_ID_FIELD_NUMBER, userId)
        + lengthDelimitedSize(PresenceEvent.STATE_FIELD_NUMBER, STRUCT_BYTES)];
    CodedOutputStream cos = CodedOutputStream.newInstance(out);
    try {
      cos.writeByteArray(PresenceEvent.USER_ID_FIELD_NUMBER, userId);
      cos.writeTag(PresenceEvent.STATE_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      writeStruct(cos, state);
      cos.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** Writes the Struct's length and body; the caller wrote the tag. */
  private static void writeStruct(CodedOutputStream cos, CursorState state) throws IOException {
    cos.writeUInt32NoTag(STRUCT_BYTES);
    writeEntry(cos, X, state.x());
    writeEntry(cos, Y, state.y());
    writeEntry(cos, SEQ, state.seq());
    writeEntry(cos, TS, state.sentAtNanos());
  }

  private static void writeEntry(CodedOutputStream cos, byte[] key, double number) throws IOException {
    cos.writeTag(FIELDS, WireFormat.WIRETYPE_LENGTH_DELIMITED);
    cos.writeUInt32NoTag(entrySize(key));
    cos.writeByteArray(ENTRY_KEY, key);
    cos.writeTag(ENTRY_VALUE, WireFormat.WIRETYPE_LENGTH_DELIMITED);
    cos.writeUInt32NoTag(VALUE_SIZE);
    cos.writeDouble(NUMBER_VALUE, number);
  }

  private static int entrySize(byte[] key) {
    return CodedOutputStream.computeByteArraySize(ENTRY_KEY, key) + lengthDelimitedSize(ENTRY_VALUE, VALUE_SIZE);
  }

  private static int sizeOfEntryField(byte[] key) {
    return lengthDelimitedSize(FIELDS, entrySize(key));
  }

  private static int lengthDelimitedSize(int field, int length) {
    return CodedOutputStream.computeTagSize(field) + CodedOutputStream.computeUInt32SizeNoTag(length) + length;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
