package dev.presence.client.internal;

import dev.presence.client.User;
import java.util.concurrent.CompletableFuture;

/** A member as {@link MemberDirectory} hands it out: immutable identity, live answers through the client. */
final class RoomMember implements User {

  /** What a member asks its client. */
  interface Client {
    boolean isSelf(String userId);

    boolean isFollowed(String userId);

    CompletableFuture<Void> follow(String userId, boolean follow);
  }

  private final String id;
  private final String displayName;
  private final Client client;

  RoomMember(String id, String displayName, Client client) {
    this.id = id;
    this.displayName = displayName;
    this.client = client;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String displayName() {
    return displayName;
  }

  @Override
  public boolean isSelf() {
    return client.isSelf(id);
  }

  @Override
  public boolean isFollowed() {
    return client.isFollowed(id);
  }

  @Override
  public CompletableFuture<Void> follow() {
    return client.follow(id, true);
  }

  @Override
  public CompletableFuture<Void> unfollow() {
    return client.follow(id, false);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RoomMember u && u.id.equals(id) && u.displayName.equals(displayName);
  }

  @Override
  public int hashCode() {
    return id.hashCode() * 31 + displayName.hashCode();
  }

  @Override
  public String toString() {
    return "User[" + id + (displayName.isEmpty() ? "" : " \"" + displayName + "\"") + "]";
  }
}
