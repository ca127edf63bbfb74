package dev.presence.bench.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RoomIdTest {
  /** PRS-ROOM-1, so that every system under test, presence.v1 included, accepts the id. */
  private static final String VALID_ROOM_ID = "[A-Za-z0-9._:~-]{1,128}";

  @Test
  void eachRunHasRoomsOfItsOwnWithValidIds() {
    String first = LoadRun.newRunId();
    String second = LoadRun.newRunId();

    assertThat(Workload.roomId(first, 999)).matches(VALID_ROOM_ID).isNotEqualTo(Workload.roomId(second, 999));
    assertThat(Workload.roomId(first, 0)).isNotEqualTo(Workload.roomId(first, 1));
  }
}
