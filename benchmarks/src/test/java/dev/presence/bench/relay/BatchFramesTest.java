package dev.presence.bench.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.bench.driver.CursorState;
import dev.presence.bench.driver.frames.StateEncoder;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.Opened;
import dev.presence.protocol.v1.PresenceBatch;
import dev.presence.protocol.v1.PresenceEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchFramesTest {
  @Test
  void aBatchIsByteIdenticalToSerializingTheMessage() throws Exception {
    List<byte[]> events = new ArrayList<>();
    PresenceBatch.Builder expected = PresenceBatch.newBuilder();
    // Enough events that the batch length needs a multi-byte varint.
    for (int u = 0; u < 40; u++) {
      byte[] event = StateEncoder.presenceEvent(new CursorState(u, u, 1_000L * u, u, -u));
      events.add(event);
      expected.addEvents(PresenceEvent.parseFrom(event));
    }

    byte[] frame = BatchFrames.batch(events);

    assertThat(frame).isEqualTo(ConnectResponse.newBuilder().setPresence(expected).build().toByteArray());
  }

  @Test
  void aSingleEventFrameIsAOneEventBatch() throws Exception {
    byte[] event = StateEncoder.presenceEvent(new CursorState(3, 1, 2, 3, 4));

    byte[] frame = BatchFrames.single(event);

    assertThat(frame).isEqualTo(ConnectResponse.newBuilder()
        .setPresence(PresenceBatch.newBuilder().addEvents(PresenceEvent.parseFrom(event)))
        .build()
        .toByteArray());
  }

  @Test
  void theJoinAnswerIsAnEmptyOpened() {
    assertThat(BatchFrames.JOINED)
        .isEqualTo(ConnectResponse.newBuilder().setOpened(Opened.getDefaultInstance()).build().toByteArray());
  }
}
