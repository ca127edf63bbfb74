package dev.presence.server.fanout;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Struct;
import dev.presence.protocol.v1.NullReason;
import dev.presence.protocol.v1.PresenceEvent;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One change of a user's presence, shared by every subscriber it reaches. It caches its own encoding,
 * so a change is serialized once however many batches carry it. Identity (not value) equality is
 * deliberate: batches are shared only when they hold the very same events.
 */
public final class LiveEvent {
  private static final int USER_ID_FIELD = PresenceEvent.USER_ID_FIELD_NUMBER;
  private static final int STATE_FIELD = PresenceEvent.STATE_FIELD_NUMBER;
  private final String userId;
  private final EncodedState state;
  private final NullReason nullReason;
  private final long arrivedAtMillis;
  private byte[] encoded;

  private LiveEvent(String userId, EncodedState state, NullReason nullReason, long arrivedAtMillis) {
    this.userId = userId;
    this.state = state;
    this.nullReason = nullReason;
    this.arrivedAtMillis = arrivedAtMillis;
  }

  /** @param userId the user @param state the new presence @return a state event */
  public static LiveEvent state(String userId, Struct state) {
    return state(userId, EncodedState.of(state), Long.MAX_VALUE);
  }

  /**
   * @param userId the user
   * @param state the new presence
   * @param arrivedAtMillis when the frame that caused it arrived, on the room clock
   * @return a state event
   */
  public static LiveEvent state(String userId, Struct state, long arrivedAtMillis) {
    return state(userId, EncodedState.of(state), arrivedAtMillis);
  }

  /**
   * @param userId the user
   * @param state the new presence, with the encoding the event will carry
   * @param arrivedAtMillis when the frame that caused it arrived, on the room clock
   * @return a state event
   */
  public static LiveEvent state(String userId, EncodedState state, long arrivedAtMillis) {
    return new LiveEvent(userId, state, NullReason.NULL_REASON_UNSPECIFIED, arrivedAtMillis);
  }

  /** @param userId the user @param reason why the presence became null @return a null event */
  public static LiveEvent nullOf(String userId, NullReason reason) {
    return nullOf(userId, reason, Long.MAX_VALUE);
  }

  /**
   * @param userId the user
   * @param reason why the presence became null
   * @param arrivedAtMillis when the cause (a clear, a session end) happened, on the room clock
   * @return a null event
   */
  public static LiveEvent nullOf(String userId, NullReason reason, long arrivedAtMillis) {
    return new LiveEvent(userId, null, reason, arrivedAtMillis);
  }

  /** @return when the change's cause arrived, or {@link Long#MAX_VALUE} when unknown */
  public long arrivedAtMillis() {
    return arrivedAtMillis;
  }

  /** @return the user */
  public String userId() {
    return userId;
  }

  /** @return the state, or null for a null event */
  public EncodedState state() {
    return state;
  }

  /** @return whether the event says the presence became null */
  public boolean isNull() {
    return state == null;
  }

  /** @return the null reason; unspecified for a state event */
  public NullReason nullReason() {
    return nullReason;
  }

  /** @return the untagged {@code PresenceEvent} encoding */
  byte[] encoded() {
    if (encoded == null) {
      encoded = state != null
          ? stateEvent(userId, state)
          : PresenceEvent.newBuilder().setUserId(userId).setNullReason(nullReason).build().toByteArray();
    }
    return encoded;
  }

  /** Byte-identical to building the {@code PresenceEvent} and serializing it, without encoding the state again. */
  private static byte[] stateEvent(String userId, EncodedState state) {
    byte[] stateBytes = state.encoding();
    int userIdSize = userId.isEmpty() ? 0 : CodedOutputStream.computeStringSize(USER_ID_FIELD, userId);
    byte[] out = new byte[userIdSize + CodedOutputStream.computeByteArraySize(STATE_FIELD, stateBytes)];
    CodedOutputStream cos = CodedOutputStream.newInstance(out);
    try {
      if (!userId.isEmpty()) {
        cos.writeString(USER_ID_FIELD, userId);
      }
      cos.writeByteArray(STATE_FIELD, stateBytes);
      cos.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }
}
