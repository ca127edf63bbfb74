package dev.presence.conformance.client.scenario;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One step of a {@link ClientScenario}: a call the application makes on the SDK, or something the kit's server or
 * the room does meanwhile. Each step prints as one line, {@link #toString()}, that {@link #parse} reads back; replay
 * files hold these lines.
 */
public sealed interface ClientStep {

  /** The target of {@link Sync} that stands for {@code '*'}. */
  String ALL = "*";
  /** The target of {@link Sync} that stands for {@code 'following'}. */
  String FOLLOWING = "following";

  /** Whether the application makes this call, as opposed to the server or the room. */
  default boolean application() {
    return false;
  }

  /**
   * The application sets its state {@code 1 + gaps.size()} times: state {@code label.0} at once, then after each gap
   * the next, so that a burst lands partly inside one throttle window.
   *
   * @param label the states' prefix, unique within the scenario
   * @param gapsMillis the pauses between the burst's updates
   */
  record Update(String label, List<Integer> gapsMillis) implements ClientStep {
    /** Copies the gaps. */
    public Update {
      gapsMillis = List.copyOf(gapsMillis);
    }

    /** Returns the label of the burst's last state. */
    public String lastLabel() {
      return label + "." + gapsMillis.size();
    }

    @Override
    public boolean application() {
      return true;
    }

    @Override
    public String toString() {
      return "update " + label + (gapsMillis.isEmpty() ? "" : " "
          + gapsMillis.stream().map(String::valueOf).collect(Collectors.joining(",")));
    }
  }

  /** The application clears its state. */
  record Clear() implements ClientStep {
    @Override
    public boolean application() {
      return true;
    }

    @Override
    public String toString() {
      return "clear";
    }
  }

  /**
   * The application syncs a target under a name of the kit's.
   *
   * @param name the kit's name for the sync's callback, unique within the scenario
   * @param target {@link #ALL}, {@link #FOLLOWING} or a user id
   */
  record Sync(String name, String target) implements ClientStep {
    @Override
    public boolean application() {
      return true;
    }

    @Override
    public String toString() {
      return "sync " + name + " " + target;
    }
  }

  /**
   * The application ends one sync, or all of them.
   *
   * @param name the sync, or empty for the seed's {@code presence.unsync()}
   */
  record Unsync(String name) implements ClientStep {
    @Override
    public boolean application() {
      return true;
    }

    @Override
    public String toString() {
      return name.isEmpty() ? "unsync-all" : "unsync " + name;
    }
  }

  /** The application follows a user. */
  record Follow(String user) implements ClientStep {
    @Override
    public boolean application() {
      return true;
    }

    @Override
    public String toString() {
      return "follow " + user;
    }
  }

  /** The application unfollows a user. */
  record Unfollow(String user) implements ClientStep {
    @Override
    public boolean application() {
      return true;
    }

    @Override
    public String toString() {
      return "unfollow " + user;
    }
  }

  /** The application reads every state the SDK holds for others; the result is recorded, for reading. */
  record GetStates() implements ClientStep {
    @Override
    public boolean application() {
      return true;
    }

    @Override
    public String toString() {
      return "get-states";
    }
  }

  /** A user the kit plays sets a state, joining first if needed. */
  record OtherSet(String user, String label) implements ClientStep {
    @Override
    public String toString() {
      return "other-set " + user + " " + label;
    }
  }

  /** A user the kit plays clears their state. */
  record OtherClear(String user) implements ClientStep {
    @Override
    public String toString() {
      return "other-clear " + user;
    }
  }

  /**
   * A user the kit plays leaves the room.
   *
   * @param user the user
   * @param timedOut whether they time out rather than leave
   */
  record OtherLeave(String user, boolean timedOut) implements ClientStep {
    @Override
    public String toString() {
      return "other-leave " + user + (timedOut ? " timed-out" : " left");
    }
  }

  /** A user the kit plays joins the room without a state. */
  record OtherJoin(String user) implements ClientStep {
    @Override
    public String toString() {
      return "other-join " + user;
    }
  }

  /** The server pings the SDK's session, when the SDK declared CAPABILITY_PING; otherwise nothing happens. */
  record Ping() implements ClientStep {
    @Override
    public String toString() {
      return "ping";
    }
  }

  /** The server sends a frame of a kind no client knows. */
  record UnknownFrame() implements ClientStep {
    @Override
    public String toString() {
      return "unknown-frame";
    }
  }

  /** The server starts holding back snapshot_complete frames. */
  record HoldSnapshots() implements ClientStep {
    @Override
    public String toString() {
      return "hold-snapshots";
    }
  }

  /** The server sends the snapshot_complete frames it held and stops holding them. */
  record ReleaseSnapshots() implements ClientStep {
    @Override
    public String toString() {
      return "release-snapshots";
    }
  }

  /** The connection is reset under the SDK, which must reconnect. */
  record Reset() implements ClientStep {
    @Override
    public String toString() {
      return "reset";
    }
  }

  /** The server crashes and restarts behind the same address. */
  record Restart() implements ClientStep {
    @Override
    public String toString() {
      return "restart";
    }
  }

  /** Nothing happens for a while, no longer than a throttle window. */
  record Pause(int millis) implements ClientStep {
    @Override
    public String toString() {
      return "pause " + millis;
    }
  }

  /**
   * Reads a line that {@link #toString()} printed.
   *
   * @throws IllegalArgumentException if the line is no step
   */
  static ClientStep parse(String line) {
    List<String> w = Arrays.asList(line.strip().split("\\s+"));
    String op = w.get(0);
    try {
      return switch (op) {
        case "update" -> new Update(w.get(1), w.size() < 3 ? List.of()
            : Arrays.stream(w.get(2).split(",")).map(Integer::valueOf).toList());
        case "clear" -> new Clear();
        case "sync" -> new Sync(w.get(1), w.get(2));
        case "unsync" -> new Unsync(w.get(1));
        case "unsync-all" -> new Unsync("");
        case "follow" -> new Follow(w.get(1));
        case "unfollow" -> new Unfollow(w.get(1));
        case "get-states" -> new GetStates();
        case "other-set" -> new OtherSet(w.get(1), w.get(2));
        case "other-clear" -> new OtherClear(w.get(1));
        case "other-leave" -> new OtherLeave(w.get(1), switch (w.get(2)) {
          case "timed-out" -> true;
          case "left" -> false;
          default -> throw new IllegalArgumentException("a leave is 'left' or 'timed-out', not '" + w.get(2) + "'");
        });
        case "other-join" -> new OtherJoin(w.get(1));
        case "ping" -> new Ping();
        case "unknown-frame" -> new UnknownFrame();
        case "hold-snapshots" -> new HoldSnapshots();
        case "release-snapshots" -> new ReleaseSnapshots();
        case "reset" -> new Reset();
        case "restart" -> new Restart();
        case "pause" -> new Pause(Integer.parseInt(w.get(1)));
        default -> throw new IllegalArgumentException("unknown step '" + op + "'");
      };
    } catch (IndexOutOfBoundsException | NumberFormatException e) {
      throw new IllegalArgumentException("malformed step '" + line + "'", e);
    }
  }
}
