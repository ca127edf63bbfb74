package dev.presence.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.presence.client.testing.Covers;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

class StateTest {

  private final State state = State.of(Map.of(
      "cursor", Map.of("x", 100, "y", 200.5, "state", "typing"),
      "visible", true,
      "tags", List.of("a", 1)));

  @Test
  void typedGettersReadNestedFields() {
    assertThat(state.get("cursor").getDouble("x")).isEqualTo(100.0);
    assertThat(state.get("cursor").getLong("x")).isEqualTo(100L);
    assertThat(state.get("cursor").getString("state")).isEqualTo("typing");
    assertThat(state.getBoolean("visible")).isTrue();
    assertThat(state.getList("tags")).containsExactly("a", 1.0);
    assertThat(state.pathDouble("cursor.y")).hasValue(200.5);
    assertThat(state.pathString("cursor.state")).hasValue("typing");
    assertThat(state.path("cursor.missing")).isEmpty();
    assertThat(state.path("visible.x")).isEmpty();
    assertThat(state.getDouble("nope", -1)).isEqualTo(-1);
    assertThat(state.getString("visible", "fallback")).isEqualTo("fallback");
  }

  @Test
  void wrongTypeOrMissingFieldFailsClearly() {
    assertThatThrownBy(() -> state.getDouble("missing")).isInstanceOf(NoSuchElementException.class);
    assertThatThrownBy(() -> state.getString("visible")).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> state.get("cursor").getLong("y")).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void jsonRoundTripAndValueEquality() {
    State parsed = State.fromJson(state.toJson());
    assertThat(parsed).isEqualTo(state).hasSameHashCodeAs(state);
    assertThat(State.fromJson("{\"a\":1}")).isNotEqualTo(State.fromJson("{\"a\":2}"));
    assertThat(State.fromJson("{}")).isEqualTo(State.empty());
    assertThatThrownBy(() -> State.fromJson("[1]")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void toMapIsPlainAndImmutable() {
    Map<String, Object> m = state.toMap();
    assertThat(m.get("visible")).isEqualTo(true);
    assertThat(((Map<?, ?>) m.get("cursor")).get("x")).isEqualTo(100.0);
    assertThatThrownBy(() -> m.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void nullsAndArraysConvert() {
    Map<String, Object> in = new LinkedHashMap<>();
    in.put("gone", null);
    in.put("arr", new Object[] {1, "b"});
    State s = State.of(in);
    assertThat(s.has("gone")).isTrue();
    assertThat(s.isNull("gone")).isTrue();
    assertThat(s.isNull("absent")).isTrue();
    assertThat(s.getList("arr")).isEqualTo(Arrays.asList(1.0, "b"));
    assertThatThrownBy(() -> State.of(Map.of("bad", Double.NaN))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> State.of(Map.of("bad", new Object()))).isInstanceOf(IllegalArgumentException.class);
  }

  @Covers("PRS-PRV-1")
  @Test
  void toStringNeverShowsTheContent() {
    assertThat(state.toString()).doesNotContain("typing").doesNotContain("100");
    assertThat(new PresenceChange("u", state, null).toString()).doesNotContain("typing");
  }

  @Test
  void syncTargetParsesTheSeedNotation() {
    assertThat(SyncTarget.parse("*")).isEqualTo(SyncTarget.all());
    assertThat(SyncTarget.parse("following")).isEqualTo(SyncTarget.following());
    assertThat(SyncTarget.parse("user-002")).isEqualTo(SyncTarget.user("user-002"));
    assertThatThrownBy(() -> SyncTarget.user("bad\u0001id")).isInstanceOf(IllegalArgumentException.class);
  }
}
