package dev.presence.conformance.client.scenario;

import com.google.protobuf.Struct;
import dev.presence.conformance.adapter.v1.Change;
import dev.presence.conformance.client.adapter.Timed;
import dev.presence.conformance.client.server.Inbound;
import dev.presence.conformance.client.server.Outbound;
import dev.presence.conformance.driver.Timing;
import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.Limits;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What one run of a client scenario recorded, for the checkers: the steps and when each ran, every session the SDK
 * opened with its frames both ways, everything the SDK told the application, and the room as it stood once the run
 * settled. Every time is on {@link System#nanoTime()}'s clock.
 *
 * @param steps the scenario's steps
 * @param stepNanos when each executed step started; shorter than {@code steps} when the run stopped early
 * @param abortReason why the run stopped before its last step, or empty
 * @param sessions the SDK's sessions, in the order they arrived
 * @param reports what the SDK reported to the application, in order (changes, members, connection states, errors)
 * @param limits the limits the kit advertised
 * @param timing the run's time allowances
 * @param settleFailure why the run did not settle, or empty when it did: the SDK had an open session, sent its last
 *     state, and answered a sync made after everything else
 * @param roomStates every member's non-null presence once settled, the SDK's own user and the kit's included
 * @param follows the follow set of the last session once settled, as the kit's server holds it
 * @param ownUser the user the SDK's sessions act for
 * @param refreshed whether settling set every other user's state anew, as it does after held snapshots, whose
 *     confirmed views may lag the room's on purpose (PRS-EVT-3); the SDK's own state is not set anew
 * @param trace the run as one time line, for reports
 */
public record ClientRun(List<ClientStep> steps, List<Long> stepNanos, Optional<String> abortReason,
    List<Session> sessions, List<Timed> reports, Limits limits, Timing timing, Optional<String> settleFailure,
    Map<String, Struct> roomStates, Set<String> follows, String ownUser, boolean refreshed, String trace) {

  /** Copies the collections. */
  public ClientRun {
    steps = List.copyOf(steps);
    stepNanos = List.copyOf(stepNanos);
    sessions = List.copyOf(sessions);
    reports = List.copyOf(reports);
    roomStates = Map.copyOf(roomStates);
    follows = Set.copyOf(follows);
  }

  /**
   * One session the SDK opened.
   *
   * @param index its position among the run's sessions, from 0
   * @param openedNanos when the kit sent opened, if it did
   * @param inbound what the SDK sent on it
   * @param outbound what the kit sent on it
   */
  public record Session(int index, Optional<Long> openedNanos, List<Inbound> inbound, List<Outbound> outbound) {
    /** Copies the lists. */
    public Session {
      inbound = List.copyOf(inbound);
      outbound = List.copyOf(outbound);
    }

    /** Returns the frames of one kind the SDK sent, in order. */
    public List<Inbound> inbound(ConnectRequest.FrameCase kind) {
      return inbound.stream().filter(in -> in.kind() == kind).toList();
    }
  }

  /** Returns whether the run settled. */
  public boolean settled() {
    return settleFailure.isEmpty();
  }

  /** Returns how many steps executed. */
  public int executed() {
    return stepNanos.size();
  }

  /** Returns whether an executed step reset the connection or restarted the server. */
  public boolean reconnected() {
    return steps.subList(0, executed()).stream()
        .anyMatch(s -> s instanceof ClientStep.Reset || s instanceof ClientStep.Restart);
  }

  /** Returns the callbacks of one sync, with the moments the kit read them, in order. */
  public List<Timed> changes(String sync) {
    return reports.stream().filter(t -> t.report().hasChange() && t.report().getChange().getSync().equals(sync))
        .toList();
  }

  /** Returns the index of the last executed step that started at or before a moment, or -1. */
  public int stepAt(long nanos) {
    int step = -1;
    for (int i = 0; i < stepNanos.size() && stepNanos.get(i) <= nanos; i++) {
      step = i;
    }
    return step;
  }

  /**
   * Returns the syncs still live at the end of the executed steps, each with its target, in the order they were
   * made; the kit's own settling sync is not among them.
   */
  public Map<String, String> liveSyncs() {
    Map<String, String> live = new LinkedHashMap<>();
    for (ClientStep s : steps.subList(0, executed())) {
      if (s instanceof ClientStep.Sync sync) {
        live.put(sync.name(), sync.target());
      } else if (s instanceof ClientStep.Unsync u) {
        if (u.name().isEmpty()) {
          live.clear();
        } else {
          live.remove(u.name());
        }
      }
    }
    return live;
  }

  /** Returns what a sync's callbacks add up to: the last non-null state told for each user. */
  public Map<String, Struct> callbackView(String sync) {
    Map<String, Struct> view = new LinkedHashMap<>();
    for (Timed t : changes(sync)) {
      Change c = t.report().getChange();
      if (c.hasState()) {
        view.put(c.getUserId(), c.getState());
      } else {
        view.remove(c.getUserId());
      }
    }
    return view;
  }

  /**
   * Returns what a correct client's sync shows once settled: the room's non-null presences of the users its target
   * covers, with {@code 'following'} covering the confirmed follow set.
   */
  public Map<String, Struct> expectedView(String target) {
    Map<String, Struct> view = new LinkedHashMap<>();
    roomStates.forEach((user, state) -> {
      boolean covered = switch (target) {
        case ClientStep.ALL -> true;
        case ClientStep.FOLLOWING -> follows.contains(user);
        default -> target.equals(user);
      };
      if (covered) {
        view.put(user, state);
      }
    });
    return view;
  }

  /** Returns the steps the run executed, in order, each with its index. */
  public List<Map.Entry<Integer, ClientStep>> executedSteps() {
    List<Map.Entry<Integer, ClientStep>> out = new ArrayList<>();
    for (int i = 0; i < executed(); i++) {
      out.add(Map.entry(i, steps.get(i)));
    }
    return out;
  }
}
