package dev.presence.server.fanout;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Encodes a state's top-level map entries straight from its map, byte-identical to protobuf's own encoding of
 * the {@code Struct}. Protobuf builds a map-entry message for every key each time it sizes or writes a
 * {@code Struct}, which made encoding a state cost more than parsing it; here an entry's size comes from its key
 * and its value's memoized size, and nothing but the output is allocated. Nested values are left to protobuf:
 * most states are flat, and nesting is bounded by PRS-STA-7.
 */
final class StateWire {
  private static final int FIELDS = Struct.FIELDS_FIELD_NUMBER;
  private static final int ENTRY_KEY = 1;
  private static final int ENTRY_VALUE = 2;
  private static final int FIELDS_TAG_SIZE = CodedOutputStream.computeTagSize(FIELDS);
  private static final int VALUE_TAG_SIZE = CodedOutputStream.computeTagSize(ENTRY_VALUE);

  private StateWire() {}

  /**
   * @param state a state without unknown fields
   * @return its encoding, byte-identical to {@link Struct#toByteArray()}
   */
  static byte[] encode(Struct state) {
    byte[] out = new byte[size(state)];
    CodedOutputStream cos = CodedOutputStream.newInstance(out);
    try {
      writeFields(state, cos);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    cos.checkNoSpaceLeft();
    return out;
  }

  private static int size(Struct state) {
    int size = state.getUnknownFields().getSerializedSize();
    for (Map.Entry<String, Value> e : state.getFieldsMap().entrySet()) {
      int entrySize = entrySize(e.getKey(), e.getValue());
      size += FIELDS_TAG_SIZE + CodedOutputStream.computeUInt32SizeNoTag(entrySize) + entrySize;
    }
    return size;
  }

  private static void writeFields(Struct state, CodedOutputStream out) throws IOException {
    for (Map.Entry<String, Value> e : state.getFieldsMap().entrySet()) {
      Value value = e.getValue();
      out.writeTag(FIELDS, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      out.writeUInt32NoTag(entrySize(e.getKey(), value));
      out.writeString(ENTRY_KEY, e.getKey());
      out.writeMessage(ENTRY_VALUE, value);
    }
    state.getUnknownFields().writeTo(out);
  }

  /** Protobuf writes both halves of a map entry even when one is empty, so both always count. */
  private static int entrySize(String key, Value value) {
    int valueSize = value.getSerializedSize();
    return CodedOutputStream.computeStringSize(ENTRY_KEY, key)
        + VALUE_TAG_SIZE + CodedOutputStream.computeUInt32SizeNoTag(valueSize) + valueSize;
  }
}
