package dev.presence.conformance.driver;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.presence.conformance.history.Binding;
import dev.presence.conformance.history.EndKind;
import dev.presence.conformance.history.History;
import dev.presence.conformance.history.Observation;
import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.Pong;
import io.grpc.Metadata;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * One presence.v1 session driven frame by frame, with no client logic: what the kit sends is exactly what goes on
 * the wire, so client behaviour can never mask a server fault, and malformed or over-rate frames can be sent on
 * purpose. Every frame in both directions and the end of the call are recorded in a {@link History}, on either
 * binding: a {@link WireCall} carries the frames.
 *
 * <p>Requests go out as bytes, so a case can also send bytes that are no ConnectRequest at all (PRS-TRN-9, PRS-IDN-7),
 * and reading can be paused to play a subscriber whose call accepts no writes (PRS-TRN-7, PRS-END-6).
 *
 * <p>{@code session_end} is recorded as {@link Observation.SessionEndReceived}, never as a received frame, and the
 * end it announces is the call's {@link Observation.Ended}.
 *
 * <p>Thread-safe: frames may be sent from any thread; sends are serialized so that the history's order is the
 * wire's.
 */
public final class RawSession {

  private static final int PROTOCOL_VERSION = 1;

  private final String name;
  private final History history;
  private final WireCall call;
  private final Recorder recorder;
  private final Object sendLock = new Object();

  private RawSession(String name, History history, WireCall call, Recorder recorder) {
    this.name = name;
    this.history = history;
    this.call = call;
    this.recorder = recorder;
  }

  /**
   * Starts a presence.v1 call. No frame is sent yet.
   *
   * @param endpoint where the server under test serves the call
   * @param name the kit's name for this session, used in the history
   * @param headers call credentials, for example {@code authorization}; may be empty
   * @param history where to record the session
   * @return the session
   */
  public static RawSession start(Endpoint endpoint, String name, Metadata headers, History history) {
    return start(endpoint, PROTOCOL_VERSION, name, headers, history);
  }

  /**
   * Starts a call for another protocol version's path (PRS-EVO-7). No frame is sent yet.
   *
   * @param endpoint where the server under test serves presence.v1
   * @param protocolVersion the version whose path the call asks for
   * @param name the kit's name for this session, used in the history
   * @param headers call credentials; may be empty
   * @param history where to record the session
   * @return the session
   */
  public static RawSession start(Endpoint endpoint, int protocolVersion, String name, Metadata headers,
      History history) {
    return start(name, endpoint.binding(), endpoint.description(), history,
        listener -> endpoint.open(protocolVersion, headers, listener));
  }

  /**
   * Starts a WebSocket session that offers exactly these {@code Sec-WebSocket-Protocol} entries (PRS-WS-3,
   * PRS-WS-7). No frame is sent yet.
   *
   * @param endpoint the WebSocket endpoint
   * @param subprotocols the entries, in order
   * @param name the kit's name for this session, used in the history
   * @param history where to record the session
   * @return the session
   */
  public static RawSession start(WebSocketEndpoint endpoint, List<String> subprotocols, String name,
      History history) {
    return start(name, Binding.WEBSOCKET, endpoint.description(), history,
        listener -> endpoint.open(subprotocols, listener));
  }

  private static RawSession start(String name, Binding binding, String where, History history,
      Function<WireCall.Listener, WireCall> opener) {
    history.append(new Observation.Started(history.now(), name, binding, where));
    Recorder recorder = new Recorder(name, history);
    WireCall call = opener.apply(recorder);
    RawSession session = new RawSession(name, history, call, recorder);
    recorder.attach(session, call);
    return session;
  }

  /** Returns the kit's name for this session. */
  public String name() {
    return name;
  }

  /** Returns whether the call has ended, from either side. */
  public boolean ended() {
    return recorder.ended.get();
  }

  /**
   * Sends one frame, recording it first so that its timestamp precedes any reaction to it.
   *
   * @param frame the frame
   * @return false if the call had already ended and nothing was sent
   */
  public boolean send(ConnectRequest frame) {
    return send(frame, frame.toByteArray());
  }

  /**
   * Sends bytes as one message, whether or not they decode as a ConnectRequest. Bytes that decode are recorded as
   * the frame they are; others are not, since the history holds only frames, and the case that sends them says what
   * they were.
   *
   * @param message the message's bytes
   * @return false if the call had already ended and nothing was sent
   */
  public boolean sendBytes(byte[] message) {
    ConnectRequest frame;
    try {
      frame = ConnectRequest.parseFrom(message);
    } catch (InvalidProtocolBufferException undecodable) {
      frame = null;
    }
    return send(frame, message);
  }

  private boolean send(ConnectRequest frameOrNull, byte[] message) {
    synchronized (sendLock) {
      if (ended()) {
        return false;
      }
      if (frameOrNull != null) {
        history.append(new Observation.Sent(history.now(), name, frameOrNull));
      }
      call.send(message);
      return true;
    }
  }

  /**
   * Answers every server ping from now on with a pong of the same nonce, sent as soon as the ping arrives and
   * recorded like any frame the kit sends. Call it only for a session whose open declares {@code CAPABILITY_PING}:
   * a session that did not declare it leaves pings unanswered, so that a server ending it for that shows
   * (PRS-LIV-4).
   */
  public void answerPings() {
    recorder.answeringPings = true;
  }

  /**
   * Stops taking frames from the call, so that the server's writes back up once flow control fills, as with a
   * subscriber on a stalled network. Frames already in flight may still arrive.
   */
  public void pauseReading() {
    recorder.paused = true;
  }

  /** Takes frames again after {@link #pauseReading()}. */
  public void resumeReading() {
    recorder.paused = false;
    call.request();
  }

  /** Ends the client's side cleanly: the client will send nothing more (a half-close, or Close 1000). */
  public void halfClose() {
    synchronized (sendLock) {
      if (!ended()) {
        history.append(new Observation.KitEnded(history.now(), name, EndKind.HALF_CLOSE));
        call.halfClose();
      }
    }
  }

  /** Cancels the call, as a client does when it goes away without closing. */
  public void cancel() {
    synchronized (sendLock) {
      if (recorder.ended.compareAndSet(false, true)) {
        history.append(new Observation.KitEnded(history.now(), name, EndKind.CANCEL));
        call.cancel();
      }
    }
  }

  /** Records what arrives, and keeps the flow of frames going unless the session paused it. */
  private static final class Recorder implements WireCall.Listener {
    private final String name;
    private final History history;
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile boolean paused;
    private volatile boolean answeringPings;
    private RawSession session;
    private WireCall call;
    private boolean framesBeforeAttach;

    Recorder(String name, History history) {
      this.name = name;
      this.history = history;
    }

    synchronized void attach(RawSession session, WireCall call) {
      this.session = session;
      this.call = call;
      if (framesBeforeAttach && !paused) {
        call.request();
      }
    }

    @Override
    public void onFrame(ConnectResponse frame) {
      if (frame.hasSessionEnd()) {
        history.append(new Observation.SessionEndReceived(history.now(), name, frame.getSessionEnd()));
      } else {
        history.append(new Observation.Received(history.now(), name, frame));
      }
      RawSession attached;
      synchronized (this) {
        attached = session;
        if (attached == null) {
          framesBeforeAttach = true;
          return;
        }
      }
      if (answeringPings && frame.hasPing()) {
        attached.send(ConnectRequest.newBuilder().setPong(Pong.newBuilder().setNonce(frame.getPing().getNonce()))
            .build());
      }
      if (!paused) {
        call.request();
      }
    }

    @Override
    public void onEnd(CallEnd end) {
      ended.set(true);
      end.close().ifPresent(c -> history.append(
          new Observation.WebSocketClosed(history.now(), name, c.code(), c.reason())));
      history.append(new Observation.Ended(history.now(), name, end.code(), end.reason(), end.metadata(),
          end.description()));
    }
  }
}
