package dev.presence.conformance.check;

import dev.presence.conformance.history.Observation;
import dev.presence.protocol.v1.PresenceEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * One presence event as a session received it, with where and when.
 *
 * @param position the observation's position in the history
 * @param step the step during whose interval it arrived
 * @param nanos when it arrived
 * @param session the receiving session
 * @param user the scenario user the event is about
 * @param event the event
 */
record ReceivedEvent(int position, int step, long nanos, String session, String user, PresenceEvent event) {

  boolean live() {
    return event.getSubscriptionIdsCount() == 0;
  }

  boolean isNull() {
    return !event.hasState();
  }

  static List<ReceivedEvent> all(RunAnalysis run) {
    List<ReceivedEvent> events = new ArrayList<>();
    List<Observation> history = run.history();
    for (int i = 0; i < history.size(); i++) {
      if (history.get(i) instanceof Observation.Received r && r.frame().hasPresence()) {
        for (PresenceEvent e : r.frame().getPresence().getEventsList()) {
          events.add(new ReceivedEvent(i, run.stepAt(i), r.nanos(), r.session(), run.scenarioUser(e.getUserId()), e));
        }
      }
    }
    return events;
  }
}
