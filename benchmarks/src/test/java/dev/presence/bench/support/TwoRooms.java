package dev.presence.bench.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.bench.driver.CursorState;
import dev.presence.bench.driver.Driver;
import dev.presence.bench.driver.UserSession;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Two rooms of three users each, opened through a driver, as every system's test uses them. */
public final class TwoRooms implements AutoCloseable {
  /** Room id to its users' numbers. */
  public static final Map<String, List<Integer>> ROOMS = Map.of("room-a", List.of(1, 2, 3), "room-b", List.of(4, 5, 6));

  private final Map<Integer, Recorder> recorders = new LinkedHashMap<>();
  private final Map<Integer, UserSession> sessions = new LinkedHashMap<>();

  private TwoRooms() {}

  /** @param driver the system's driver @return every session open and ready */
  public static TwoRooms open(Driver driver) throws Exception {
    TwoRooms rooms = new TwoRooms();
    Map<Integer, CompletableFuture<UserSession>> opening = new LinkedHashMap<>();
    for (Map.Entry<String, List<Integer>> room : ROOMS.entrySet()) {
      for (int user : room.getValue()) {
        Recorder recorder = new Recorder();
        rooms.recorders.put(user, recorder);
        opening.put(user, driver.open(room.getKey(), user, recorder));
      }
    }
    for (Map.Entry<Integer, CompletableFuture<UserSession>> e : opening.entrySet()) {
      rooms.sessions.put(e.getKey(), e.getValue().get(Poll.DEADLINE.toMillis(), TimeUnit.MILLISECONDS));
    }
    return rooms;
  }

  /** Every user sends {@code rounds} states, seq 0 to rounds-1, the users taking turns. */
  public void sendRounds(int rounds) {
    for (int seq = 0; seq < rounds; seq++) {
      for (Map.Entry<Integer, UserSession> e : sessions.entrySet()) {
        int user = e.getKey();
        e.getValue().send(new CursorState(user, seq, System.nanoTime(), 10.0 * user, seq));
      }
    }
  }

  /** Waits until every member has every member's state {@code seq}, its own included. */
  public void awaitEveryMemberHasEveryMembersState(long seq) throws InterruptedException {
    Poll.until("every member has state " + seq + " of every member of its room", () -> {
      for (List<Integer> members : ROOMS.values()) {
        for (int receiver : members) {
          for (int sender : members) {
            if (!recorders.get(receiver).has(sender, seq)) {
              return false;
            }
          }
        }
      }
      return true;
    }, recorders::toString);
  }

  /** Nothing of one room reached the other, and each sender's states arrived in the order sent. */
  public void assertIsolatedAndOrdered() {
    for (List<Integer> members : ROOMS.values()) {
      for (int receiver : members) {
        Map<Integer, List<Long>> seqs = recorders.get(receiver).seqsBySender();
        assertThat(seqs.keySet()).as("senders seen by u%d", receiver).containsExactlyInAnyOrderElementsOf(members);
        seqs.forEach((sender, received) ->
            assertThat(received).as("seqs from u%d at u%d", sender, receiver).isSorted().doesNotHaveDuplicates());
      }
    }
  }

  /** @param user a user @return what it received */
  public Recorder recorder(int user) {
    return recorders.get(user);
  }

  /** @param room a room id @return its members' recorders */
  public List<Recorder> recordersOf(String room) {
    List<Recorder> out = new ArrayList<>();
    ROOMS.get(room).forEach(u -> out.add(recorders.get(u)));
    return out;
  }

  @Override
  public void close() {
    sessions.values().forEach(UserSession::close);
  }
}
