package dev.presence.examples;

import com.google.protobuf.Struct;
import dev.presence.client.ConnectionListener;
import dev.presence.client.ConnectionState;
import dev.presence.client.MembershipListener;
import dev.presence.client.NullReason;
import dev.presence.client.Presence;
import dev.presence.client.PresenceChange;
import dev.presence.client.PresenceClient;
import dev.presence.client.PresenceListener;
import dev.presence.client.State;
import dev.presence.client.Subscription;
import dev.presence.client.SyncTarget;
import dev.presence.client.User;
import dev.presence.client.Users;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * An in-memory {@link PresenceClient} for testing the examples' logic on the test thread: the test plays the
 * server by calling {@link #emit}, and every call the example makes is recorded in {@link #calls}.
 */
final class StubClient implements PresenceClient {
  final List<String> calls = new ArrayList<>();
  final Map<String, User> members = new LinkedHashMap<>();
  final List<State> updates = new ArrayList<>();
  private final String self;
  private final List<Sync> syncs = new ArrayList<>();

  private record Sync(SyncTarget target, PresenceListener listener, boolean[] active) {}

  StubClient(String self, String... others) {
    this.self = self;
    member(self, self.toUpperCase());
    for (String other : others) {
      member(other, other.toUpperCase());
    }
  }

  private void member(String id, String name) {
    members.put(id, new User() {
      @Override
      public String id() {
        return id;
      }

      @Override
      public String displayName() {
        return name;
      }

      @Override
      public boolean isSelf() {
        return id.equals(self);
      }

      @Override
      public boolean isFollowed() {
        return false;
      }

      @Override
      public CompletableFuture<Void> follow() {
        calls.add("follow " + id);
        return CompletableFuture.completedFuture(null);
      }

      @Override
      public CompletableFuture<Void> unfollow() {
        calls.add("unfollow " + id);
        return CompletableFuture.completedFuture(null);
      }
    });
  }

  /** Delivers a change to every active sync, as the client would. */
  void emit(String userId, String json) {
    PresenceChange change = json == null ? new PresenceChange(userId, null, NullReason.LEFT)
        : new PresenceChange(userId, State.fromJson(json), null);
    for (Sync s : List.copyOf(syncs)) {
      if (s.active()[0]) {
        s.listener().onChange(change);
      }
    }
  }

  @Override
  public CompletableFuture<PresenceClient> connect() {
    return CompletableFuture.completedFuture(this);
  }

  @Override
  public String userId() {
    return self;
  }

  @Override
  public Presence presence() {
    return new Presence() {
      @Override
      public void update(Map<String, ?> state) {
        updates.add(State.of(state));
      }

      @Override
      public void update(Struct state) {
        updates.add(State.of(state));
      }

      @Override
      public void update(State state) {
        updates.add(state);
      }

      @Override
      public void clear() {
        calls.add("clear");
      }

      @Override
      public Subscription sync(SyncTarget target, PresenceListener listener) {
        calls.add("sync " + target);
        boolean[] active = {true};
        syncs.add(new Sync(target, listener, active));
        return new Subscription() {
          @Override
          public void close() {
            calls.add("close sync " + target);
            active[0] = false;
          }

          @Override
          public boolean isActive() {
            return active[0];
          }
        };
      }

      @Override
      public void unsync() {
        syncs.forEach(s -> s.active()[0] = false);
      }

      @Override
      public State getState() {
        return updates.isEmpty() ? null : updates.get(updates.size() - 1);
      }

      @Override
      public State getState(String userId) {
        return null;
      }

      @Override
      public Map<String, State> getStates() {
        return Map.of();
      }
    };
  }

  @Override
  public Users users() {
    return new Users() {
      @Override
      public Map<String, User> all() {
        return Map.copyOf(members);
      }

      @Override
      public Optional<User> get(String userId) {
        return Optional.ofNullable(members.get(userId));
      }

      @Override
      public CompletableFuture<Void> follow(String userId) {
        return members.get(userId).follow();
      }

      @Override
      public CompletableFuture<Void> unfollow(String userId) {
        return members.get(userId).unfollow();
      }

      @Override
      public Set<String> following() {
        return Set.of();
      }

      @Override
      public Subscription onMembership(MembershipListener listener) {
        throw new UnsupportedOperationException();
      }
    };
  }

  @Override
  public ConnectionState connectionState() {
    return ConnectionState.CONNECTED;
  }

  @Override
  public Subscription onConnectionState(ConnectionListener listener) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void close() {}
}
