package dev.presence.bench.driver.websocket;

import dev.presence.bench.driver.Receiver;
import dev.presence.bench.driver.UserSession;
import java.io.IOException;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.Queue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The WebSocket plumbing every protocol shares: reassembles partial messages, reads in windows so that
 * {@link #stopReading()} turns into TCP back-pressure, serializes sends (the JDK allows one outstanding data
 * frame per socket) and closes politely, then firmly. Subclasses decode whole messages and call
 * {@link #markReady()} once their protocol's handshake is done.
 *
 * <p>The JDK calls the listener methods one at a time per socket, so the fields they alone use need no
 * synchronization.
 */
abstract class WebSocketSession implements WebSocket.Listener, UserSession {
  /** Messages requested ahead; a stopped reader gets at most this many more before the socket stalls. */
  private static final int READ_WINDOW_MESSAGES = 32;
  /** States waiting for the socket beyond which new ones are dropped rather than buffered without bound. */
  private static final int MAX_QUEUED_SENDS = 256;
  /**
   * A message longer than this (bytes, or chars for text) is a broken server rather than a big room:
   * y-websocket sends a joining client every state of the room in one message, about 80 bytes per user.
   */
  private static final int MAX_MESSAGE_BYTES = 16 << 20;
  private static final long CLOSE_TIMEOUT_MILLIS = 1_000;

  protected final Receiver receiver;
  protected final Faults faults;
  private final WebSocketConnector connector;
  private final CompletableFuture<UserSession> ready = new CompletableFuture<>();
  private final CompletableFuture<Void> terminated = new CompletableFuture<>();
  private final Queue<Object> outbound = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queuedSends = new AtomicInteger();
  private final AtomicBoolean sending = new AtomicBoolean();
  private final AtomicBoolean closing = new AtomicBoolean();
  private volatile WebSocket webSocket;
  private volatile boolean reading = true;
  private int deliveredSinceRequest;
  private StringBuilder textFragments;
  private ByteBuffer binaryFragments;
  /** Set while the rest of an oversized message arrives, to be thrown away. */
  private boolean discarding;

  WebSocketSession(Receiver receiver, WebSocketConnector connector) {
    this.receiver = receiver;
    this.connector = connector;
    this.faults = connector.faults();
  }

  /** Called once the connection is open, before anything queued is sent; sends nothing by default. */
  void opened() {}

  /** Handles one whole text message; throws {@link IllegalArgumentException} if it does not decode. */
  abstract void onTextMessage(CharSequence message);

  /** Handles one whole binary message; throws {@link IllegalArgumentException} if it does not decode. */
  abstract void onBinaryMessage(ByteBuffer message);

  final CompletableFuture<UserSession> ready() {
    return ready;
  }

  final CompletableFuture<Void> terminated() {
    return terminated;
  }

  /** The protocol's handshake is done: the session can send and receive. */
  public final void markReady() {
    ready.complete(this);
  }

  /** @return whether this failed the open, which was still pending */
  final boolean failReady(Throwable cause) {
    return ready.completeExceptionally(cause);
  }

  final void connectFailed(Throwable cause) {
    if (!closing.get()) {
      faults.transport(cause);
    }
    ready.completeExceptionally(cause);
    terminated.complete(null);
  }

  /** Queues a text message; it is dropped if too many wait already or the session is closing. */
  final void sendText(String message) {
    enqueue(message);
  }

  /** Queues a binary message; it is dropped if too many wait already or the session is closing. */
  final void sendBinary(ByteBuffer message) {
    enqueue(message);
  }

  @Override
  public final void stopReading() {
    reading = false;
  }

  @Override
  public final void close() {
    if (!closing.compareAndSet(false, true)) {
      return;
    }
    ready.completeExceptionally(new CancellationException("session closed before it was ready"));
    outbound.clear();
    WebSocket ws = webSocket;
    if (ws != null) {
      closeThenAbort(ws);
    }
  }

  /**
   * Closes a session the server's protocol ended while the WebSocket was still open: an open that was
   * pending fails with the reason, a ready session counts it as a fault. Its closing handshake is then not
   * counted again.
   *
   * @param how how the protocol said so, stable across occurrences
   */
  public final void endedByServer(String how) {
    boolean failedOpen = failReady(new IOException("server ended the session: " + how));
    if (!failedOpen && !closing.get()) {
      faults.closedByServer(how);
    }
    close();
  }

  /** Drops the connection at once, without a closing handshake. */
  final void abort() {
    closing.set(true);
    WebSocket ws = webSocket;
    if (ws != null) {
      ws.abort();
    }
    terminated.complete(null);
  }

  @Override
  public final void onOpen(WebSocket ws) {
    webSocket = ws;
    if (closing.get()) {
      closeThenAbort(ws);
      return;
    }
    ws.request(READ_WINDOW_MESSAGES);
    opened();
    drain();
  }

  @Override
  public final CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
    acknowledge(ws);
    CharSequence message = data;
    if (!last || discarding || (textFragments != null && textFragments.length() > 0)) {
      if (!appendFragment(data, last)) {
        return null;
      }
      message = textFragments;
    }
    try {
      deliver(message, message.length());
    } finally {
      if (textFragments != null) {
        textFragments.setLength(0);
      }
    }
    return null;
  }

  @Override
  public final CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
    acknowledge(ws);
    ByteBuffer message = data;
    if (!last || discarding || (binaryFragments != null && binaryFragments.position() > 0)) {
      if (!appendFragment(data, last)) {
        return null;
      }
      message = binaryFragments.flip();
    }
    try {
      deliver(message, message.remaining());
    } finally {
      if (binaryFragments != null) {
        binaryFragments.clear();
      }
    }
    return null;
  }

  /**
   * Hands one whole message, text or binary, to the protocol. A message that does not decode and a receiver
   * that throws are counted as faults, never fatal to the session.
   */
  private void deliver(Object message, int size) {
    try {
      receiver.onFrame(size);
      if (message instanceof CharSequence text) {
        onTextMessage(text);
      } else {
        onBinaryMessage((ByteBuffer) message);
      }
    } catch (IllegalArgumentException e) {
      faults.malformed(e);
    } catch (RuntimeException e) {
      faults.receiver(e);
    }
  }

  @Override
  public final CompletionStage<?> onPing(WebSocket ws, ByteBuffer message) {
    acknowledge(ws); // the JDK answers with a pong itself
    return null;
  }

  @Override
  public final CompletionStage<?> onPong(WebSocket ws, ByteBuffer message) {
    acknowledge(ws);
    return null;
  }

  @Override
  public final CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
    if (!closing.get()) {
      faults.closedByServer("WebSocket close status " + statusCode);
    }
    ready.completeExceptionally(new IOException("server closed the session with status " + statusCode));
    terminated.complete(null);
    return null; // the JDK then answers with its own close
  }

  @Override
  public final void onError(WebSocket ws, Throwable error) {
    if (!closing.get()) {
      faults.transport(error);
    }
    ready.completeExceptionally(error);
    terminated.complete(null);
  }

  /** Asks for more messages each half window, unless reading stopped, so the socket is read in batches. */
  private void acknowledge(WebSocket ws) {
    if (++deliveredSinceRequest == READ_WINDOW_MESSAGES / 2) {
      deliveredSinceRequest = 0;
      if (reading) {
        ws.request(READ_WINDOW_MESSAGES / 2);
      }
    }
  }

  /** @return whether a whole message is now in the fragment buffer */
  private boolean appendFragment(CharSequence data, boolean last) {
    if (textFragments == null) {
      textFragments = new StringBuilder();
    }
    if (!discarding && textFragments.length() + data.length() > MAX_MESSAGE_BYTES) {
      startDiscarding("text");
    }
    if (discarding) {
      textFragments.setLength(0);
      discarding = !last;
      return false;
    }
    textFragments.append(data);
    return last;
  }

  /** @return whether a whole message is now in the fragment buffer, which is left in write mode */
  private boolean appendFragment(ByteBuffer data, boolean last) {
    if (binaryFragments == null) {
      binaryFragments = ByteBuffer.allocate(Math.max(1024, data.remaining()));
    }
    int needed = binaryFragments.position() + data.remaining();
    if (!discarding && needed > MAX_MESSAGE_BYTES) {
      startDiscarding("binary");
    }
    if (discarding) {
      binaryFragments.clear();
      discarding = !last;
      return false;
    }
    if (binaryFragments.remaining() < data.remaining()) {
      binaryFragments = ByteBuffer.allocate(Math.max(needed, binaryFragments.capacity() * 2))
          .put(binaryFragments.flip());
    }
    binaryFragments.put(data);
    return last;
  }

  private void startDiscarding(String kind) {
    discarding = true;
    faults.malformed(new IllegalArgumentException(kind + " message over " + MAX_MESSAGE_BYTES + " bytes"));
  }

  private void enqueue(Object message) {
    if (closing.get()) {
      return;
    }
    int queued = queuedSends.incrementAndGet();
    if (queued > MAX_QUEUED_SENDS) {
      queuedSends.decrementAndGet();
      faults.droppedSend(queued - 1);
      return;
    }
    outbound.offer(message);
    drain();
  }

  /** Sends queued messages one at a time; whoever completes a send starts the next. */
  private void drain() {
    WebSocket ws = webSocket;
    if (ws == null) {
      return; // onOpen drains
    }
    while (!outbound.isEmpty() && sending.compareAndSet(false, true)) {
      Object next = outbound.poll();
      if (next == null) {
        sending.set(false);
        continue;
      }
      queuedSends.decrementAndGet();
      CompletableFuture<WebSocket> sent;
      try {
        sent = next instanceof String text ? ws.sendText(text, true) : ws.sendBinary((ByteBuffer) next, true);
      } catch (RuntimeException e) {
        sendCompleted(e);
        continue;
      }
      if (sent.isDone()) {
        sendCompleted(sent.handle((w, e) -> e).getNow(null));
      } else {
        sent.whenComplete((w, e) -> {
          sendCompleted(e);
          drain();
        });
      }
    }
  }

  private void sendCompleted(Throwable failure) {
    if (failure != null && !closing.get() && !terminated.isDone()) {
      faults.transport(failure);
    }
    sending.set(false);
  }

  private void closeThenAbort(WebSocket ws) {
    ws.sendClose(WebSocket.NORMAL_CLOSURE, "");
    try {
      connector.timer().schedule(this::abort, CLOSE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException driverClosed) {
      abort();
    }
  }
}
