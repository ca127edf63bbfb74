package dev.presence.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.presence.client.PresenceException;
import dev.presence.client.State;
import dev.presence.client.testing.Covers;
import dev.presence.protocol.v1.Limits;
import org.junit.jupiter.api.Test;

/** PRS-THC-6's checks with the server's measures: depth of PRS-STA-7, values of PRS-STA-8, size of PRS-STA-3. */
@Covers("PRS-THC-6")
class StateCheckTest {
  private static final ServerLimits DRAFT_1 = ServerLimits.of(Limits.newBuilder().setMaxStateBytes(64).build());

  private static Struct json(String json) {
    return State.fromJson(json).toStruct();
  }

  private static String reason(Struct state, ServerLimits limits) {
    PresenceException e = StateCheck.violation(state, limits);
    return e == null ? null : e.reason();
  }

  @Covers("PRS-LIM-5")
  @Test
  void aDraft1ServerAdvertisingNoDepthGetsThirtyTwo() {
    ServerLimits noDepth = ServerLimits.of(Limits.newBuilder().setMaxStateBytes(8192).build());
    assertThat(noDepth.maxStateDepth()).isEqualTo(32);
    assertThat(reason(nested(32), noDepth)).isNull();
    assertThat(reason(nested(33), noDepth)).isEqualTo("STATE_TOO_DEEP");
    ServerLimits advertised = ServerLimits.of(Limits.newBuilder().setMaxStateDepth(8).build());
    assertThat(reason(nested(8), advertised)).isNull();
    assertThat(reason(nested(9), advertised)).isEqualTo("STATE_TOO_DEEP");
    assertThat(reason(nested(10_000), noDepth)).as("a pathological depth is refused, not walked")
        .isEqualTo("STATE_TOO_DEEP");
  }

  @Covers("PRS-LIM-5")
  @Covers("PRS-TRN-8")
  @Test
  void aDraft1ServerAdvertisingNoOutboundFrameSizeGets4194304AndTheClientNeverAcceptsLess() {
    assertThat(DRAFT_1.maxOutboundFrameBytes()).isEqualTo(4_194_304);
    assertThat(DRAFT_1.inboundFrameBytes()).isEqualTo(4_194_304);
    ServerLimits small = ServerLimits.of(Limits.newBuilder().setMaxOutboundFrameBytes(262_144).build());
    assertThat(small.maxOutboundFrameBytes()).isEqualTo(262_144);
    assertThat(small.inboundFrameBytes()).isEqualTo(4_194_304);
  }

  @Test
  void valuesJsonCannotCarryAreInvalid() {
    ServerLimits limits = ServerLimits.UNADVERTISED;
    assertThat(reason(withValue(Value.newBuilder().setNumberValue(Double.NaN).build()), limits))
        .isEqualTo("INVALID_STATE");
    assertThat(reason(withValue(Value.newBuilder().setNumberValue(Double.NEGATIVE_INFINITY).build()), limits))
        .isEqualTo("INVALID_STATE");
    assertThat(reason(withValue(Value.getDefaultInstance()), limits)).isEqualTo("INVALID_STATE");
    assertThat(reason(withValue(Value.newBuilder().setStringValue("a\uD800b").build()), limits))
        .isEqualTo("INVALID_STATE");
    Value inList = Value.newBuilder().setListValue(ListValue.newBuilder()
        .addValues(Value.newBuilder().setNumberValue(Double.POSITIVE_INFINITY))).build();
    assertThat(reason(withValue(inList), limits)).isEqualTo("INVALID_STATE");
    assertThat(reason(Struct.newBuilder().putFields("\uDC00", Value.newBuilder().setBoolValue(true).build())
        .build(), limits)).isEqualTo("INVALID_STATE");
    assertThat(reason(withValue(Value.newBuilder().setStringValue("emoji \uD83D\uDE00").build()), limits))
        .isNull();
  }

  @Test
  void sizeIsTheEncodedStructAgainstTheAdvertisedBytesAndDepthComesFirst() {
    Struct fits = json("{\"s\":\"" + "x".repeat(64 - 9) + "\"}");
    assertThat(fits.getSerializedSize()).isEqualTo(64);
    assertThat(reason(fits, DRAFT_1)).isNull();
    Struct over = json("{\"s\":\"" + "x".repeat(64 - 8) + "\"}");
    assertThat(reason(over, DRAFT_1)).isEqualTo("STATE_TOO_LARGE");
    assertThat(reason(over, ServerLimits.UNADVERTISED)).as("no advertised size, no size check").isNull();
    Struct deepAndLarge = nested(40).toBuilder().putFields("s", Value.newBuilder().setStringValue("x".repeat(100))
        .build()).build();
    assertThat(reason(deepAndLarge, DRAFT_1)).as("PRS-ERR-6 order").isEqualTo("STATE_TOO_DEEP");
  }

  @Test
  void theMessageNeverShowsTheState() {
    PresenceException e = StateCheck.violation(json("{\"secret\":\"" + "x".repeat(100) + "\"}"), DRAFT_1);
    assertThat(e.getMessage()).doesNotContain("secret").doesNotContain("xxx");
    assertThat(e.isFatal()).isFalse();
  }

  private static Struct withValue(Value v) {
    return Struct.newBuilder().putFields("v", v).build();
  }

  private static Struct nested(int depth) {
    Struct s = Struct.getDefaultInstance();
    for (int i = 1; i < depth; i++) {
      s = Struct.newBuilder().putFields("a", Value.newBuilder().setStructValue(s).build()).build();
    }
    return s;
  }
}
