package dev.presence.bench.jmh;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.presence.protocol.v1.AllUsers;
import dev.presence.protocol.v1.FollowedUsers;
import dev.presence.protocol.v1.SyncTarget;
import dev.presence.server.fanout.Frame;
import dev.presence.server.fanout.FrameSink;
import dev.presence.server.session.Subscriptions;
import java.util.ArrayList;
import java.util.List;
import org.openjdk.jmh.infra.Blackhole;

/** Inputs shared by the micro-benchmarks, shaped like the load generator's traffic. */
final class Fixtures {
  private Fixtures() {}

  /** @param user a user number @return its id, as the drivers name users */
  static String userId(int user) {
    return "u" + user;
  }

  /** @param user a user @param seq its counter @return a cursor state like the load generator's */
  static Struct cursor(int user, long seq) {
    return Struct.newBuilder()
        .putFields("x", number(100.5 + user))
        .putFields("y", number(200.25 + seq))
        .putFields("seq", number(seq))
        .putFields("ts", number(1_000_000_000_000L + seq * 50_000_000L + user))
        .build();
  }

  /** @param users the room's size @param seq the round @return one state per user */
  static List<Struct> round(int users, long seq) {
    List<Struct> states = new ArrayList<>(users);
    for (int u = 0; u < users; u++) {
      states.add(cursor(u, seq));
    }
    return states;
  }

  private static Value number(double v) {
    return Value.newBuilder().setNumberValue(v).build();
  }

  /** @return a union scope of one subscription to every user */
  static Subscriptions allUsers() {
    Subscriptions s = new Subscriptions();
    s.put("all", SyncTarget.newBuilder().setAllUsers(AllUsers.getDefaultInstance()).build());
    return s;
  }

  /** @param users the users followed @return a union scope of one {@code followed_users} subscription */
  static Subscriptions following(List<String> users) {
    Subscriptions s = new Subscriptions();
    s.put("following", SyncTarget.newBuilder().setFollowedUsers(FollowedUsers.getDefaultInstance()).build());
    users.forEach(s::follow);
    return s;
  }

  /** A writable call that swallows frames, so nothing is optimised away and nothing queues. */
  static FrameSink sink(Blackhole bh) {
    return new FrameSink() {
      @Override
      public void send(Frame frame) {
        bh.consume(frame.bytes());
      }

      @Override
      public boolean isReady() {
        return true;
      }
    };
  }
}
