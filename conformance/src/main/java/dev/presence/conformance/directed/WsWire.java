package dev.presence.conformance.directed;

import dev.presence.conformance.driver.BearerSubprotocol;
import dev.presence.conformance.driver.HandshakeRequest;
import dev.presence.conformance.driver.RawWebSocket;
import dev.presence.conformance.driver.RawWebSocket.Handshake;
import dev.presence.conformance.driver.RawWebSocket.Inbound;
import dev.presence.conformance.driver.WebSocketEndpoint;
import dev.presence.conformance.driver.WireFormat;
import dev.presence.conformance.history.Binding;
import dev.presence.conformance.history.Observation;
import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.Opened;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A WebSocket session of a directed case over the kit's own {@link RawWebSocket}, for what the JDK client cannot do:
 * text messages, fragments, Ping frames, a reader that stops. Frames in both directions go into the probe's
 * history under the session's name, so that a failure shows them in its trace.
 */
final class WsWire implements AutoCloseable {

  private final Probe probe;
  private final RawWebSocket socket;
  private final String name;
  private final ByteArrayOutputStream message = new ByteArrayOutputStream();

  private WsWire(Probe probe, RawWebSocket socket, String name) {
    this.probe = probe;
    this.socket = socket;
    this.name = name;
  }

  /** Connects to the run's WebSocket endpoint; nothing is sent yet. */
  static RawWebSocket connect(Probe p) {
    return connect(p, 0);
  }

  private static RawWebSocket connect(Probe p, int receiveBufferBytes) {
    WebSocketEndpoint endpoint = p.webSocket();
    try {
      RawWebSocket socket = RawWebSocket.connect(endpoint, p.timing().requestTimeout(), receiveBufferBytes);
      p.closeLater(socket);
      return socket;
    } catch (IOException e) {
      throw new CaseFailure("could not connect to " + endpoint.description() + ": " + e.getMessage());
    }
  }

  /** Sends a handshake on a new connection and returns the answer; the connection stays the probe's. */
  static Answer handshake(Probe p, HandshakeRequest request) {
    RawWebSocket socket = connect(p);
    try {
      Handshake answer = socket.handshake(request, p.timing().requestTimeout());
      record(p, "ws" + p.mark() + ":handshake", request, answer);
      return new Answer(socket, answer);
    } catch (IOException e) {
      throw new CaseFailure("the handshake " + request.describe() + " got no HTTP answer: " + e.getMessage());
    }
  }

  /** Records a handshake's answer for the trace, with every bearer entry redacted: tokens are never written. */
  private static void record(Probe p, String connection, HandshakeRequest request, Handshake answer) {
    List<String> headers = new java.util.ArrayList<>();
    answer.headers().forEach((name, values) -> values.forEach(v -> headers.add(name + ": "
        + v.replaceAll("bearer\\.[^,\\s]*", "bearer.<redacted>"))));
    p.history().append(new Observation.HandshakeAnswered(p.history().now(), connection, request.describe(),
        answer.status(), headers));
  }

  /** The path of the run's WebSocket endpoint, prefix included. */
  static String path(Probe p) {
    return p.webSocket().uri().getRawPath();
  }

  /** A valid handshake for a scenario user, with the credentials the run has for it. */
  static HandshakeRequest validFor(Probe p, String user) {
    return HandshakeRequest.valid(path(p), BearerSubprotocol.offer(1, p.credentials().headersFor(user)));
  }

  /**
   * Upgrades a new connection for a scenario user without sending a frame.
   *
   * @param receiveBufferBytes the TCP receive buffer, or 0 for the system's default
   */
  static WsWire upgrade(Probe p, String user, int receiveBufferBytes) {
    return upgrade(p, validFor(p, user), user, receiveBufferBytes);
  }

  /** Upgrades a new connection with a handshake the case made, without sending a frame. */
  static WsWire upgrade(Probe p, HandshakeRequest request, String label, int receiveBufferBytes) {
    RawWebSocket socket = connect(p, receiveBufferBytes);
    Handshake answer;
    String name = "ws" + p.mark() + ":" + label + "(raw)";
    try {
      answer = socket.handshake(request, p.timing().requestTimeout());
    } catch (IOException e) {
      throw new CaseFailure("the handshake got no HTTP answer: " + e.getMessage());
    }
    record(p, name, request, answer);
    if (answer.status() != 101) {
      throw new CaseFailure("a valid handshake was answered " + answer.status() + ": " + answer.body().strip());
    }
    p.history().append(new Observation.Started(p.history().now(), name, Binding.WEBSOCKET,
        p.webSocket().description() + " (the kit's own WebSocket client)"));
    return new WsWire(p, socket, name);
  }

  /** Upgrades a new connection for a scenario user and opens a session in the probe's room. */
  static Joined join(Probe p, String user, int receiveBufferBytes) throws InterruptedException {
    WsWire wire = upgrade(p, user, receiveBufferBytes);
    wire.send(ConnectRequest.newBuilder().setOpen(p.openFrame(user)).build());
    ConnectResponse opened = wire.await(ConnectResponse::hasOpened, "opened", p.timing().requestTimeout());
    return new Joined(wire, opened.getOpened());
  }

  /** Returns the session's name in the history. */
  String name() {
    return name;
  }

  /** Returns the connection, for frames of the case's own making. */
  RawWebSocket socket() {
    return socket;
  }

  /** Sends a frame as one binary message. */
  void send(ConnectRequest frame) {
    probe.history().append(new Observation.Sent(probe.history().now(), name, frame));
    write(() -> socket.sendMessage(RawWebSocket.BINARY, frame.toByteArray()));
  }

  /** Sends a frame as one binary message in several WebSocket frames. */
  void sendFragmented(ConnectRequest frame, int parts) {
    probe.history().append(new Observation.Sent(probe.history().now(), name, frame));
    write(() -> socket.sendFragmented(RawWebSocket.BINARY, frame.toByteArray(), parts));
  }

  /** Does a write the case asked for, failing the case if the connection is gone. */
  void write(Write write) {
    try {
      write.run();
    } catch (IOException e) {
      throw new CaseFailure(name + ": the connection failed while the kit wrote to it: " + e.getMessage());
    }
  }

  /** A write to the connection. */
  @FunctionalInterface
  interface Write {
    void run() throws IOException;
  }

  /**
   * Waits for a frame that matches, reading and recording every message before it.
   *
   * @throws CaseFailure if none comes within the timeout, or the session ends first
   */
  ConnectResponse await(Predicate<ConnectResponse> match, String what, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Event e = next(Duration.ofNanos(Math.max(0, deadline - System.nanoTime()))).orElseThrow(() ->
          new CaseFailure(name + ": expected " + what + " within " + timeout.toMillis() + " ms; none came"));
      if (e instanceof Frame f && match.test(f.frame())) {
        return f.frame();
      }
      if (e instanceof Closed c) {
        throw new CaseFailure(name + ": expected " + what + " but the connection closed: " + c.describe());
      }
    }
  }

  /**
   * Returns the next thing the session receives: a whole binary message decoded, a text message, a Ping or Pong,
   * the server's Close frame or the end of the connection; empty after the timeout.
   */
  Optional<Event> next(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Optional<Inbound> in = socket.next(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
      if (in.isEmpty()) {
        return Optional.empty();
      }
      Optional<Event> event = event(in.get());
      if (event.isPresent()) {
        return event;
      }
    }
  }

  private Optional<Event> event(Inbound in) {
    if (in.isEnd()) {
      record(new Observation.WebSocketClosed(in.nanos(), name, Observation.WebSocketClosed.NO_CLOSE_FRAME,
          in.endCause()));
      return Optional.of(new Closed(in.nanos(), Observation.WebSocketClosed.NO_CLOSE_FRAME, in.endCause()));
    }
    switch (in.opcode()) {
      case RawWebSocket.PING:
        return Optional.of(new Ping(in.nanos(), in.payload()));
      case RawWebSocket.PONG:
        return Optional.of(new Pong(in.nanos(), in.payload()));
      case RawWebSocket.CLOSE:
        record(new Observation.WebSocketClosed(in.nanos(), name, in.closeCode(), in.closeReason()));
        return Optional.of(new Closed(in.nanos(), in.closeCode(), in.closeReason()));
      case RawWebSocket.TEXT:
        throw new CaseFailure(name + ": the server sent a text message; PRS-WS-4 allows only binary ones");
      default:
        message.writeBytes(in.payload());
        if (!in.fin()) {
          return Optional.empty();
        }
        byte[] whole = message.toByteArray();
        message.reset();
        try {
          ConnectResponse frame = WireFormat.parseResponse(whole);
          record(frame.hasSessionEnd() ? new Observation.SessionEndReceived(in.nanos(), name, frame.getSessionEnd())
              : new Observation.Received(in.nanos(), name, frame));
          return Optional.of(new Frame(in.nanos(), frame));
        } catch (IOException undecodable) {
          throw new CaseFailure(name + ": a binary message of " + whole.length + " bytes that is no "
              + "ConnectResponse (PRS-WS-4)");
        }
    }
  }

  private void record(Observation o) {
    probe.history().append(o);
  }

  /**
   * Reads until the connection ends and returns the session_end received, if any, and how it closed.
   *
   * @throws CaseFailure if it has not closed within the timeout
   */
  Ending awaitEnding(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Optional<ConnectResponse> sessionEnd = Optional.empty();
    List<ConnectResponse> after = new java.util.ArrayList<>();
    while (true) {
      Event e = next(Duration.ofNanos(Math.max(0, deadline - System.nanoTime()))).orElseThrow(() ->
          new CaseFailure(name + ": expected the connection to close within " + timeout.toMillis() + " ms"));
      if (e instanceof Frame f && f.frame().hasSessionEnd()) {
        sessionEnd = Optional.of(f.frame());
      } else if (e instanceof Frame f && sessionEnd.isPresent()) {
        after.add(f.frame());
      } else if (e instanceof Closed c) {
        return new Ending(sessionEnd.map(ConnectResponse::getSessionEnd), c, after);
      }
    }
  }

  @Override
  public void close() {
    socket.close();
  }

  /** The answer to a handshake, and the connection it came on. */
  record Answer(RawWebSocket socket, Handshake handshake) {}

  /** A raw session opened in the probe's room. */
  record Joined(WsWire wire, Opened opened) {}

  /**
   * How a session ended: the session_end, the close, and any frame that came after session_end.
   *
   * @param sessionEnd the session_end frame, if one came
   * @param close the Close frame, or code 1006 for none
   * @param afterSessionEnd frames received after session_end, which PRS-WS-10 forbids
   */
  record Ending(Optional<dev.presence.protocol.v1.SessionEnd> sessionEnd, Closed close,
      List<ConnectResponse> afterSessionEnd) {}

  /** Something a raw session receives. */
  sealed interface Event {
    /** When it arrived. */
    long nanos();
  }

  /** @param frame a whole binary message, decoded */
  record Frame(long nanos, ConnectResponse frame) implements Event {}

  /** @param payload a Ping frame's payload */
  record Ping(long nanos, byte[] payload) implements Event {}

  /** @param payload a Pong frame's payload */
  record Pong(long nanos, byte[] payload) implements Event {}

  /**
   * @param code the Close frame's code, or 1006 when the connection ended without one
   * @param reason the Close frame's reason, or how a connection without one ended
   */
  record Closed(long nanos, int code, String reason) implements Event {
    String describe() {
      return code == Observation.WebSocketClosed.NO_CLOSE_FRAME
          ? "without a Close frame" + (reason.isEmpty() ? "" : " (" + reason + ")")
          : "Close " + code + (reason.isEmpty() ? "" : " '" + reason + "'");
    }
  }
}
