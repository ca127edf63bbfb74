package dev.presence.conformance.client.scenario;

import java.util.List;

/** Every checker of client scenarios. */
public final class ClientCheckers {

  private ClientCheckers() {}

  /** Returns every checker, one or more per rule. */
  public static List<ClientChecker> all() {
    return List.of(new UpdateSpacingChecker(), new LastStateChecker(), new NullOrderChecker(),
        SettledViewChecker.liveEvents(), SettledViewChecker.taggedEvents(), new ReconnectChecker());
  }
}
