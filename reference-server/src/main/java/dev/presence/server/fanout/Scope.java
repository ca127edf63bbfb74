package dev.presence.server.fanout;

/** The union scope of a session's subscriptions (PRS-TGT-*). */
public interface Scope {
  /** Covers every user. */
  Scope EVERYONE = new Scope() {
    @Override
    public boolean covers(String userId) {
      return true;
    }

    @Override
    public boolean coversEveryone() {
      return true;
    }
  };

  /**
   * Whether some subscription's target names the user, regardless of whether the user is in the room
   * right now: a user who just left must still get the null that ends the views on them (PRS-EVT-6).
   *
   * @param userId a user id
   * @return whether events about the user may reach the session
   */
  boolean covers(String userId);

  /** @return whether {@link #covers} holds for every user id, now and until the scope changes */
  default boolean coversEveryone() {
    return false;
  }
}
