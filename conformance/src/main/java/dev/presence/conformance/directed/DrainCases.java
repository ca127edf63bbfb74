package dev.presence.conformance.directed;

import dev.presence.protocol.v1.Capability;
import java.util.List;

/**
 * Draining, SPEC.md §13.2, as far as the kit sees it without starting a drain: a server grants
 * {@code CAPABILITY_DRAIN} only to sessions that declared it. Starting a drain needs control of the server's process,
 * so the rest of §13.2 is exempt in {@link dev.presence.conformance.Coverage}.
 */
final class DrainCases {

  private DrainCases() {}

  static List<DirectedCase> all() {
    return List.of(
        DirectedCase.checks("PRS-DRN-1",
            "and MUST NOT list CAPABILITY_DRAIN there unless Open.capabilities declared it.")
            .by(DrainCases::grantedOnlyWhenDeclared));
  }

  private static void grantedOnlyWhenDeclared(Probe p) throws InterruptedException {
    Probe.Joined plain = p.join("u1", o -> o.clearCapabilities().addCapabilities(Capability.CAPABILITY_PING));
    if (plain.opened().getCapabilitiesList().contains(Capability.CAPABILITY_DRAIN)) {
      throw new CaseFailure("opened lists CAPABILITY_DRAIN for a session whose open declared only CAPABILITY_PING");
    }
    Probe.Joined none = p.join("u2", o -> o.clearCapabilities());
    if (none.opened().getCapabilitiesList().contains(Capability.CAPABILITY_DRAIN)) {
      throw new CaseFailure("opened lists CAPABILITY_DRAIN for a session whose open declared no capability");
    }
  }
}
