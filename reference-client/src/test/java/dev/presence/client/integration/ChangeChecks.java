package dev.presence.client.integration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.client.PresenceChange;
import dev.presence.client.State;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Checks of a listener's whole history that hold whatever the timing. */
final class ChangeChecks {
  private ChangeChecks() {}

  /**
   * PRS-EVT-8 and PRS-RCN-2 as one listener sees them: per user, no null before a state, no two nulls in a row,
   * and never the same state twice in a row (a duplicate).
   *
   * @param what the listener, for messages
   * @param changes everything it received, in order
   */
  static void noGhostNullsOrDuplicates(String what, List<PresenceChange> received) {
    List<PresenceChange> changes = List.copyOf(received);
    Map<String, State> view = new HashMap<>();
    for (int i = 0; i < changes.size(); i++) {
      PresenceChange c = changes.get(i);
      State before = view.get(c.userId());
      if (c.isNull()) {
        assertThat(before).as("%s: change %d (%s) is a null for a user it holds no state for", what, i, c)
            .isNotNull();
        view.remove(c.userId());
      } else {
        assertThat(c.state()).as("%s: change %d (%s) repeats the state it holds", what, i, c)
            .isNotEqualTo(before);
        view.put(c.userId(), c.state());
      }
    }
  }
}
