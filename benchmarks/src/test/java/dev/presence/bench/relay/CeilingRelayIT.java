package dev.presence.bench.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.bench.driver.CursorState;
import dev.presence.bench.driver.UserSession;
import dev.presence.bench.driver.grpc.GrpcDriverOptions;
import dev.presence.bench.driver.grpc.RelayDriver;
import dev.presence.bench.support.Poll;
import dev.presence.bench.support.Recorder;
import dev.presence.bench.support.Recorder.State;
import dev.presence.bench.support.TwoRooms;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The relay over real loopback sockets, driven by the {@link RelayDriver} the load generator uses. */
class CeilingRelayIT {
  private static final int ROUNDS = 20;

  @ParameterizedTest
  @EnumSource(RelayMode.class)
  void everyMemberGetsEveryMembersLatestStateAndRoomsStayApart(RelayMode mode) throws Exception {
    try (CeilingRelay relay = CeilingRelay.start(0, mode, CeilingRelay.DEFAULT_TICK_MILLIS);
        RelayDriver driver = new RelayDriver("127.0.0.1", relay.port());
        TwoRooms rooms = TwoRooms.open(driver)) {
      rooms.sendRounds(ROUNDS);

      rooms.awaitEveryMemberHasEveryMembersState(ROUNDS - 1);
      rooms.assertIsolatedAndOrdered();
      assertThat(driver.faults()).isEmpty();
    }
  }

  @Test
  void perMessageForwardsEveryEventAloneInItsOwnFrame() throws Exception {
    try (CeilingRelay relay = CeilingRelay.start(0, RelayMode.PER_MESSAGE, CeilingRelay.DEFAULT_TICK_MILLIS);
        RelayDriver driver = new RelayDriver("127.0.0.1", relay.port());
        TwoRooms rooms = TwoRooms.open(driver)) {
      rooms.sendRounds(ROUNDS);
      rooms.awaitEveryMemberHasEveryMembersState(ROUNDS - 1);

      for (int user = 1; user <= 6; user++) {
        Recorder r = rooms.recorder(user);
        assertThat(r.stateFrames()).allSatisfy(frame -> assertThat(frame).hasSize(1));
        // One sender's events leave in the order its connection delivered them, none skipped.
        r.seqsBySender().values().forEach(seqs ->
            assertThat(seqs).containsExactlyElementsOf(LongStream.range(0, ROUNDS).boxed().toList()));
      }
    }
  }

  @Test
  void coalescedWritesOneSharedFramePerTickWithTheLatestOfEachSender() throws Exception {
    try (CeilingRelay relay = CeilingRelay.start(0, RelayMode.COALESCED, CeilingRelay.DEFAULT_TICK_MILLIS);
        RelayDriver driver = new RelayDriver("127.0.0.1", relay.port());
        TwoRooms rooms = TwoRooms.open(driver)) {
      rooms.sendRounds(ROUNDS);
      rooms.awaitEveryMemberHasEveryMembersState(ROUNDS - 1);

      for (String room : TwoRooms.ROOMS.keySet()) {
        List<Recorder> members = rooms.recordersOf(room);
        List<List<State>> first = members.get(0).stateFrames();
        // Everyone joined before the first event, so every tick's single frame reached every member.
        for (Recorder member : members) {
          assertThat(member.stateFrames()).as("frames in %s", room).isEqualTo(first);
        }
        for (List<State> frame : first) {
          Set<Integer> senders = new HashSet<>();
          frame.forEach(s -> assertThat(senders.add(s.fromUser())).as("one event per sender per tick").isTrue());
        }
      }
    }
  }

  @Test
  void aSessionThatStopsReadingGetsNothingMoreWhileOthersGetEverything() throws Exception {
    try (CeilingRelay relay = CeilingRelay.start(0, RelayMode.PER_MESSAGE, CeilingRelay.DEFAULT_TICK_MILLIS);
        RelayDriver driver = new RelayDriver("127.0.0.1", relay.port())) {
      Recorder reader = new Recorder();
      Recorder stalled = new Recorder();
      UserSession sender = driver.open("room", 1, reader).get(Poll.DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
      UserSession frozen = driver.open("room", 2, stalled).get(Poll.DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
      frozen.stopReading();

      int count = 2_000;
      for (int seq = 0; seq < count; seq++) {
        sender.send(new CursorState(1, seq, System.nanoTime(), seq, seq));
      }
      Poll.until("the reader's echo of every state", () -> reader.has(1, count - 1), reader::toString);

      // The one message requested before stopReading may still arrive; nothing after it can.
      assertThat(reader.states()).hasSize(count);
      assertThat(stalled.states()).hasSizeLessThanOrEqualTo(1);
      frozen.close();
      sender.close();
    }
  }

  @Test
  void sessionsMayShareConnections() throws Exception {
    try (CeilingRelay relay = CeilingRelay.start(0, RelayMode.COALESCED, CeilingRelay.DEFAULT_TICK_MILLIS);
        RelayDriver driver = new RelayDriver("127.0.0.1", relay.port(), new GrpcDriverOptions(1, 4, 64 * 1024));
        TwoRooms rooms = TwoRooms.open(driver)) {
      rooms.sendRounds(ROUNDS);

      rooms.awaitEveryMemberHasEveryMembersState(ROUNDS - 1);
      rooms.assertIsolatedAndOrdered();
    }
  }
}
