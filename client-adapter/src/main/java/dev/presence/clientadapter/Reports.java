package dev.presence.clientadapter;

import dev.presence.client.NullReason;
import dev.presence.client.PresenceChange;
import dev.presence.client.PresenceException;
import dev.presence.client.State;
import dev.presence.conformance.adapter.v1.Change;
import dev.presence.conformance.adapter.v1.ConnectionChange;
import dev.presence.conformance.adapter.v1.ConnectionState;
import dev.presence.conformance.adapter.v1.Failure;
import dev.presence.conformance.adapter.v1.MemberChange;
import dev.presence.conformance.adapter.v1.Report;
import dev.presence.conformance.adapter.v1.Result;
import dev.presence.conformance.adapter.v1.StateValue;

/** Builds the Reports for what the application sees: results, presence callbacks, members, connection states. */
final class Reports {
  private Reports() {}

  static Report ok(long id) {
    return result(Result.newBuilder().setId(id));
  }

  static Report failed(long id, Failure failure) {
    return result(Result.newBuilder().setId(id).setFailure(failure));
  }

  static Report result(Result.Builder result) {
    return Report.newBuilder().setResult(result).build();
  }

  static StateValue stateValue(State state) {
    return state == null ? StateValue.getDefaultInstance() : StateValue.newBuilder().setState(state.toStruct()).build();
  }

  static Report change(String sync, PresenceChange change) {
    Change.Builder c = Change.newBuilder().setSync(sync).setUserId(change.userId());
    if (change.state() != null) {
      c.setState(change.state().toStruct());
    } else {
      c.setNullReason(reasonName(change.reason()));
    }
    return Report.newBuilder().setChange(c).build();
  }

  static Report joined(String userId) {
    return Report.newBuilder().setMember(MemberChange.newBuilder().setUserId(userId).setJoined(true)).build();
  }

  static Report left(String userId, NullReason reason) {
    return Report.newBuilder()
        .setMember(MemberChange.newBuilder().setUserId(userId).setJoined(false).setReason(reasonName(reason)))
        .build();
  }

  static Report connection(dev.presence.client.ConnectionState state, Throwable cause) {
    ConnectionChange.Builder c = ConnectionChange.newBuilder().setState(switch (state) {
      case CONNECTING -> ConnectionState.CONNECTION_STATE_CONNECTING;
      case CONNECTED -> ConnectionState.CONNECTION_STATE_OPEN;
      case RECONNECTING -> ConnectionState.CONNECTION_STATE_RECONNECTING;
      case CLOSED -> ConnectionState.CONNECTION_STATE_CLOSED;
    });
    if (cause != null) {
      c.setCause(Failures.of(cause));
    }
    return Report.newBuilder().setConnection(c).build();
  }

  /** A refused subscription: the client tells the application through the listener, not through a call. */
  static Report refused(String sync, PresenceException error) {
    Failure f = Failures.of(error);
    return Report.newBuilder()
        .setError(f.toBuilder().setMessage("sync " + sync + " refused: " + f.getMessage()))
        .build();
  }

  /** {@link NullReason#UNKNOWN} means the client could not name the reason, which the kit spells as empty. */
  private static String reasonName(NullReason reason) {
    return reason == null || reason == NullReason.UNKNOWN ? "" : reason.name();
  }
}
