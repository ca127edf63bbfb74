package dev.presence.client.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import dev.presence.protocol.v1.Ack;
import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.Limits;
import dev.presence.protocol.v1.MemberJoined;
import dev.presence.protocol.v1.MemberLeft;
import dev.presence.protocol.v1.NullReason;
import dev.presence.protocol.v1.Opened;
import dev.presence.protocol.v1.Ping;
import dev.presence.protocol.v1.PresenceBatch;
import dev.presence.protocol.v1.PresenceEvent;
import dev.presence.protocol.v1.PresenceServiceGrpc;
import dev.presence.protocol.v1.ProtocolError;
import dev.presence.protocol.v1.SnapshotComplete;
import dev.presence.protocol.v1.User;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A scripted presence server for client tests: every Connect call becomes a {@link Conn} from which the test
 * reads the client's frames and through which it sends frames and ends the call. It implements no protocol
 * logic of its own, so each test states exactly what the server does.
 */
public final class FakePresenceServer implements AutoCloseable {
  /** How long any expected frame or connection may take; generous because CI machines are slow. */
  public static final long TIMEOUT_MILLIS = 5_000;

  private static final Context.Key<Metadata> HEADERS = Context.key("headers");
  private static final Context.Key<String> METHOD = Context.key("method");
  private static final AtomicLong NAMES = new AtomicLong();

  private final BlockingQueue<Conn> connections = new LinkedBlockingQueue<>();
  private final Server server;
  private final ManagedChannel channel;

  /** Starts an in-process server and a channel to it. */
  public FakePresenceServer() {
    this(false);
  }

  /**
   * Starts a server and a channel to it.
   *
   * @param tcp listen on a free localhost TCP port (for the CLI, which dials an address) instead of in-process
   */
  public FakePresenceServer(boolean tcp) {
    String name = "fake-presence-" + NAMES.incrementAndGet();
    ServerInterceptor capture = new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
          ServerCallHandler<Q, R> next) {
        Context context = Context.current().withValue(HEADERS, headers)
            .withValue(METHOD, call.getMethodDescriptor().getFullMethodName());
        return Contexts.interceptCall(context, call, headers, next);
      }
    };
    PresenceServiceGrpc.PresenceServiceImplBase impl = new PresenceServiceGrpc.PresenceServiceImplBase() {
      @Override
      public StreamObserver<ConnectRequest> connect(StreamObserver<ConnectResponse> responses) {
        Conn c = new Conn(responses, HEADERS.get(), METHOD.get());
        connections.add(c);
        return c.inbound;
      }
    };
    try {
      if (tcp) {
        server = io.grpc.Grpc.newServerBuilderForPort(0, io.grpc.InsecureServerCredentials.create())
            .addService(ServerInterceptors.intercept(impl, capture))
            .build()
            .start();
        channel = io.grpc.Grpc.newChannelBuilderForAddress("localhost", server.getPort(),
            io.grpc.InsecureChannelCredentials.create()).build();
      } else {
        server = InProcessServerBuilder.forName(name)
            .addService(ServerInterceptors.intercept(impl, capture))
            .build()
            .start();
        channel = InProcessChannelBuilder.forName(name).build();
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The TCP address of a server started with {@code tcp}.
   *
   * @return host:port
   */
  public String target() {
    return "localhost:" + server.getPort();
  }

  /**
   * The channel to give the client.
   *
   * @return the channel
   */
  public ManagedChannel channel() {
    return channel;
  }

  /**
   * Waits for the next Connect call.
   *
   * @return the connection
   */
  public Conn awaitConnection() {
    try {
      Conn c = connections.poll(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
      assertThat(c).as("a Connect call within %d ms", TIMEOUT_MILLIS).isNotNull();
      return c;
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * Connections not yet taken by {@link #awaitConnection()}.
   *
   * @return the count
   */
  public int waitingConnections() {
    return connections.size();
  }

  @Override
  public void close() {
    channel.shutdownNow();
    server.shutdownNow();
  }

  /** One Connect call seen from the server. */
  public static final class Conn {
    private static final Object END = new Object();
    private final StreamObserver<ConnectResponse> responses;
    private final Metadata headers;
    private final String method;
    private final BlockingQueue<Object> frames = new LinkedBlockingQueue<>();
    private final java.util.ArrayDeque<ConnectRequest> stash = new java.util.ArrayDeque<>();
    private final AtomicLong nonces = new AtomicLong(1000);
    private volatile boolean clientEnded;
    final StreamObserver<ConnectRequest> inbound = new StreamObserver<>() {
      @Override
      public void onNext(ConnectRequest value) {
        frames.add(value);
      }

      @Override
      public void onError(Throwable t) {
        clientEnded = true;
        frames.add(END);
      }

      @Override
      public void onCompleted() {
        clientEnded = true;
        frames.add(END);
        // Like a real server: a half-closed session ends with OK, so the client's close() need not wait.
        try {
          complete();
        } catch (RuntimeException e) {
          // Already ended by the script.
        }
      }
    };

    Conn(StreamObserver<ConnectResponse> responses, Metadata headers, String method) {
      this.responses = responses;
      this.headers = headers;
      this.method = method;
    }

    /**
     * The full name of the RPC the client called.
     *
     * @return for example {@code presence.v1.PresenceService/Connect}
     */
    public String method() {
      return method;
    }

    /**
     * The bearer token the call carried.
     *
     * @return the token after {@code Bearer }, or null
     */
    public String bearer() {
      String auth = headers.get(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER));
      return auth == null ? null : auth.substring("Bearer ".length());
    }

    /**
     * The call's metadata.
     *
     * @return headers
     */
    public Metadata headers() {
      return headers;
    }

    /**
     * The next frame from the client, skipping nothing.
     *
     * @return the frame
     */
    public ConnectRequest next() {
      synchronized (stash) {
        if (!stash.isEmpty()) {
          return stash.poll();
        }
      }
      return take();
    }

    private ConnectRequest take() {
      try {
        Object o = frames.poll(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        assertThat(o).as("a client frame within %d ms", TIMEOUT_MILLIS).isNotNull();
        assertThat(o).as("a frame, not the end of the client's stream").isNotSameAs(END);
        return (ConnectRequest) o;
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }

    /**
     * The next frame, which must be of the given kind.
     *
     * @param kind the expected kind
     * @return the frame
     */
    public ConnectRequest expect(ConnectRequest.FrameCase kind) {
      ConnectRequest r = next();
      assertThat(r.getFrameCase()).isEqualTo(kind);
      return r;
    }

    /**
     * Waits until the client ends its side of the call (half-close or cancel), skipping frames before it.
     *
     * @return the frames skipped
     */
    public List<ConnectRequest> awaitClientEnd() {
      List<ConnectRequest> skipped = new java.util.ArrayList<>();
      synchronized (stash) {
        skipped.addAll(stash);
        stash.clear();
      }
      while (true) {
        try {
          Object o = frames.poll(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
          assertThat(o).as("the client's stream end within %d ms", TIMEOUT_MILLIS).isNotNull();
          if (o == END) {
            return skipped;
          }
          skipped.add((ConnectRequest) o);
        } catch (InterruptedException e) {
          throw new AssertionError(e);
        }
      }
    }

    /**
     * Whether the client has ended its side.
     *
     * @return true once ended
     */
    public boolean clientEnded() {
      return clientEnded;
    }

    /**
     * Sends a frame.
     *
     * @param frame the frame
     * @return this
     */
    public Conn send(ConnectResponse frame) {
      synchronized (responses) {
        responses.onNext(frame);
      }
      return this;
    }

    /**
     * Expects Open and answers Opened.
     *
     * @param self the user id
     * @param members every member, self included
     * @return the Open request
     */
    public ConnectRequest open(String self, String... members) {
      return open(defaultLimits().build(), self, members);
    }

    /**
     * Expects Open and answers Opened with the given limits.
     *
     * @param limits the limits
     * @param self the user id
     * @param members every member, self included
     * @return the Open request
     */
    public ConnectRequest open(Limits limits, String self, String... members) {
      ConnectRequest open = expect(ConnectRequest.FrameCase.OPEN);
      Opened.Builder o = Opened.newBuilder()
          .setSessionId("sess-" + NAMES.incrementAndGet())
          .setSelf(User.newBuilder().setUserId(self).setDisplayName(self.toUpperCase()))
          .setProtocolVersion(1)
          .setLimits(limits);
      for (String m : members) {
        o.addMembers(User.newBuilder().setUserId(m).setDisplayName(m.toUpperCase()));
      }
      send(ConnectResponse.newBuilder().setOpened(o).build());
      return open;
    }

    /**
     * Round-trips a ping, proving the client processed every earlier frame.
     */
    public void barrier() {
      long nonce = nonces.incrementAndGet();
      send(ConnectResponse.newBuilder().setPing(Ping.newBuilder().setNonce(nonce)).build());
      // Frames the client sent meanwhile stay readable, in order, through next().
      while (true) {
        ConnectRequest r = take();
        if (r.hasPong() && r.getPong().getNonce() == nonce) {
          return;
        }
        synchronized (stash) {
          stash.add(r);
        }
      }
    }

    /**
     * The frames received but not yet read; after {@link #barrier()}, every frame the client sent before it
     * answered the barrier's ping.
     *
     * @return a copy, in order; reading it does not consume the frames
     */
    public List<ConnectRequest> unread() {
      synchronized (stash) {
        List<ConnectRequest> out = new java.util.ArrayList<>(stash);
        for (Object o : frames) {
          if (o != END) {
            out.add((ConnectRequest) o);
          }
        }
        return out;
      }
    }

    /**
     * Ends the call with a status.
     *
     * @param status the status
     */
    public void fail(Status status) {
      synchronized (responses) {
        responses.onError(status.asRuntimeException());
      }
    }

    /**
     * Ends the call with a status carrying rich error details.
     *
     * @param error the exception from io.grpc.protobuf.StatusProto
     */
    public void fail(Throwable error) {
      synchronized (responses) {
        responses.onError(error);
      }
    }

    /** Completes the call with OK. */
    public void complete() {
      synchronized (responses) {
        responses.onCompleted();
      }
    }
  }

  // ------------------------------------------------------------ frame builders

  /**
   * The limits {@link Conn#open(String, String...)} advertises: the SPEC defaults.
   *
   * @return a builder to adjust
   */
  public static Limits.Builder defaultLimits() {
    return Limits.newBuilder().setThrottleWindowMillis(50).setMaxStateBytes(8192)
        .setMaxSubscriptions(16).setMaxFollows(256).setLeaveDetectionMillis(10000)
        .setMaxInboundFrameBytes(65536).setMaxSessionsPerUser(16).setMaxSessionsPerRoom(100);
  }

  /**
   * A state event.
   *
   * @param user the user
   * @param state the state
   * @param subscriptionIds tags; none for a live event
   * @return the event
   */
  public static PresenceEvent state(String user, Struct state, String... subscriptionIds) {
    return PresenceEvent.newBuilder().setUserId(user).setState(state)
        .addAllSubscriptionIds(List.of(subscriptionIds)).build();
  }

  /**
   * A null event.
   *
   * @param user the user
   * @param reason the reason
   * @param subscriptionIds tags; none for a live event
   * @return the event
   */
  public static PresenceEvent nul(String user, NullReason reason, String... subscriptionIds) {
    return PresenceEvent.newBuilder().setUserId(user).setNullReason(reason)
        .addAllSubscriptionIds(List.of(subscriptionIds)).build();
  }

  /**
   * A presence frame.
   *
   * @param events the events
   * @return the frame
   */
  public static ConnectResponse batch(PresenceEvent... events) {
    return ConnectResponse.newBuilder().setPresence(PresenceBatch.newBuilder().addAllEvents(List.of(events)))
        .build();
  }

  /**
   * A snapshot_complete frame.
   *
   * @param subscriptionId the subscription
   * @param requestId the subscribe's request id
   * @return the frame
   */
  public static ConnectResponse snapshotComplete(String subscriptionId, long requestId) {
    return ConnectResponse.newBuilder().setSnapshotComplete(
        SnapshotComplete.newBuilder().setSubscriptionId(subscriptionId).setRequestId(requestId)).build();
  }

  /**
   * An ack frame.
   *
   * @param requestId the request
   * @return the frame
   */
  public static ConnectResponse ack(long requestId) {
    return ConnectResponse.newBuilder().setAck(Ack.newBuilder().setRequestId(requestId)).build();
  }

  /**
   * A protocol error frame.
   *
   * @param reason the reason
   * @param requestId the offending request
   * @param subscriptionId the subscription, or empty
   * @return the frame
   */
  public static ConnectResponse error(dev.presence.protocol.v1.ErrorReason reason, long requestId,
      String subscriptionId) {
    return ConnectResponse.newBuilder().setError(ProtocolError.newBuilder().setReason(reason)
        .setMessage("scripted").setRequestId(requestId).setSubscriptionId(subscriptionId)).build();
  }

  /**
   * A fatal error as a server ends a call with it (PRS-ERR-2): the status with one {@code ErrorInfo}.
   *
   * @param code the gRPC code
   * @param reason the reason without its {@code ERROR_REASON_} prefix
   * @return the exception to pass to {@link Conn#fail(Throwable)}
   */
  public static Throwable fatal(Status.Code code, String reason) {
    return io.grpc.protobuf.StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
        .setCode(code.value())
        .setMessage("scripted " + reason)
        .addDetails(com.google.protobuf.Any.pack(
            com.google.rpc.ErrorInfo.newBuilder().setDomain("presence.v1").setReason(reason).build()))
        .build());
  }

  /**
   * A pong frame.
   *
   * @param nonce the nonce of the ping it answers
   * @return the frame
   */
  public static ConnectResponse pong(long nonce) {
    return ConnectResponse.newBuilder().setPong(dev.presence.protocol.v1.Pong.newBuilder().setNonce(nonce)).build();
  }

  /**
   * A member_joined frame.
   *
   * @param user the user
   * @return the frame
   */
  public static ConnectResponse joined(String user) {
    return ConnectResponse.newBuilder().setMemberJoined(MemberJoined.newBuilder()
        .setUser(User.newBuilder().setUserId(user).setDisplayName(user.toUpperCase()))).build();
  }

  /**
   * A member_left frame.
   *
   * @param user the user
   * @param reason the reason
   * @return the frame
   */
  public static ConnectResponse left(String user, NullReason reason) {
    return ConnectResponse.newBuilder().setMemberLeft(MemberLeft.newBuilder().setUserId(user).setReason(reason))
        .build();
  }
}
