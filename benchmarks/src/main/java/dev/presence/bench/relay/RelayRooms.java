package dev.presence.bench.relay;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The relay's only handler: every call becomes a {@link Member}, and rooms live exactly as long as they
 * have members. Membership changes of one room are serialized by the map's per-key locking.
 */
final class RelayRooms implements ServerCallHandler<byte[], byte[]> {
  private final ConcurrentHashMap<String, RelayRoom> rooms = new ConcurrentHashMap<>();
  private final RelayMode mode;
  private final List<RoomTicker> tickers = new ArrayList<>();
  private final AtomicInteger nextTicker = new AtomicInteger();

  /**
   * @param mode how rooms forward
   * @param tickMillis the coalescing period
   * @param loops where rooms tick: the server's own event loops, so the relay adds no thread the
   *     presence server would not have
   */
  RelayRooms(RelayMode mode, int tickMillis, EventLoopGroup loops) {
    this.mode = mode;
    if (mode == RelayMode.COALESCED) {
      for (EventExecutor loop : loops) {
        RoomTicker ticker = new RoomTicker();
        loop.scheduleAtFixedRate(ticker, tickMillis, tickMillis, TimeUnit.MILLISECONDS);
        tickers.add(ticker);
      }
    }
  }

  @Override
  public ServerCall.Listener<byte[]> startCall(ServerCall<byte[], byte[]> call, Metadata headers) {
    Member member = new Member(call, this);
    member.start();
    return member;
  }

  /** @param member a member not yet in any room @param roomId its room @return the room it joined */
  RelayRoom join(Member member, String roomId) {
    return rooms.compute(roomId, (id, room) -> {
      if (room == null) {
        room = newRoom(id);
      }
      room.add(member);
      return room;
    });
  }

  private RelayRoom newRoom(String id) {
    if (mode == RelayMode.PER_MESSAGE) {
      return new RelayRoom(id, false);
    }
    RelayRoom room = new RelayRoom(id, true);
    room.tickedBy(tickers.get(Math.floorMod(nextTicker.getAndIncrement(), tickers.size())));
    return room;
  }

  /** @param member a member that ended @param room the room it joined */
  void leave(Member member, RelayRoom room) {
    rooms.computeIfPresent(room.id(), (id, current) -> {
      if (current != room || !current.remove(member)) {
        return current;
      }
      current.discard();
      return null;
    });
  }
}
