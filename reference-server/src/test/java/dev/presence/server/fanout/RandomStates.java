package dev.presence.server.fanout;

import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import java.util.SplittableRandom;

/** Generated states for the encoding's property tests: every value kind, multi-byte keys, nesting. */
final class RandomStates {
  private RandomStates() {}

  /**
   * @param random the source, seeded by the test so that a failure can be replayed
   * @param width at most this many keys per map, entries per list and repeats per string
   * @param depth at most this many levels
   * @return a state
   */
  static Struct struct(SplittableRandom random, int width, int depth) {
    Struct.Builder b = Struct.newBuilder();
    int keys = random.nextInt(width + 1);
    for (int k = 0; k < keys; k++) {
      b.putFields(key(random), value(random, width, depth));
    }
    return b.build();
  }

  static Value value(SplittableRandom random, int width, int depth) {
    int kind = random.nextInt(depth > 1 ? 7 : 5);
    switch (kind) {
      case 0:
        return Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build();
      case 1:
        return Value.newBuilder().setNumberValue(random.nextBoolean() ? random.nextInt(1000) : random.nextDouble() * 1e9)
            .build();
      case 2:
        return Value.newBuilder().setStringValue(key(random).repeat(1 + random.nextInt(width))).build();
      case 3:
        return Value.newBuilder().setBoolValue(random.nextBoolean()).build();
      case 4:
        return Value.getDefaultInstance();
      case 5:
        return Value.newBuilder().setStructValue(struct(random, width, depth - 1)).build();
      default:
        ListValue.Builder list = ListValue.newBuilder();
        int n = random.nextInt(width + 1);
        for (int i = 0; i < n; i++) {
          list.addValues(value(random, width, depth - 1));
        }
        return Value.newBuilder().setListValue(list).build();
    }
  }

  static String key(SplittableRandom random) {
    String[] alphabet = {"x", "y", "cursor", "", "é", "名", "\uD83D\uDE00", "a-long-key-name-for-a-two-byte-length"};
    StringBuilder key = new StringBuilder();
    int parts = random.nextInt(4);
    for (int i = 0; i < parts; i++) {
      key.append(alphabet[random.nextInt(alphabet.length)]);
    }
    return key.toString();
  }
}
