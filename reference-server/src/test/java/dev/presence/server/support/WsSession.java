package dev.presence.server.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.presence.protocol.WebSocketBinding;
import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.Opened;
import dev.presence.protocol.v1.PresenceEvent;
import dev.presence.protocol.v1.SessionEnd;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * A presence.v1 client on the WebSocket binding for tests, on the JDK's own WebSocket client: every binary
 * message is parsed and queued with its arrival time, the Close is recorded, and every wait has a deadline.
 * Reading can be paused, in which case the JDK client stops taking messages off the connection.
 */
public final class WsSession implements WebSocket.Listener {
  /** How long any expected frame may take; generous because CI machines stall. */
  public static final Duration DEADLINE = TestSession.DEADLINE;

  /** How the server closed the connection: its Close code and reason. */
  public record Closed(int code, String reason) {}

  private final Inbox inbox = new Inbox();
  private final CompletableFuture<Closed> closed = new CompletableFuture<>();
  private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
  private volatile boolean paused;
  private volatile boolean textReceived;
  private WebSocket ws;
  private Opened opened;

  private WsSession() {}

  /** @param port the server's WebSocket port @return the URI of the presence.v1 endpoint there */
  public static URI uri(int port) {
    return URI.create("ws://127.0.0.1:" + port + WebSocketBinding.PATH);
  }

  /** @param token a bearer token @return its subprotocol entry (PRS-WS-6) */
  public static String bearerEntry(String token) {
    return WebSocketBinding.bearerEntry(token);
  }

  /**
   * @param port the server's WebSocket port
   * @param extraSubprotocols entries offered after {@code presence.v1}, e.g. a bearer entry
   * @return a connected session that has sent nothing yet
   */
  public static WsSession connect(int port, String... extraSubprotocols) {
    return connect(HttpClient.newHttpClient(), uri(port), extraSubprotocols);
  }

  /**
   * @param client the HTTP client, e.g. one with a TLS context for {@code wss://}
   * @param uri the endpoint
   * @param extraSubprotocols entries offered after {@code presence.v1}
   * @return a connected session that has sent nothing yet
   */
  public static WsSession connect(HttpClient client, URI uri, String... extraSubprotocols) {
    WsSession s = new WsSession();
    WebSocket.Builder builder = client.newWebSocketBuilder()
        .connectTimeout(DEADLINE)
        .subprotocols(WebSocketBinding.SUBPROTOCOL, extraSubprotocols);
    s.ws = builder.buildAsync(uri, s).orTimeout(DEADLINE.toMillis(), TimeUnit.MILLISECONDS).join();
    assertThat(s.ws.getSubprotocol()).isEqualTo(WebSocketBinding.SUBPROTOCOL);
    return s;
  }

  /** Connects, opens and waits for {@code opened}. */
  public static WsSession open(int port, String room, String user) {
    WsSession s = connect(port);
    s.send(Frames.open(room, user));
    ConnectResponse first = s.next();
    assertThat(first.hasOpened()).as("first frame is opened, was %s", first).isTrue();
    s.opened = first.getOpened();
    return s;
  }

  /** Opens a session subscribed to {@code '*'} (subscription id "all") whose snapshot is complete. */
  public static WsSession openWatchingAll(int port, String room, String user) {
    WsSession watcher = open(port, room, user);
    watcher.send(Frames.subscribe(1, "all", Frames.all()));
    watcher.await("snapshot_complete", ConnectResponse::hasSnapshotComplete);
    return watcher;
  }

  @Override
  public void onOpen(WebSocket webSocket) {
    webSocket.request(1);
  }

  @Override
  public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
    byte[] bytes = new byte[data.remaining()];
    data.get(bytes);
    partial.writeBytes(bytes);
    if (last) {
      try {
        inbox.add(ConnectResponse.parseFrom(partial.toByteArray()));
      } catch (InvalidProtocolBufferException e) {
        closed.completeExceptionally(new AssertionError("server sent a message that is no ConnectResponse", e));
      }
      partial.reset();
    }
    if (!paused) {
      webSocket.request(1);
    }
    return null;
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    textReceived = true;
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    closed.complete(new Closed(statusCode, reason));
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    closed.completeExceptionally(error);
  }

  public Opened opened() {
    return opened;
  }

  /** @return the client, for sending what {@link #send} does not */
  public WebSocket webSocket() {
    return ws;
  }

  public synchronized WsSession send(ConnectRequest frame) {
    ws.sendBinary(ByteBuffer.wrap(frame.toByteArray()), true).orTimeout(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
        .join();
    return this;
  }

  /** Sends a Close frame, which with 1000 is a half-close (PRS-WS-12). */
  public synchronized void sendClose(int code) {
    ws.sendClose(code, "").orTimeout(DEADLINE.toMillis(), TimeUnit.MILLISECONDS).join();
  }

  /** Drops the connection without a Close frame. */
  public void abort() {
    ws.abort();
  }

  /** Stops taking messages off the connection after the one being read. */
  public void pause() {
    paused = true;
  }

  /** Takes messages again. */
  public void resume() {
    paused = false;
    ws.request(1);
  }

  /** Waits until the server has processed every frame sent so far: a ping is answered in order. */
  public void sync() {
    long nonce = System.nanoTime();
    send(Frames.ping(nonce));
    await("pong " + nonce, f -> f.hasPong() && f.getPong().getNonce() == nonce);
  }

  /** @return the next frame of any kind, within {@link #DEADLINE} */
  public ConnectResponse next() {
    return inbox.next(DEADLINE);
  }

  /** Skips frames until one matches, failing on the deadline. */
  public ConnectResponse await(String what, Predicate<ConnectResponse> match) {
    return awaitReceived(what, match, DEADLINE).frame();
  }

  /** Skips frames until one matches, failing after {@code within}. */
  public TestSession.Received awaitReceived(String what, Predicate<ConnectResponse> match, Duration within) {
    return inbox.awaitReceived(what, match, within);
  }

  /** @return the last event about the user in the next presence frame that has one */
  public PresenceEvent awaitEvent(String userId, Predicate<PresenceEvent> match) {
    return inbox.awaitEvent(userId, match, DEADLINE);
  }

  /** Collects every frame arriving during a quiet period, to show something does NOT happen. */
  public List<ConnectResponse> drainFor(Duration quiet) {
    return inbox.drainFor(quiet);
  }

  /** @return every frame taken from the inbox so far, in order */
  public List<TestSession.Received> history() {
    return inbox.history();
  }

  /** @return the Close the server sent, waiting up to the deadline */
  public Closed awaitClose() {
    try {
      return closed.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException | ExecutionException | TimeoutException e) {
      throw new AssertionError("connection did not close within " + DEADLINE.toMillis() + " ms", e);
    }
  }

  /**
   * Waits for the session's end (PRS-WS-10): the {@code session_end} frame, which must be the last frame, and
   * the Close after it.
   *
   * @return the session_end
   */
  public SessionEnd awaitSessionEnd() {
    SessionEnd end = await("session_end", ConnectResponse::hasSessionEnd).getSessionEnd();
    Closed close = awaitClose();
    assertThat(inbox.isEmpty()).as("no frames after session_end").isTrue();
    int expectedCode = WebSocketBinding.closeCode(io.grpc.Status.fromCodeValue(end.getCode()).getCode());
    assertThat(close).isEqualTo(new Closed(expectedCode, end.getReason()));
    assertThat(textReceived).as("the server never sends text messages").isFalse();
    return end;
  }
}
