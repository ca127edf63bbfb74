package dev.presence.conformance.spec;

import java.util.List;
import java.util.Objects;

/**
 * One identified rule of SPEC.md.
 *
 * @param id the stable identifier, for example {@code PRS-THR-2}
 * @param parties who the rule binds; empty for a withdrawn rule
 * @param level the strongest RFC 2119 key word in the rule
 * @param text the rule's text without its identifier and party, on one line
 */
public record Requirement(String id, List<Party> parties, Level level, String text) {

  /** Who a rule binds. */
  public enum Party {
    /** Every presence.v1 server. */
    SERVER,
    /** Every presence.v1 client SDK. */
    CLIENT
  }

  /** The strength of a rule, from its strongest key word. */
  public enum Level {
    /** MUST, MUST NOT, REQUIRED, SHALL, SHALL NOT. */
    MUST,
    /** SHOULD, SHOULD NOT, RECOMMENDED. */
    SHOULD,
    /** MAY, OPTIONAL. */
    MAY,
    /** A tombstone: the rule was withdrawn and its identifier is never reused. */
    WITHDRAWN
  }

  /** Validates and copies the components. */
  public Requirement {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(level, "level");
    Objects.requireNonNull(text, "text");
    parties = List.copyOf(parties);
  }

  /** Returns whether the rule binds servers. */
  public boolean bindsServer() {
    return parties.contains(Party.SERVER);
  }

  /** Returns whether the rule binds client SDKs. */
  public boolean bindsClient() {
    return parties.contains(Party.CLIENT);
  }
}
