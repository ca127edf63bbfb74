package dev.presence.bench.driver.grpc;

import dev.presence.bench.driver.CursorState;
import dev.presence.bench.driver.FaultCounts;
import dev.presence.bench.driver.Receiver;
import dev.presence.bench.driver.UserSession;
import dev.presence.bench.driver.frames.FrameLink;
import dev.presence.bench.driver.frames.FrameProtocol;
import dev.presence.bench.driver.frames.InboundFrames;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One session: one call of a raw-bytes bidirectional method. Inbound flow control is manual: one message
 * is requested after each one handled, so {@link #stopReading()} only has to stop asking and HTTP/2 flow
 * control pushes back on the server once the stream window fills.
 *
 * <p>Each inbound message is reported with {@link Receiver#onFrame} first, then one
 * {@link Receiver#onState} per state it carries, snapshot states included; handshake frames count as
 * frames too.
 *
 * <p>Listener callbacks run serially on the channel's event loop. Outbound calls on the {@link ClientCall}
 * come from the load generator's sender and from that event loop (handshake replies, pongs); the call is
 * not thread-safe, so they take this object's monitor, uncontended in practice. {@code request} is the
 * one call method gRPC allows from any thread, so it takes no lock.
 */
final class GrpcSession extends ClientCall.Listener<byte[]> implements UserSession, FrameLink {
  private final ClientChannels.Lease lease;
  private final ClientCall<byte[], byte[]> call;
  private final FrameProtocol protocol;
  private final Receiver receiver;
  private final FaultCounts faults;
  private final InboundFrames inbound;
  private final CompletableFuture<UserSession> ready = new CompletableFuture<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile boolean reading = true;

  GrpcSession(ClientChannels.Lease lease, MethodDescriptor<byte[], byte[]> method, FrameProtocol protocol,
      Receiver receiver, FaultCounts faults) {
    this.lease = lease;
    this.call = lease.channel().newCall(method, CallOptions.DEFAULT);
    this.protocol = protocol;
    this.receiver = receiver;
    this.faults = faults;
    this.inbound = new InboundFrames(protocol, this, receiver);
  }

  /**
   * @param roomId the room
   * @param user the user number
   * @return completes when the protocol says the session can send and receive
   */
  CompletableFuture<UserSession> start(String roomId, int user) {
    // Under the monitor, so that a reply the event loop sends cannot overtake the first message.
    synchronized (this) {
      call.start(this, new Metadata());
      call.request(1);
      protocol.begin(this, roomId, user);
    }
    return ready;
  }

  @Override
  public void onMessage(byte[] frame) {
    receiver.onFrame(frame.length);
    inbound.accept(frame);
    if (reading) {
      call.request(1);
    }
  }

  @Override
  public void onClose(Status status, Metadata trailers) {
    lease.release();
    if (ready.completeExceptionally(status.withDescription("call ended before the session was ready: "
        + status.getCode() + " " + status.getDescription()).asRuntimeException())) {
      return;
    }
    if (!closed.get()) {
      faults.report("call ended by the server: " + status.getCode());
    }
  }

  /** @param message a complete message of the session's method */
  @Override
  public synchronized void write(byte[] message) {
    if (!closed.get()) {
      call.sendMessage(message);
    }
  }

  @Override
  public void markReady() {
    ready.complete(this);
  }

  @Override
  public void fail(String reason) {
    if (ready.completeExceptionally(new IllegalStateException("session failed to open: " + reason))) {
      close();
    } else {
      faults.report(reason);
    }
  }

  /** A server sends no {@code session_end} on this binding (PRS-WS-10), but one that did has ended it. */
  @Override
  public void endedByServer(String how) {
    if (!closed.get()) {
      fail("session ended by the server: " + how);
    }
    close();
  }

  @Override
  public void send(CursorState state) {
    write(protocol.encode(state));
  }

  @Override
  public void stopReading() {
    reading = false;
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    synchronized (this) {
      call.cancel("session closed", null);
    }
    lease.release();
    ready.completeExceptionally(new IllegalStateException("session closed before it was ready"));
  }
}
