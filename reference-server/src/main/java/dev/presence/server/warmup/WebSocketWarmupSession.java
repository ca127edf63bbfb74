package dev.presence.server.warmup;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.ConnectResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A warm-up user on the WebSocket binding: one binary message per frame, subprotocol {@code presence.v1}. */
final class WebSocketWarmupSession extends WarmupSession {
  private final WebSocket socket;
  private CompletableFuture<WebSocket> lastSend = CompletableFuture.completedFuture(null);

  WebSocketWarmupSession(HttpClient client, int port, String roomId, String userId, LatenessSlices lateness)
      throws IOException, InterruptedException {
    super(roomId, userId, lateness);
    try {
      socket = client.newWebSocketBuilder().subprotocols("presence.v1").connectTimeout(Duration.ofSeconds(5))
          .buildAsync(URI.create("ws://127.0.0.1:" + port + "/presence.v1"), new Receiver())
          .get(5, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IOException("warm-up WebSocket session: " + e.getMessage(), e);
    }
  }

  @Override
  synchronized void write(ConnectRequest frame) {
    // The JDK's WebSocket takes one send at a time; a state that finds one in flight is skipped, the next wins.
    if (!lastSend.isDone()) {
      if (frame.hasUpdateState()) {
        return;
      }
      lastSend.join();
    }
    lastSend = socket.sendBinary(ByteBuffer.wrap(frame.toByteArray()), true);
  }

  @Override
  synchronized void close() {
    socket.sendClose(WebSocket.NORMAL_CLOSURE, "").orTimeout(1, TimeUnit.SECONDS);
  }

  private final class Receiver implements WebSocket.Listener {
    private final ByteArrayOutputStream message = new ByteArrayOutputStream();

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
      byte[] bytes = new byte[data.remaining()];
      data.get(bytes);
      message.writeBytes(bytes);
      if (last) {
        try {
          onFrame(ConnectResponse.parseFrom(message.toByteArray()));
        } catch (InvalidProtocolBufferException e) {
          throw new UncheckedIOException(e);
        }
        message.reset();
      }
      webSocket.request(1);
      return null;
    }
  }
}
