package dev.presence.bench.relay;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One connected call: joins a room with its first message, then hands every later message to the room.
 *
 * <p>Listener callbacks arrive serially on the call's own event loop (the server uses a direct executor),
 * but frames for this member are written from many threads: every sender's event loop in per-message mode,
 * the room's tick in coalesced mode. {@link ServerCall} is not thread-safe, so writes are serialized by this
 * object's monitor. That is the cheapest correct scheme here: it is almost never contended (an uncontended
 * monitor costs one compare-and-swap and allocates nothing), and it is held only while gRPC frames the
 * bytes into a buffer and queues a write on the member's event loop, never while waiting for the network.
 * Handing each write to the member's event loop, or to a serializing executor, would allocate a task and
 * possibly wake a thread per message instead.
 *
 * <p>There is deliberately no flow control: a member that stops reading makes its call buffer every frame
 * written to it, so a stalled reader grows the relay's memory without bound. The relay is a ceiling, not a
 * server to deploy.
 */
final class Member extends ServerCall.Listener<byte[]> {
  private final ServerCall<byte[], byte[]> call;
  private final RelayRooms rooms;
  /** The latest event since the room's last tick; used in coalesced mode only. */
  private final AtomicReference<byte[]> latest = new AtomicReference<>();
  /** Confined to the listener's thread: set by the join, read by later callbacks. */
  private RelayRoom room;
  /** Guarded by this. */
  private boolean closed;

  Member(ServerCall<byte[], byte[]> call, RelayRooms rooms) {
    this.call = call;
    this.rooms = rooms;
  }

  /** Sends the headers before the member can be reached, so every later write may be a message. */
  void start() {
    call.sendHeaders(new Metadata());
    // Messages are handled inline on the event loop, so the deframer can never run ahead of the relay;
    // asking for them one at a time would only add a call per message.
    call.request(Integer.MAX_VALUE);
  }

  @Override
  public void onMessage(byte[] message) {
    if (room == null) {
      join(new String(message, StandardCharsets.UTF_8));
    } else {
      room.accept(this, message);
    }
  }

  /**
   * Joins under the write lock so that the join answer is the first frame the client sees: a broadcast
   * that already found this member in the room waits for the lock. Once the client has the answer, every
   * event the relay handles afterwards reaches it.
   */
  private synchronized void join(String roomId) {
    room = rooms.join(this, roomId);
    call.sendMessage(BatchFrames.JOINED);
  }

  /** @param frame an encoded ConnectResponse, possibly shared with other members; never modified */
  void send(byte[] frame) {
    synchronized (this) {
      if (!closed) {
        call.sendMessage(frame);
      }
    }
  }

  /** @param event the sender's newest event, replacing any not yet taken by a tick */
  void offer(byte[] event) {
    latest.set(event);
  }

  /** @return the newest event since the previous call, or null */
  byte[] take() {
    return latest.getAndSet(null);
  }

  @Override
  public void onHalfClose() {
    end(Status.OK);
  }

  @Override
  public void onCancel() {
    end(null);
  }

  @Override
  public void onComplete() {
    end(null);
  }

  /** @param status how to close the call, or null when the call is over already */
  private void end(Status status) {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      if (status != null) {
        call.close(status, new Metadata());
      }
    }
    if (room != null) {
      rooms.leave(this, room);
    }
  }
}
