package dev.presence.clientadapter;

import dev.presence.client.MembershipListener;
import dev.presence.client.NullReason;
import dev.presence.client.PresenceClient;
import dev.presence.client.Subscription;
import dev.presence.client.User;
import dev.presence.conformance.adapter.v1.Connect;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One client the kit created with Connect, with the channel the adapter built for it (only when the options
 * intercept calls) and the syncs the kit named.
 */
final class ClientSession {
  /** Prefix of a Connect token that claims a development identity instead of being sent as a bearer token. */
  static final String DEV_TOKEN_PREFIX = "dev:";

  private final PresenceClient client;
  private final ManagedChannel ownedChannel;
  /** Only touched by the thread that reads commands. */
  private final Map<String, Subscription> syncs = new HashMap<>();

  private ClientSession(PresenceClient client, ManagedChannel ownedChannel) {
    this.client = client;
    this.ownedChannel = ownedChannel;
  }

  /**
   * Builds the client for a Connect command, with every listener registered, without connecting it.
   *
   * @throws IllegalArgumentException if the client refuses the room id or a development user id
   */
  static ClientSession create(Connect connect, TokenList tokens, AdapterOptions options, ReportWriter out) {
    PresenceClient.Builder builder = PresenceClient.builder().room(connect.getRoomId());
    List<String> given = connect.getTokensList();
    if (!given.isEmpty() && given.get(0).startsWith(DEV_TOKEN_PREFIX)) {
      String userId = given.get(0).substring(DEV_TOKEN_PREFIX.length());
      builder.devIdentity(userId, userId);
      given = given.subList(1, given.size());
    }
    tokens.replace(given);
    // Registered even without tokens so that a later SetTokens reaches the client; null means no credentials.
    builder.token(tokens);
    builder.connectionListener((state, cause) -> out.write(Reports.connection(state, cause)));
    ManagedChannel owned = null;
    if (options.interceptors().isEmpty()) {
      builder.target(connect.getTarget());
    } else {
      owned = ManagedChannelBuilder.forTarget(connect.getTarget()).usePlaintext().build();
      builder.channel(ClientInterceptors.intercept(owned, options.interceptors()));
    }
    PresenceClient client;
    try {
      client = builder.build();
    } catch (RuntimeException e) {
      if (owned != null) {
        owned.shutdownNow();
      }
      throw e;
    }
    client.users().onMembership(new MembershipListener() {
      @Override
      public void onJoined(User user) {
        out.write(Reports.joined(user.id()));
      }

      @Override
      public void onLeft(User user, NullReason reason) {
        out.write(Reports.left(user.id(), reason));
      }
    });
    return new ClientSession(client, owned);
  }

  PresenceClient client() {
    return client;
  }

  Map<String, Subscription> syncs() {
    return syncs;
  }

  /** Closes the client, then the channel built for it: the client leaves over it first. */
  void close() throws InterruptedException {
    client.close();
    syncs.clear();
    if (ownedChannel != null) {
      ownedChannel.shutdown();
      if (!ownedChannel.awaitTermination(5, TimeUnit.SECONDS)) {
        ownedChannel.shutdownNow();
      }
    }
  }
}
