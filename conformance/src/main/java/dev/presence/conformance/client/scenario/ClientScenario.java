package dev.presence.conformance.client.scenario;

import com.google.protobuf.Struct;
import dev.presence.conformance.scenario.Replayable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A sequence of client steps that is always executable: every sync name is used once, an unsync ends a live sync,
 * and the application follows only users it does not follow and unfollows only users it follows.
 *
 * @param steps the steps, in order
 */
public record ClientScenario(List<ClientStep> steps) implements Replayable {

  /** The name of the sync the kit adds when it settles a run; no scenario may use it. */
  public static final String SETTLE_SYNC = "kit-settle";

  /** Copies the steps and rejects a sequence that is not executable. */
  public ClientScenario {
    steps = List.copyOf(steps);
    if (!executable(steps).equals(steps)) {
      throw new IllegalArgumentException("scenario has steps that cannot execute: " + steps);
    }
  }

  /**
   * Returns the scenario of the given steps less those that cannot execute in that order, for example an unsync
   * whose sync was removed by shrinking.
   */
  public static ClientScenario repaired(List<ClientStep> steps) {
    return new ClientScenario(executable(steps));
  }

  @Override
  public String mode() {
    return "client";
  }

  @Override
  public Struct encode() {
    return ClientScenarioCodec.encode(this);
  }

  @Override
  public String describe() {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < steps.size(); i++) {
      out.append(String.format("%3d. %s%n", i, steps.get(i)));
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return steps.stream().map(ClientStep::toString).collect(Collectors.joining("; ", "[", "]"));
  }

  private static List<ClientStep> executable(List<ClientStep> steps) {
    Set<String> used = new HashSet<>();
    Set<String> live = new HashSet<>();
    Set<String> followed = new HashSet<>();
    List<ClientStep> kept = new ArrayList<>();
    for (ClientStep step : steps) {
      boolean ok = true;
      if (step instanceof ClientStep.Sync s) {
        ok = !s.name().isEmpty() && !s.name().equals(SETTLE_SYNC) && used.add(s.name()) && live.add(s.name());
      } else if (step instanceof ClientStep.Unsync u) {
        ok = u.name().isEmpty() || live.remove(u.name());
        if (u.name().isEmpty()) {
          live.clear();
        }
      } else if (step instanceof ClientStep.Follow f) {
        ok = followed.add(f.user());
      } else if (step instanceof ClientStep.Unfollow f) {
        ok = followed.remove(f.user());
      }
      if (ok) {
        kept.add(step);
      }
    }
    return List.copyOf(kept);
  }
}
