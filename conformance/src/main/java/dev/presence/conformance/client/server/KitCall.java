package dev.presence.conformance.client.server;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.ErrorReason;
import dev.presence.protocol.v1.NullReason;
import dev.presence.protocol.v1.Open;
import dev.presence.protocol.v1.Ping;
import dev.presence.protocol.v1.SyncTarget;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * One Connect call to the kit's server, that is one session of the SDK: everything the client sent and the kit
 * sent, timestamped, and the means to send anything, well-formed or not, and to end the call in any way.
 *
 * <p>Thread-safe. Sends are serialized, since a gRPC stream observer is not thread-safe.
 */
public final class KitCall {

  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final int index;
  private final Metadata headers;
  private final SocketAddress remote;
  private final ServerCallStreamObserver<byte[]> responses;
  private final KitServer server;
  private final KitRoom room;
  private final SerialWorker worker;
  private final Recording<Inbound> inbound = new Recording<>();
  private final Recording<Outbound> outbound = new Recording<>();
  private final Object sendLock = new Object();
  private final CountDownLatch endLatch = new CountDownLatch(1);
  private final AtomicLong nextPingNonce = new AtomicLong(1);

  /** Guarded by the room lock, like the room itself. */
  final SessionScope scope = new SessionScope();

  private boolean sendClosed;
  private volatile Open open;
  private volatile String userId;
  private volatile Long openedNanos;
  private volatile Long endedNanos;
  private volatile EndCause endCause = EndCause.OPEN;
  private volatile boolean firstFrameSeen;
  private volatile long lastServerPingNanos;
  private volatile boolean cancelledWhileBlackholed;

  KitCall(int index, Metadata headers, SocketAddress remote, ServerCallStreamObserver<byte[]> responses,
      KitServer server, KitRoom room, SerialWorker worker) {
    this.index = index;
    this.headers = headers;
    this.remote = remote;
    this.responses = responses;
    this.server = server;
    this.room = room;
    this.worker = worker;
  }

  /** Returns the call's position among the server's calls, from 0, in arrival order. */
  public int index() {
    return index;
  }

  /** Returns the call's metadata as received. */
  public Metadata headers() {
    return headers;
  }

  /** Returns the {@code authorization} header, as received. */
  public Optional<String> authorization() {
    return Optional.ofNullable(headers.get(AUTHORIZATION));
  }

  /** Returns the client's address and port: calls on one connection share it, a new connection has its own. */
  public SocketAddress remote() {
    return remote;
  }

  /** Returns the first frame when it was an open. */
  public Optional<Open> open() {
    return Optional.ofNullable(open);
  }

  /** Returns the user the session acts for, once the open was accepted. */
  public Optional<String> userId() {
    return Optional.ofNullable(userId);
  }

  /** Returns everything the client sent so far, in order. */
  public List<Inbound> inbound() {
    return inbound.snapshot();
  }

  /**
   * Returns the decoded frames of one kind the client sent so far.
   *
   * @param kind the frame kind
   */
  public List<Inbound> inbound(ConnectRequest.FrameCase kind) {
    return inbound.snapshot().stream().filter(in -> in.decoded() && in.kind() == kind).toList();
  }

  /**
   * Waits for a message from the client that matches, counting those already received.
   *
   * @param match the condition
   * @param timeout how long to wait at most
   * @return the first match, or empty on timeout
   */
  public Optional<Inbound> awaitInbound(Predicate<Inbound> match, Duration timeout) {
    return inbound.await(match, timeout);
  }

  /**
   * Waits for a decoded frame of this kind, counting those already received.
   *
   * @param kind the frame kind
   * @param timeout how long to wait at most
   * @return the first such frame, or empty on timeout
   */
  public Optional<Inbound> awaitInbound(ConnectRequest.FrameCase kind, Duration timeout) {
    return inbound.await(in -> in.decoded() && in.kind() == kind, timeout);
  }

  /** Returns everything the kit sent on this call so far, in order. */
  public List<Outbound> outbound() {
    return outbound.snapshot();
  }

  /**
   * Sends a frame, with unknown fields everywhere if the autopilot says so.
   *
   * @param frame the frame
   * @return false if the call was already over and nothing was sent
   */
  public boolean send(ConnectResponse frame) {
    byte[] bytes = server.autopilot().unknownFieldsEverywhere()
        ? Frames.withUnknownFieldsEverywhere(frame) : frame.toByteArray();
    return sendRaw(bytes);
  }

  /**
   * Sends bytes as one gRPC message, whatever they are.
   *
   * @param bytes the message
   * @return false if the call was already over and nothing was sent
   */
  public boolean sendRaw(byte[] bytes) {
    byte[] copy = bytes.clone();
    // The room lock keeps a test's frame from landing inside an answer: a test that saw a snapshot's states reach
    // the client could otherwise send a live event between them and their snapshot_complete.
    synchronized (room.lock) {
      synchronized (sendLock) {
        if (sendClosed) {
          return false;
        }
        outbound.add(new Outbound(System.nanoTime(), copy));
        try {
          responses.onNext(copy);
        } catch (IllegalStateException | StatusRuntimeException gone) {
          // The call ended under us (cancelled or closed); the client cannot have received it.
          sendClosed = true;
          return false;
        }
        return true;
      }
    }
  }

  /**
   * Sends a frame followed by unknown top-level fields, a varint and a length-delimited one (PRS-EVO-2).
   *
   * @param frame the frame
   * @return false if the call was already over
   */
  public boolean sendWithUnknownField(ConnectResponse frame) {
    return sendRaw(Frames.withTrailingUnknownFields(frame));
  }

  /**
   * Sends a ConnectResponse whose only field is a frame kind no client knows yet, field 15 (PRS-EVO-3).
   *
   * @return false if the call was already over
   */
  public boolean sendUnknownFrameKind() {
    return sendRaw(Frames.unknownFrameKind());
  }

  /**
   * Sends a server ping (PRS-LIV-3).
   *
   * @param nonce the nonce the pong must carry
   * @return false if the call was already over
   */
  public boolean sendPing(long nonce) {
    lastServerPingNanos = System.nanoTime();
    return send(ConnectResponse.newBuilder().setPing(Ping.newBuilder().setNonce(nonce)).build());
  }

  /** Returns the pongs the client sent, in order. */
  public List<Inbound> pongs() {
    return inbound(ConnectRequest.FrameCase.PONG);
  }

  /**
   * Waits for a pong with this nonce.
   *
   * @param nonce the nonce
   * @param timeout how long to wait at most
   * @return the pong, or empty on timeout
   */
  public Optional<Inbound> awaitPong(long nonce, Duration timeout) {
    return inbound.await(in -> in.decoded() && in.kind() == ConnectRequest.FrameCase.PONG
        && in.frame().get().getPong().getNonce() == nonce, timeout);
  }

  /**
   * Answers a frame now as the autopilot would, whatever its knobs say: how a test answers follows it held with
   * {@code answerFollows(false)}. Frames before {@code opened} or after the end are ignored.
   *
   * @param frame a frame this call received
   */
  public void answer(Inbound frame) {
    server.answers().answer(this, frame);
  }

  /**
   * Ends the call with a status.
   *
   * @param code the gRPC code; OK completes the call normally
   * @param reasonOrNull the ErrorInfo reason, or null for a bare status
   * @param message the status message
   */
  public void end(Status.Code code, ErrorReason reasonOrNull, String message) {
    end(code, reasonOrNull, message, Map.of());
  }

  /**
   * Ends the call with a status whose ErrorInfo carries metadata, known keys or not (PRS-ERR-7).
   *
   * @param code the gRPC code; OK completes the call normally
   * @param reasonOrNull the ErrorInfo reason, or null for a bare status
   * @param message the status message
   * @param metadata the ErrorInfo metadata; ignored without a reason
   */
  public void end(Status.Code code, ErrorReason reasonOrNull, String message, Map<String, String> metadata) {
    String name = reasonOrNull == null ? null : ErrorDetails.reasonName(reasonOrNull);
    endWith(code, name, message, metadata, nullReasonFor(reasonOrNull));
  }

  /**
   * Ends the call as PRS-ERR-2 and PRS-ERR-3 say for this fatal reason.
   *
   * @param reason a fatal reason
   * @param message the status message
   */
  public void endFatal(ErrorReason reason, String message) {
    end(ErrorDetails.codeOf(reason), reason, message);
  }

  /**
   * Ends the call with an ErrorInfo reason no client can know (PRS-ERR-5).
   *
   * @param code the gRPC code
   * @param reasonName the reason, for example "FUTURE_REASON"
   */
  public void endWithUnknownReason(Status.Code code, String reasonName) {
    endWith(code, reasonName, "ended by the conformance kit", Map.of(), NullReason.NULL_REASON_LEFT);
  }

  /** Completes the call with status OK, as a server does after leave. */
  public void endOk() {
    endWith(Status.Code.OK, null, "", Map.of(), NullReason.NULL_REASON_LEFT);
  }

  /** Returns whether the call has ended, from either side. */
  public boolean ended() {
    return endCause != EndCause.OPEN;
  }

  /** Returns when the call ended. */
  public Optional<Long> endedNanos() {
    return ended() ? Optional.ofNullable(endedNanos) : Optional.empty();
  }

  /** Returns how the call ended, or OPEN. */
  public EndCause endCause() {
    return endCause;
  }

  /**
   * Waits for the end of the call.
   *
   * @param timeout how long to wait at most
   * @return how it ended, or empty on timeout
   */
  public Optional<EndCause> awaitEnd(Duration timeout) {
    try {
      return endLatch.await(timeout.toNanos(), TimeUnit.NANOSECONDS) ? Optional.of(endCause) : Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /** Returns when the kit sent opened. */
  public Optional<Long> openedNanos() {
    return Optional.ofNullable(openedNanos);
  }

  /** Returns the ids of the session's subscriptions, as the server holds them. */
  public Set<String> subscriptions() {
    synchronized (room.lock) {
      return new LinkedHashSet<>(scope.subscriptions.keySet());
    }
  }

  /** Returns each subscription's target, as the server holds them. */
  public Map<String, SyncTarget> targets() {
    synchronized (room.lock) {
      return new LinkedHashMap<>(scope.subscriptions);
    }
  }

  /** Returns the session's follow set, as the server holds it. */
  public Set<String> follows() {
    synchronized (room.lock) {
      return new LinkedHashSet<>(scope.follows);
    }
  }

  @Override
  public String toString() {
    return "KitCall#" + index + "(" + endCause + ")";
  }

  // ---- Wiring, used by the server and the autopilot. ----

  /** Records a message from the client and queues its answer behind the earlier ones. */
  void received(byte[] raw) {
    Optional<ConnectRequest> frame;
    try {
      frame = Optional.of(Frames.parseRequest(raw));
    } catch (InvalidProtocolBufferException e) {
      frame = Optional.empty();
    }
    Inbound in = new Inbound(System.nanoTime(), raw, frame);
    if (!firstFrameSeen) {
      firstFrameSeen = true;
      frame.filter(ConnectRequest::hasOpen).ifPresent(f -> open = f.getOpen());
    }
    inbound.add(in);
    worker.execute(() -> server.answers().process(this, in));
  }

  /** The client half-closed: a clean close, which the kit completes with OK. */
  void clientHalfClosed() {
    worker.execute(() -> {
      synchronized (room.lock) {
        if (markEnded(EndCause.CLIENT_HALF_CLOSE, System.nanoTime())) {
          leaveRoom(NullReason.NULL_REASON_LEFT);
          closeWith(Status.Code.OK, null, "", Map.of());
        }
      }
    });
  }

  /** The call was cancelled, by the client or because the transport went; which one shows a moment later. */
  void cancelled(long nanos) {
    synchronized (sendLock) {
      sendClosed = true;
    }
    cancelledWhileBlackholed = server.blackholed();
    server.later(KitServer.TRANSPORT_GRACE, () -> worker.execute(() -> {
      synchronized (room.lock) {
        boolean transport = server.transportGone(remote);
        if (markEnded(transport ? EndCause.TRANSPORT : EndCause.CLIENT_CANCEL, nanos)) {
          // Only the kit's own liveness detection makes a timeout (PRS-END-3); a reset peer has left.
          leaveRoom(transport && cancelledWhileBlackholed
              ? NullReason.NULL_REASON_TIMED_OUT : NullReason.NULL_REASON_LEFT);
        }
      }
    }));
  }

  /** The server is going down under the call: it ends with the transport, as for a crash. */
  void serverDying() {
    synchronized (room.lock) {
      synchronized (sendLock) {
        sendClosed = true;
      }
      if (markEnded(EndCause.TRANSPORT, System.nanoTime())) {
        leaveRoom(NullReason.NULL_REASON_LEFT);
      }
    }
  }

  /** The kit's liveness detection gave the client up while the network was blackholed. */
  void lostToLiveness() {
    synchronized (room.lock) {
      if (markEnded(EndCause.TRANSPORT, System.nanoTime())) {
        leaveRoom(NullReason.NULL_REASON_TIMED_OUT);
        closeWith(Status.Code.UNAVAILABLE, null, "the conformance kit lost the client", Map.of());
      }
    }
  }

  /** Ends the call after a leave frame: nulls and member_left first, then OK (PRS-END-6). */
  void leaveReceived() {
    synchronized (room.lock) {
      if (markEnded(EndCause.CLIENT_LEAVE, System.nanoTime())) {
        leaveRoom(NullReason.NULL_REASON_LEFT);
        closeWith(Status.Code.OK, null, "", Map.of());
      }
    }
  }

  /** Ends the call from the kit's side with a status, and takes its session out of the room. */
  void endWith(Status.Code code, String reasonName, String message, Map<String, String> metadata,
      NullReason nullReason) {
    synchronized (room.lock) {
      if (markEnded(EndCause.SERVER_END, System.nanoTime())) {
        leaveRoom(nullReason);
        closeWith(code, reasonName, message, metadata);
      }
    }
  }

  void accepted(String user) {
    this.userId = user;
  }

  void markOpened() {
    openedNanos = System.nanoTime();
  }

  boolean isOpened() {
    return openedNanos != null;
  }

  String userIdOrNull() {
    return userId;
  }

  boolean declaredPing() {
    Open o = open;
    return o != null && o.getCapabilitiesList().contains(dev.presence.protocol.v1.Capability.CAPABILITY_PING);
  }

  long lastServerPingNanos() {
    return lastServerPingNanos;
  }

  long nextPingNonce() {
    return nextPingNonce.getAndIncrement();
  }

  private boolean markEnded(EndCause cause, long nanos) {
    if (ended()) {
      return false;
    }
    endedNanos = nanos;
    endCause = cause;
    endLatch.countDown();
    return true;
  }

  private void leaveRoom(NullReason reason) {
    if (isOpened()) {
      room.sessionEnded(this, userId, reason);
    }
  }

  private void closeWith(Status.Code code, String reasonName, String message, Map<String, String> metadata) {
    synchronized (sendLock) {
      if (sendClosed) {
        return;
      }
      sendClosed = true;
      try {
        if (code == Status.Code.OK) {
          responses.onCompleted();
        } else if (reasonName == null) {
          responses.onError(ErrorDetails.bare(code, message));
        } else {
          responses.onError(ErrorDetails.withErrorInfo(code, reasonName, message, metadata));
        }
      } catch (IllegalStateException | StatusRuntimeException gone) {
        // Already closed by gRPC: the end stands as recorded.
      }
    }
  }

  private static NullReason nullReasonFor(ErrorReason reason) {
    if (reason == null) {
      return NullReason.NULL_REASON_LEFT;
    }
    switch (reason) {
      case ERROR_REASON_CREDENTIALS_EXPIRED:
        return NullReason.NULL_REASON_REVOKED;
      case ERROR_REASON_IDLE_TIMEOUT:
      case ERROR_REASON_PING_TIMEOUT:
        return NullReason.NULL_REASON_TIMED_OUT;
      default:
        return NullReason.NULL_REASON_LEFT;
    }
  }
}
