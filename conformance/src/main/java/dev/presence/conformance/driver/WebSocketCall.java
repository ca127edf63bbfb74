package dev.presence.conformance.driver;

import dev.presence.conformance.driver.CallEnd.WebSocketClose;
import dev.presence.conformance.history.Observation;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.SessionEnd;
import io.grpc.Status;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A call on the WebSocket binding (SPEC.md §2.2) over the JDK's WebSocket client: each request is one binary
 * message, inbound messages are reassembled from their fragments, {@code WebSocket.request} carries the session's
 * flow control, and the end is read as PRS-WS-11 says.
 */
final class WebSocketCall implements WireCall, WebSocket.Listener {

  private static final int NORMAL_CLOSURE = 1000;

  private final Listener listener;
  private final AtomicBoolean ended = new AtomicBoolean();
  private final ByteArrayOutputStream message = new ByteArrayOutputStream();
  private volatile CompletableFuture<WebSocket> socket;
  private CompletableFuture<?> sends = CompletableFuture.completedFuture(null);
  private Optional<SessionEnd> sessionEnd = Optional.empty();

  private WebSocketCall(Listener listener) {
    this.listener = listener;
  }

  /**
   * Starts the opening handshake; requests sent meanwhile wait for it.
   *
   * @param client the HTTP client, with the run's TLS settings
   * @param uri the WebSocket URL, path included
   * @param subprotocols the entries of {@code Sec-WebSocket-Protocol}, in order (PRS-WS-3, PRS-WS-6)
   * @param timeout how long the handshake may take
   * @param listener hears frames and the end
   */
  static WebSocketCall open(HttpClient client, URI uri, List<String> subprotocols, Duration timeout,
      Listener listener) {
    WebSocketCall call = new WebSocketCall(listener);
    WebSocket.Builder builder = client.newWebSocketBuilder().connectTimeout(timeout);
    if (!subprotocols.isEmpty()) {
      builder.subprotocols(subprotocols.get(0), subprotocols.subList(1, subprotocols.size()).toArray(String[]::new));
    }
    call.socket = builder.buildAsync(uri, call);
    call.socket.whenComplete((ws, failure) -> {
      if (failure != null) {
        call.end(handshakeEnd(failure));
      }
    });
    return call;
  }

  private static CallEnd handshakeEnd(Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause()
        : failure;
    if (cause instanceof WebSocketHandshakeException refused && refused.getResponse() != null
        && refused.getResponse().statusCode() != 101) {
      return WebSocketEnds.refused(refused.getResponse().statusCode());
    }
    return WebSocketEnds.failed(String.valueOf(cause.getMessage()));
  }

  @Override
  public synchronized void send(byte[] bytes) {
    ByteBuffer payload = ByteBuffer.wrap(bytes.clone());
    sends = sends.thenCompose(x -> socket).thenCompose(ws -> ws.sendBinary(payload, true))
        .exceptionally(closed -> null);
  }

  @Override
  public synchronized void halfClose() {
    sends = sends.thenCompose(x -> socket).thenCompose(ws -> ws.sendClose(NORMAL_CLOSURE, ""))
        .exceptionally(closed -> null);
  }

  @Override
  public void cancel() {
    socket.thenAccept(WebSocket::abort);
    end(CallEnd.bare(Status.Code.CANCELLED, "cancelled by the conformance kit", Optional.empty()));
  }

  @Override
  public void request() {
    socket.thenAccept(ws -> ws.request(1));
  }

  @Override
  public void onOpen(WebSocket ws) {
    ws.request(1);
  }

  @Override
  public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
    byte[] part = new byte[data.remaining()];
    data.get(part);
    message.writeBytes(part);
    if (!last) {
      ws.request(1);
      return null;
    }
    byte[] whole = message.toByteArray();
    message.reset();
    ConnectResponse frame;
    try {
      frame = WireFormat.parseResponse(whole);
    } catch (java.io.IOException undecodable) {
      ws.abort();
      end(CallEnd.bare(Status.Code.INTERNAL, "undecodable ConnectResponse from the server", Optional.empty()));
      return null;
    }
    if (frame.hasSessionEnd()) {
      sessionEnd = Optional.of(frame.getSessionEnd());
    }
    listener.onFrame(frame);
    return null;
  }

  @Override
  public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
    ws.abort();
    end(CallEnd.bare(Status.Code.INTERNAL, "a text message from the server, where PRS-WS-4 allows only binary ones",
        Optional.empty()));
    return null;
  }

  // Control frames use up demand meant for frames, so it is given back: pausing a session holds back frames only.
  @Override
  public CompletionStage<?> onPing(WebSocket ws, ByteBuffer message) {
    ws.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onPong(WebSocket ws, ByteBuffer message) {
    ws.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
    end(WebSocketEnds.closed(sessionEnd, new WebSocketClose(statusCode, reason)));
    return null;
  }

  @Override
  public void onError(WebSocket ws, Throwable error) {
    end(WebSocketEnds.closed(sessionEnd,
        new WebSocketClose(Observation.WebSocketClosed.NO_CLOSE_FRAME, "")));
  }

  private void end(CallEnd end) {
    if (ended.compareAndSet(false, true)) {
      listener.onEnd(end);
    }
  }
}
