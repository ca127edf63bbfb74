package dev.presence.client;

import dev.presence.client.internal.Backoff;
import dev.presence.client.internal.ClientConfig;
import dev.presence.client.internal.RealPresenceClient;
import dev.presence.protocol.Identifiers;
import io.grpc.Channel;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * A client of one presence.v1 room: one session over one bidirectional gRPC stream, reopened automatically after
 * a connection loss, and replaced by a second one before its credentials expire.
 *
 * <pre>{@code
 * try (PresenceClient client = PresenceClient.builder()
 *     .target("localhost:50051")
 *     .room("doc-42")
 *     .token(() -> tokens.current())
 *     .build()) {
 *   client.connect().join();
 *   client.presence().sync(SyncTarget.all(), change -> render(change));
 *   client.presence().update(Map.of("cursor", Map.of("x", 100, "y", 200)));
 * }
 * }</pre>
 *
 * <p>Concurrency: every method is thread-safe. Callbacks (presence, membership, connection) run one at a time, in
 * the order the server sent the events, on one serial executor; a callback that throws is logged and does not
 * affect the client. After {@link #close()} returns no callback runs.
 */
public interface PresenceClient extends AutoCloseable {

  /**
   * Starts configuring a client.
   *
   * @return a new builder
   */
  static Builder builder() {
    return new Builder();
  }

  /**
   * Opens the session. Calling it again, also after {@link #close()}, returns the same future.
   *
   * @return completes with this client when the first session is open (the server's {@code opened} arrived), or
   *     exceptionally with a {@link PresenceException} if the server refused it for a reason retrying cannot fix
   *     (for example bad credentials) or the client was closed first. Transient failures are retried with backoff
   *     and do not complete the future.
   */
  CompletableFuture<PresenceClient> connect();

  /**
   * The authenticated user this client acts for.
   *
   * @return the user id, or null before the first session opened
   */
  String userId();

  /**
   * The presence module.
   *
   * @return presence
   */
  Presence presence();

  /**
   * The users module.
   *
   * @return users
   */
  Users users();

  /**
   * The current connection state.
   *
   * @return the state
   */
  ConnectionState connectionState();

  /**
   * Registers a connection listener. It is not told the current state; read {@link #connectionState()}.
   *
   * @param listener the callback
   * @return the registration
   */
  Subscription onConnectionState(ConnectionListener listener);

  /**
   * Leaves the room and releases every resource the client owns. Pending follow futures fail with reason
   * {@code CLIENT_CLOSED}. Idempotent; no callback runs after it returns, except the final
   * {@link ConnectionState#CLOSED} that it delivers itself before returning.
   */
  @Override
  void close();

  /** Configures a {@link PresenceClient}. Not thread-safe. */
  final class Builder {
    private String target;
    private Channel channel;
    private String roomId;
    private Supplier<Token> tokens;
    private String devUserId;
    private String devDisplayName = "";
    private boolean tls;
    private Path trustedCertificates;
    private Executor callbackExecutor;
    private Clock clock = Clock.systemUTC();
    private Duration initialBackoff = Backoff.DEFAULT_INITIAL;
    private Duration maxBackoff = Backoff.DEFAULT_MAX;
    private ConnectionListener connectionListener;
    private String clientAgent = "presence-java/0.1";

    private Builder() {}

    /**
     * The server address; the client owns the channel it creates.
     *
     * @param hostAndPort for example {@code localhost:50051}
     * @return this
     */
    public Builder target(String hostAndPort) {
      this.target = Objects.requireNonNull(hostAndPort, "hostAndPort");
      return this;
    }

    /**
     * An existing channel to use instead of {@link #target}, for example to share one HTTP/2 connection between
     * rooms. The client never shuts it down.
     *
     * @param channel the channel
     * @return this
     */
    public Builder channel(Channel channel) {
      this.channel = Objects.requireNonNull(channel, "channel");
      return this;
    }

    /**
     * The room to join.
     *
     * @param roomId matching {@code [A-Za-z0-9._:~-]{1,128}}
     * @return this
     */
    public Builder room(String roomId) {
      if (!Identifiers.isValidRoomId(roomId)) {
        throw new IllegalArgumentException("invalid room id");
      }
      this.roomId = roomId;
      return this;
    }

    /**
     * Credentials, asked for again on every (re)connect so they can be refreshed; sent as
     * {@code authorization: Bearer <token>} call metadata. When the token is a JWT, the client reads its
     * {@code exp} claim (decoding the payload without verifying it) and refreshes as
     * {@link #tokenWithExpiry} describes; other tokens are asked for again only when a session must be reopened.
     *
     * @param tokenSupplier returns the current token, or null for none; called on a client thread, never while
     *     the client holds its lock
     * @return this
     */
    public Builder token(Supplier<String> tokenSupplier) {
      Objects.requireNonNull(tokenSupplier, "tokenSupplier");
      this.tokens = () -> {
        String token = tokenSupplier.get();
        return token == null ? null : Token.of(token);
      };
      return this;
    }

    /**
     * Credentials that expire. At {@code expiry - min(30 s, lifetime / 3)} the client asks for a fresh token,
     * opens a second session with it, restores its state, follows and subscriptions there, moves over to it
     * (callbacks see only what really changed, usually nothing) and then leaves the old session, so other users
     * see no change either (PRS-RCN-6). A server that allows one session per user gets leave-then-open instead.
     * A session ended with {@code CREDENTIALS_EXPIRED} is reopened at once with a fresh token (PRS-RCN-7).
     *
     * @param tokenSupplier returns the current token with its expiry ({@link Token#of(String, Instant)}), or
     *     without ({@link Token#of(String)}: read from a JWT's {@code exp}), or null for none
     * @return this
     */
    public Builder tokenWithExpiry(Supplier<Token> tokenSupplier) {
      this.tokens = Objects.requireNonNull(tokenSupplier, "tokenSupplier");
      return this;
    }

    /**
     * The identity to claim from a server in the insecure development auth mode; other servers ignore it.
     *
     * @param userId the user id
     * @param displayName the display name, may be empty
     * @return this
     */
    public Builder devIdentity(String userId, String displayName) {
      if (!Identifiers.isValidUserId(userId)) {
        throw new IllegalArgumentException("invalid user id");
      }
      this.devUserId = userId;
      this.devDisplayName = displayName == null ? "" : displayName;
      return this;
    }

    /**
     * Whether to use TLS for a {@link #target}. Default: off.
     *
     * @param enabled true for TLS
     * @return this
     */
    public Builder tls(boolean enabled) {
      this.tls = enabled;
      return this;
    }

    /**
     * A PEM file of CA certificates to trust instead of the system's; implies TLS.
     *
     * @param pemFile the file
     * @return this
     */
    public Builder trustedCertificates(Path pemFile) {
      this.trustedCertificates = Objects.requireNonNull(pemFile, "pemFile");
      this.tls = true;
      return this;
    }

    /**
     * The executor for callbacks; tasks are run one at a time in order whatever the executor. Default: one
     * daemon thread owned by the client. The executor must hand tasks to another thread: a direct executor would
     * run callbacks on gRPC threads while the client holds its internal lock.
     *
     * @param executor the executor
     * @return this
     */
    public Builder callbackExecutor(Executor executor) {
      this.callbackExecutor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * The clock for throttling and backoff; for tests.
     *
     * @param clock the clock
     * @return this
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Reconnect backoff: full jitter, from {@code initial} doubling up to {@code max}. Default: 250 ms to 30 s
     * (PRS-RCN-4).
     *
     * @param initial the first delay bound
     * @param max the largest delay bound
     * @return this
     */
    public Builder reconnectBackoff(Duration initial, Duration max) {
      if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
        throw new IllegalArgumentException("need 0 < initial <= max");
      }
      this.initialBackoff = initial;
      this.maxBackoff = max;
      return this;
    }

    /**
     * A connection listener registered before anything can happen, so it sees every state.
     *
     * @param listener the callback
     * @return this
     */
    public Builder connectionListener(ConnectionListener listener) {
      this.connectionListener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Identification for server operators, for example {@code my-app/2.1}.
     *
     * @param agent the agent string
     * @return this
     */
    public Builder clientAgent(String agent) {
      this.clientAgent = Objects.requireNonNull(agent, "agent");
      return this;
    }

    /**
     * Creates the client without connecting; call {@link PresenceClient#connect()}.
     *
     * @return the client
     */
    public PresenceClient build() {
      if (roomId == null) {
        throw new IllegalStateException("room is required");
      }
      if ((target == null) == (channel == null)) {
        throw new IllegalStateException("exactly one of target and channel is required");
      }
      return new RealPresenceClient(new ClientConfig(target, channel, roomId, tokens, devUserId, devDisplayName,
          tls, trustedCertificates, callbackExecutor, clock, initialBackoff, maxBackoff, connectionListener,
          clientAgent));
    }
  }
}
