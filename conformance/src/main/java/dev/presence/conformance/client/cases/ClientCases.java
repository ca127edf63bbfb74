package dev.presence.conformance.client.cases;

import dev.presence.conformance.client.ClientCase;
import java.util.ArrayList;
import java.util.List;

/** Every client case of the kit, grouped by the part of SPEC.md they check. */
public final class ClientCases {

  private ClientCases() {}

  /** Returns every client case, in the order a run takes them. */
  public static List<ClientCase> all() {
    List<ClientCase> all = new ArrayList<>();
    all.addAll(EvolutionCases.all());
    all.addAll(ThrottleCases.all());
    all.addAll(WireCases.all());
    all.addAll(LivenessCases.all());
    all.addAll(RoutingCases.all());
    all.addAll(ReconnectCases.all());
    all.addAll(DrainCases.all());
    all.addAll(RetryCases.all());
    return List.copyOf(all);
  }
}
