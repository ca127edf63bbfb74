package dev.presence.clientadapter;

import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.ConnectResponse;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An interceptor that lets a faulty variant rewrite, drop, hold or add presence.v1 frames on the client's session
 * calls, in either direction. Subclasses override the hooks they need; every frame passes through unchanged
 * otherwise.
 */
abstract class FaultyFrames implements ClientInterceptor {
  static final String CONNECT_METHOD = "presence.v1.PresenceService/Connect";
  static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final AtomicInteger calls = new AtomicInteger();

  /** What the client's frame becomes on the wire: itself, a changed copy, several, or none. */
  List<ConnectRequest> outbound(Session session, ConnectRequest frame) {
    return List.of(frame);
  }

  /** What the client is given for a frame the server sent: itself, a changed copy, several, or none. */
  List<ConnectResponse> inbound(Session session, ConnectResponse frame) {
    return List.of(frame);
  }

  /** Called as a session call ends, before the client hears of it. */
  void closed(Session session, Status status) {}

  /** Called as the client half-closes a session call, just before it does: a last chance to send held frames. */
  void halfClosing(Session session) {}

  @Override
  @SuppressWarnings("unchecked")
  public <Q, A> ClientCall<Q, A> interceptCall(MethodDescriptor<Q, A> method, CallOptions options, Channel next) {
    ClientCall<Q, A> call = next.newCall(method, options);
    if (!method.getFullMethodName().equals(CONNECT_METHOD)) {
      return call;
    }
    return (ClientCall<Q, A>) new Session(calls.getAndIncrement(),
        (ClientCall<ConnectRequest, ConnectResponse>) call);
  }

  /** One session call of the client, as this interceptor sees it. */
  final class Session extends ForwardingClientCall.SimpleForwardingClientCall<ConnectRequest, ConnectResponse> {
    private final int index;
    private volatile String authorization;

    private Session(int index, ClientCall<ConnectRequest, ConnectResponse> call) {
      super(call);
      this.index = index;
    }

    /** 0 for the client's first session call, 1 for the next, and so on. */
    int index() {
      return index;
    }

    /** The call's authorization header as the client set it, or null. */
    String authorization() {
      return authorization;
    }

    /**
     * Sends a frame now, from any thread; the client's own sends go through here too, so frames stay whole. A
     * frame sent after the call ended is lost, as it would be on the wire.
     */
    synchronized void send(ConnectRequest frame) {
      try {
        super.sendMessage(frame);
      } catch (IllegalStateException callEnded) {
        // Held frames released after the client left: nothing to send them on.
      }
    }

    @Override
    public void start(Listener<ConnectResponse> listener, Metadata headers) {
      authorization = headers.get(AUTHORIZATION);
      super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
        @Override
        public void onMessage(ConnectResponse message) {
          List<ConnectResponse> given = inbound(Session.this, message);
          if (given.isEmpty()) {
            // The client's stub asks for one more message per message it gets; a swallowed one must be replaced.
            Session.this.request(1);
          }
          given.forEach(super::onMessage);
        }

        @Override
        public void onClose(Status status, Metadata trailers) {
          closed(Session.this, status);
          super.onClose(status, trailers);
        }
      }, headers);
    }

    @Override
    public synchronized void halfClose() {
      halfClosing(this);
      super.halfClose();
    }

    @Override
    public void sendMessage(ConnectRequest message) {
      outbound(this, message).forEach(this::send);
    }
  }
}
