package dev.presence.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Identifier formats. */
class IdsTest {
  @Test
  @DisplayName("PRS-ROOM-1: room ids are 1..128 of [A-Za-z0-9._:~-], case-sensitive")
  void roomIds() {
    assertThat(Ids.isValidRoomId("doc:42.v~1-a_B")).isTrue();
    assertThat(Ids.isValidRoomId("r".repeat(128))).isTrue();
    assertThat(Ids.isValidRoomId("r".repeat(129))).isFalse();
    assertThat(Ids.isValidRoomId("")).isFalse();
    assertThat(Ids.isValidRoomId("a/b")).isFalse();
  }

  @Test
  @DisplayName("PRS-SUB-1: subscription ids are 1..64 of [A-Za-z0-9._:~-]")
  void subscriptionIds() {
    assertThat(Ids.isValidSubscriptionId("s".repeat(64))).isTrue();
    assertThat(Ids.isValidSubscriptionId("s".repeat(65))).isFalse();
    assertThat(Ids.isValidSubscriptionId("a b")).isFalse();
  }

  @Test
  @DisplayName("PRS-IDN-5: user ids are 1..256 UTF-8 bytes, no control characters, not only white space")
  void userIds() {
    assertThat(Ids.isValidUserId("alice")).isTrue();
    assertThat(Ids.isValidUserId("Zoë ✓")).isTrue();
    assertThat(Ids.isValidUserId("é".repeat(128))).isTrue();
    assertThat(Ids.isValidUserId("é".repeat(129))).isFalse();
    assertThat(Ids.isValidUserId("")).isFalse();
    assertThat(Ids.isValidUserId(" \t ")).isFalse();
    assertThat(Ids.isValidUserId("\u00a0\u2003")).isFalse();
    assertThat(Ids.isValidUserId("a\u0085b")).isFalse();
    assertThat(Ids.isValidUserId("a\nb")).isFalse();
  }
}
