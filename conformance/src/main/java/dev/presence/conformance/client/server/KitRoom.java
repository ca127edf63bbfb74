package dev.presence.conformance.client.server;

import com.google.protobuf.Struct;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.MemberJoined;
import dev.presence.protocol.v1.MemberLeft;
import dev.presence.protocol.v1.NullReason;
import dev.presence.protocol.v1.PresenceBatch;
import dev.presence.protocol.v1.PresenceEvent;
import dev.presence.protocol.v1.User;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The one room of the kit's server: the users the kit plays and the users of the SDK's sessions, their presence,
 * and the live events and membership changes their changes cause (SPEC §5, §9, §11, §13). Every session of the
 * server is in this room, whatever room id it opened.
 *
 * <p>Thread-safe: one lock guards the room and every session's scope, so that the order of changes is the order
 * of frames on every call. Events go out at once, without the server-side throttle of §7.2, except to a session
 * whose {@code snapshot_complete} the kit holds back with {@link Autopilot#liveWaitsForHeldSnapshots}: what the room
 * sends it then waits behind that frame, since no live event may come between a snapshot's tagged events and its end
 * (PRS-SUB-4).
 */
public final class KitRoom {

  /** The key of the one session the kit plays for a user it plays. */
  private static final Object KIT_SESSION = new Object();

  final Object lock = new Object();
  private final Map<String, Member> members = new LinkedHashMap<>();
  private final List<KitCall> live = new ArrayList<>();
  private final List<Held> held = new ArrayList<>();
  /** What the room sent to a session while one of its snapshot_complete frames was held, in order. */
  private final Map<KitCall, List<ConnectResponse>> behindHeld = new LinkedHashMap<>();
  private long sequence;

  private record Held(KitCall call, ConnectResponse frame, boolean liveWaits) {}

  /** A member's sessions, each with its session state; presence derives from them (PRS-SES-2). */
  private static final class Member {
    final String userId;
    final String displayName;
    final Map<Object, Slot> sessions = new LinkedHashMap<>();

    Member(String userId) {
      this.userId = userId;
      this.displayName = userId;
    }

    Struct presence() {
      Slot latest = null;
      for (Slot s : sessions.values()) {
        if (s.state != null && (latest == null || s.seq > latest.seq)) {
          latest = s;
        }
      }
      return latest == null ? null : latest.state;
    }

    User user() {
      return User.newBuilder().setUserId(userId).setDisplayName(displayName).build();
    }
  }

  private static final class Slot {
    Struct state;
    long seq;
  }

  KitRoom() {}

  /**
   * Makes a user the kit plays a member, sending member_joined to every opened session of other users.
   *
   * @param userId the user
   */
  public void join(String userId) {
    synchronized (lock) {
      member(userId).sessions.computeIfAbsent(KIT_SESSION, k -> new Slot());
    }
  }

  /**
   * Sets the state of a user the kit plays, joining first if needed; the change goes out as live events to every
   * opened session whose union scope covers the user.
   *
   * @param userId the user
   * @param state the new state
   */
  public void set(String userId, Struct state) {
    Objects.requireNonNull(state);
    synchronized (lock) {
      Slot slot = member(userId).sessions.computeIfAbsent(KIT_SESSION, k -> new Slot());
      slot.state = state;
      slot.seq = ++sequence;
      publish(userId);
    }
  }

  /**
   * Clears the state of a user the kit plays: covering sessions that see a state get a CLEARED null.
   *
   * @param userId the user
   */
  public void clear(String userId) {
    synchronized (lock) {
      Member m = members.get(userId);
      Slot slot = m == null ? null : m.sessions.get(KIT_SESSION);
      if (slot != null && slot.state != null) {
        slot.state = null;
        publish(userId);
      }
    }
  }

  /**
   * Ends the kit's session of a user it plays. When that was the user's last session, covering sessions that see a
   * state get a live null with this reason, then every session gets member_left with it (PRS-MEM-2).
   *
   * @param userId the user
   * @param reason LEFT, TIMED_OUT or REVOKED
   */
  public void leave(String userId, NullReason reason) {
    synchronized (lock) {
      Member m = members.get(userId);
      if (m != null && m.sessions.remove(KIT_SESSION) != null) {
        settle(m, reason);
      }
    }
  }

  /** Returns every member's non-null presence. */
  public Map<String, Struct> states() {
    synchronized (lock) {
      Map<String, Struct> states = new LinkedHashMap<>();
      members.forEach((id, m) -> {
        Struct p = m.presence();
        if (p != null) {
          states.put(id, p);
        }
      });
      return states;
    }
  }

  /** Returns the members, in the order they joined. */
  public Set<String> members() {
    synchronized (lock) {
      return new LinkedHashSet<>(members.keySet());
    }
  }

  // ---- Used by the autopilot, always under the lock. ----

  boolean isMember(String userId) {
    return members.containsKey(userId);
  }

  Struct presence(String userId) {
    Member m = members.get(userId);
    return m == null ? null : m.presence();
  }

  List<User> memberUsers() {
    List<User> users = new ArrayList<>();
    members.values().forEach(m -> users.add(m.user()));
    return users;
  }

  /** Counts the user's live sessions played by SDK calls. */
  int callSessions(String userId) {
    Member m = members.get(userId);
    return m == null ? 0 : (int) m.sessions.keySet().stream().filter(k -> k != KIT_SESSION).count();
  }

  /** Adds an opening call's session; the caller sends opened, then {@link #opened}. */
  void addSession(KitCall call, String userId) {
    member(userId).sessions.put(call, new Slot());
  }

  /** The call has sent opened: it receives the room's changes from now on. */
  void opened(KitCall call) {
    live.add(call);
  }

  List<KitCall> liveCalls() {
    return List.copyOf(live);
  }

  /** Sets a call's session state, null for a clear. */
  void sessionState(KitCall call, String userId, Struct state) {
    Member m = members.get(userId);
    Slot slot = m == null ? null : m.sessions.get(call);
    if (slot == null || (state == null && slot.state == null)) {
      return;
    }
    slot.state = state;
    slot.seq = ++sequence;
    publish(userId);
  }

  /** Removes an ended call's session and delivers what its end causes (PRS-END-2, PRS-SES-4). */
  void sessionEnded(KitCall call, String userId, NullReason reasonIfLast) {
    live.remove(call);
    held.removeIf(h -> h.call == call);
    behindHeld.remove(call);
    Member m = members.get(userId);
    if (m != null && m.sessions.remove(call) != null) {
      settle(m, reasonIfLast);
    }
  }

  void hold(KitCall call, ConnectResponse complete, boolean liveWaits) {
    held.add(new Held(call, complete, liveWaits));
  }

  void releaseHeld() {
    synchronized (lock) {
      List<Held> release = List.copyOf(held);
      held.clear();
      for (Held h : release) {
        if (live.contains(h.call)) {
          h.call.send(h.frame);
        }
      }
      behindHeld.forEach((call, frames) -> frames.forEach(call::send));
      behindHeld.clear();
    }
  }

  /** Sends a frame the room originates: a live event or a membership change. */
  private void sendFromRoom(KitCall call, ConnectResponse frame) {
    List<ConnectResponse> waiting = behindHeld.get(call);
    if (waiting == null && held.stream().anyMatch(h -> h.call == call && h.liveWaits)) {
      waiting = new ArrayList<>();
      behindHeld.put(call, waiting);
    }
    if (waiting != null) {
      waiting.add(frame);
    } else {
      call.send(frame);
    }
  }

  private Member member(String userId) {
    Member m = members.get(userId);
    if (m == null) {
      m = new Member(userId);
      members.put(userId, m);
      ConnectResponse joined = ConnectResponse.newBuilder()
          .setMemberJoined(MemberJoined.newBuilder().setUser(m.user())).build();
      for (KitCall c : List.copyOf(live)) {
        if (!userId.equals(c.userIdOrNull())) {
          sendFromRoom(c, joined);
        }
      }
    }
    return m;
  }

  /** After a session of the member went away: either the member left, or their presence may have changed. */
  private void settle(Member m, NullReason reasonIfLast) {
    if (!m.sessions.isEmpty()) {
      publish(m.userId);
      return;
    }
    for (KitCall c : List.copyOf(live)) {
      if (c.scope.unionCovers(m.userId, true) && c.scope.views.remove(m.userId) != null) {
        sendFromRoom(c, liveNull(m.userId, reasonIfLast));
      }
    }
    members.remove(m.userId);
    ConnectResponse left = ConnectResponse.newBuilder()
        .setMemberLeft(MemberLeft.newBuilder().setUserId(m.userId).setReason(reasonIfLast)).build();
    for (KitCall c : List.copyOf(live)) {
      sendFromRoom(c, left);
    }
  }

  /** Delivers the user's current presence to every covering session whose view differs (PRS-EVT-5 to PRS-EVT-7). */
  private void publish(String userId) {
    Struct presence = presence(userId);
    for (KitCall c : List.copyOf(live)) {
      if (!c.scope.unionCovers(userId, true)) {
        continue;
      }
      Struct view = c.scope.views.get(userId);
      if (presence != null && !presence.equals(view)) {
        c.scope.views.put(userId, presence);
        sendFromRoom(c, liveEvent(PresenceEvent.newBuilder().setUserId(userId).setState(presence).build()));
      } else if (presence == null && view != null) {
        c.scope.views.remove(userId);
        sendFromRoom(c, liveNull(userId, NullReason.NULL_REASON_CLEARED));
      }
    }
  }

  private static ConnectResponse liveNull(String userId, NullReason reason) {
    return liveEvent(PresenceEvent.newBuilder().setUserId(userId).setNullReason(reason).build());
  }

  private static ConnectResponse liveEvent(PresenceEvent event) {
    return ConnectResponse.newBuilder().setPresence(PresenceBatch.newBuilder().addEvents(event)).build();
  }
}
