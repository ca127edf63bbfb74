package dev.presence.client.internal;

import dev.presence.client.MembershipListener;
import dev.presence.client.NullReason;
import dev.presence.client.User;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The room's members (SPEC §11), behind {@code users().all()}: {@code Opened.members}, then
 * {@code member_joined} and {@code member_left}. On a new session only the difference from the previous member
 * list reaches the membership listeners, so a reconnect does not replay the whole room.
 *
 * <p>Confined to the client lock; listener calls go through the registry's dispatcher.
 */
final class MemberDirectory {
  private final ListenerRegistry<MembershipListener> listeners;
  private final RoomMember.Client client;
  private final Map<String, RoomMember> members = new LinkedHashMap<>();

  MemberDirectory(ListenerRegistry<MembershipListener> listeners, RoomMember.Client client) {
    this.listeners = listeners;
    this.client = client;
  }

  void joined(dev.presence.protocol.v1.User user) {
    RoomMember member = member(user);
    members.put(member.id(), member);
    listeners.post(l -> l.onJoined(member));
  }

  void left(String userId, NullReason reason) {
    RoomMember known = members.remove(userId);
    RoomMember member = known != null ? known : new RoomMember(userId, "", client);
    listeners.post(l -> l.onLeft(member, reason));
  }

  /**
   * A session opened with this member list: report who left (reason {@code LEFT}) and who joined since the list
   * the application was shown, nothing for the others (PRS-RCN-9).
   */
  void reconcile(List<dev.presence.protocol.v1.User> current) {
    Map<String, RoomMember> fresh = new LinkedHashMap<>();
    for (dev.presence.protocol.v1.User u : current) {
      fresh.put(u.getUserId(), member(u));
    }
    for (RoomMember old : new ArrayList<>(members.values())) {
      if (!fresh.containsKey(old.id())) {
        members.remove(old.id());
        listeners.post(l -> l.onLeft(old, NullReason.LEFT));
      }
    }
    for (RoomMember member : fresh.values()) {
      if (members.put(member.id(), member) == null) {
        listeners.post(l -> l.onJoined(member));
      }
    }
  }

  boolean contains(String userId) {
    return members.containsKey(userId);
  }

  Map<String, User> snapshot() {
    return Collections.unmodifiableMap(new LinkedHashMap<>(members));
  }

  Optional<User> get(String userId) {
    return Optional.ofNullable(members.get(userId));
  }

  private RoomMember member(dev.presence.protocol.v1.User user) {
    return new RoomMember(user.getUserId(), user.getDisplayName(), client);
  }
}
