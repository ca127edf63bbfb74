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
   * @return the state with its encoding, byte-identical to {@link Struct#toByteArray()}, and the fingerprint of
   *     {@link EncodedState#same}
   */
  static EncodedState encode(Struct state) {
    byte[] out = new byte[size(state)];
    CodedOutputStream cos = CodedOutputStream.newInstance(out);
    int fingerprint = 0;
    try {
      for (Map.Entry<String, Value> e : state.getFieldsMap().entrySet()) {
        int from = cos.getTotalBytesWritten();
        writeEntry(e.getKey(), e.getValue(), cos);
        // A sum, so that the order the entries were set in does not count.
        fingerprint += entryFingerprint(e.getKey(), e.getValue(), out, from, cos.getTotalBytesWritten());
      }
      state.getUnknownFields().writeTo(cos);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    cos.checkNoSpaceLeft();
    return new EncodedState(state, out, fingerprint);
  }

  private static int size(Struct state) {
    int size = state.getUnknownFields().getSerializedSize();
    for (Map.Entry<String, Value> e : state.getFieldsMap().entrySet()) {
      int entrySize = entrySize(e.getKey(), e.getValue());
      size += FIELDS_TAG_SIZE + CodedOutputStream.computeUInt32SizeNoTag(entrySize) + entrySize;
    }
    return size;
  }

  private static void writeEntry(String key, Value value, CodedOutputStream out) throws IOException {
    out.writeTag(FIELDS, WireFormat.WIRETYPE_LENGTH_DELIMITED);
    out.writeUInt32NoTag(entrySize(key, value));
    out.writeString(ENTRY_KEY, key);
    out.writeMessage(ENTRY_VALUE, value);
  }

  /**
   * Equal entries get equal fingerprints. A scalar value has one encoding, so its entry's bytes are hashed; a
   * nested map's bytes depend on the order its keys were set in, so a nested value takes protobuf's hash, which
   * does not (and is memoized).
   */
  private static int entryFingerprint(String key, Value value, byte[] out, int from, int to) {
    Value.KindCase kind = value.getKindCase();
    if (kind == Value.KindCase.STRUCT_VALUE || kind == Value.KindCase.LIST_VALUE) {
      return mix(31 * key.hashCode() + value.hashCode());
    }
    int h = 1;
    for (int i = from; i < to; i++) {
      h = 31 * h + out[i];
    }
    return mix(h);
  }

  /** MurmurHash3's finalizer: entries whose bytes differ a little must not cancel out in the sum. */
  private static int mix(int h) {
    h ^= h >>> 16;
    h *= 0x85eb_ca6b;
    h ^= h >>> 13;
    h *= 0xc2b2_ae35;
    return h ^ (h >>> 16);
  }

  /** Protobuf writes both halves of a map entry even when one is empty, so both always count. */
  private static int entrySize(String key, Value value) {
    int valueSize = value.getSerializedSize();
    return CodedOutputStream.computeStringSize(ENTRY_KEY, key)
        + VALUE_TAG_SIZE + CodedOutputStream.computeUInt32SizeNoTag(valueSize) + valueSize;
  }
}
