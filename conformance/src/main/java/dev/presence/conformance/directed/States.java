package dev.presence.conformance.directed;

import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;

/** States shaped for limits: of a given depth (PRS-STA-7) or of a given encoded size (PRS-TRN-6, PRS-TRN-7). */
final class States {

  private States() {}

  /**
   * Returns a state of exactly that depth (PRS-STA-7: Struct and ListValue values on the longest path, the state
   * itself counting 1), nesting Structs only, or alternating Struct and ListValue.
   */
  static Struct ofDepth(int depth, boolean alternate) {
    Value inner = Value.newBuilder().setNumberValue(1).build();
    boolean struct = depth % 2 == 1 || !alternate;
    for (int level = depth; level > 1; level--) {
      inner = struct ? structValue("d", inner) : Value.newBuilder().setListValue(ListValue.newBuilder()
          .addValues(inner)).build();
      struct = !alternate || !struct;
    }
    return Struct.newBuilder().putFields("d", inner).build();
  }

  /** Returns a state of that depth whose innermost value is a string of that many bytes. */
  static Struct ofDepthWithBlob(int depth, int blobBytes) {
    Value inner = Value.newBuilder().setStringValue("b".repeat(blobBytes)).build();
    for (int level = depth; level > 1; level--) {
      inner = structValue("d", inner);
    }
    return Struct.newBuilder().putFields("d", inner).build();
  }

  private static Value structValue(String key, Value value) {
    return Value.newBuilder().setStructValue(Struct.newBuilder().putFields(key, value)).build();
  }

  /**
   * Returns a state whose canonical encoding is as close to {@code bytes} as varint lengths allow, never larger,
   * starting with a marker so that states of one size differ.
   */
  static Struct ofEncodedSize(String marker, int bytes) {
    int filler = Math.max(0, bytes - marker.length());
    Struct s = blob(marker, filler);
    while (s.getSerializedSize() > bytes && filler > 0) {
      filler -= Math.max(1, s.getSerializedSize() - bytes);
      s = blob(marker, Math.max(0, filler));
    }
    return s;
  }

  private static Struct blob(String marker, int filler) {
    return Struct.newBuilder().putFields("b", Value.newBuilder().setStringValue(marker + "x".repeat(filler)).build())
        .build();
  }
}
