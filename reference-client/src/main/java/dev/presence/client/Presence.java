package dev.presence.client;

import com.google.protobuf.Struct;
import java.util.Map;

/**
 * The presence module of a {@link PresenceClient}: share your own ephemeral state and follow other users'.
 *
 * <p>Every method is thread-safe and never blocks on the network.
 */
public interface Presence {
  /**
   * Replaces this client's whole state with a freeform JSON object and broadcasts it.
   *
   * <p>Sends are throttled to the window the server advertises (50 ms until it has): the first update after a
   * quiet window goes out at once; later updates inside the window replace each other and the latest goes out
   * when the window ends. The latest state is never dropped. It is readable through {@link #getState()} at once,
   * and re-sent after a reconnect.
   *
   * @param state the fields of the object; see {@link State#of(Map)} for accepted values
   * @throws IllegalArgumentException if a value cannot be converted (see {@link State#of(Map)})
   * @throws PresenceException (not fatal) if the server would refuse the state, which is then neither set nor
   *     sent: reason {@code STATE_TOO_DEEP} (deeper than the advertised {@code max_state_depth}, 32 when not
   *     advertised), {@code INVALID_STATE} (a value with no kind, a NaN or infinite number, a string that is not
   *     valid Unicode) or {@code STATE_TOO_LARGE} (encoded larger than {@code max_state_bytes})
   */
  void update(Map<String, ?> state);

  /**
   * Like {@link #update(Map)}, from a protobuf Struct.
   *
   * @param state the state
   * @throws PresenceException as for {@link #update(Map)}
   */
  void update(Struct state);

  /**
   * Like {@link #update(Map)}, from a {@link State}.
   *
   * @param state the state
   * @throws PresenceException as for {@link #update(Map)}
   */
  void update(State state);

  /**
   * Sets this client's state to null at once, discarding any update still waiting for its window. Others see a
   * null with reason {@link NullReason#CLEARED} unless another session of the same user has a state.
   */
  void clear();

  /**
   * Subscribes to presence changes. The listener first receives the current non-null state of every user in
   * scope, then every later change; see {@link PresenceListener} for its contract.
   *
   * @param target whose presence to receive
   * @param listener the callback
   * @return the subscription; closing it ends it
   */
  Subscription sync(SyncTarget target, PresenceListener listener);

  /** Ends every subscription made with {@link #sync}. */
  void unsync();

  /**
   * This client's own latest state, as last set by {@link #update} (even if not sent yet).
   *
   * @return the state, or null if none is set
   */
  State getState();

  /**
   * The latest known state of a user, from the events this client's subscriptions received.
   *
   * @param userId the user
   * @return the state, or null if unknown or null
   */
  State getState(String userId);

  /**
   * Every user whose presence is known to be non-null through this client's subscriptions. While reconnecting
   * these are the last known states, corrected once the new snapshots arrive.
   *
   * @return an immutable snapshot, user id to state
   */
  Map<String, State> getStates();
}
