package dev.presence.bench.relay;

/** How the ceiling relay forwards events to the members of a room. */
public enum RelayMode {
  /** Each inbound event goes out at once, alone in its frame, to every member. */
  PER_MESSAGE("per-message"),
  /** Once per tick, the latest event of each sender goes out in one frame shared by every member. */
  COALESCED("coalesced");

  private final String label;

  RelayMode(String label) {
    this.label = label;
  }

  /** @return the name used on the command line */
  public String label() {
    return label;
  }

  /** @param label a name from {@link #label()} @return the mode */
  public static RelayMode ofLabel(String label) {
    for (RelayMode m : values()) {
      if (m.label.equals(label)) {
        return m;
      }
    }
    throw new IllegalArgumentException("unknown mode '" + label + "'; expected per-message or coalesced");
  }
}
