package dev.presence.bench.support;

import dev.presence.bench.driver.Receiver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Records what one session receives, frame by frame; safe to read from the test thread. */
public final class Recorder implements Receiver {
  /** One reported state. */
  public record State(int fromUser, long seq, long sentAtNanos) {}

  private final List<List<State>> frames = new ArrayList<>();

  @Override
  public synchronized void onFrame(int bytes) {
    frames.add(new ArrayList<>());
  }

  @Override
  public synchronized void onState(int fromUser, long seq, long sentAtNanos) {
    if (frames.isEmpty()) {
      frames.add(new ArrayList<>());
    }
    frames.get(frames.size() - 1).add(new State(fromUser, seq, sentAtNanos));
  }

  /** @return every state, in arrival order */
  public synchronized List<State> states() {
    List<State> all = new ArrayList<>();
    frames.forEach(all::addAll);
    return all;
  }

  /** @return the frames that carried states, each as its states in order */
  public synchronized List<List<State>> stateFrames() {
    List<List<State>> out = new ArrayList<>();
    for (List<State> f : frames) {
      if (!f.isEmpty()) {
        out.add(List.copyOf(f));
      }
    }
    return out;
  }

  /** @return the seq numbers received from each sender, in arrival order */
  public synchronized Map<Integer, List<Long>> seqsBySender() {
    Map<Integer, List<Long>> out = new TreeMap<>();
    for (State s : states()) {
      out.computeIfAbsent(s.fromUser(), u -> new ArrayList<>()).add(s.seq());
    }
    return out;
  }

  /** @param user a sender @param seq its counter @return whether that state arrived */
  public synchronized boolean has(int user, long seq) {
    for (List<State> f : frames) {
      for (State s : f) {
        if (s.fromUser() == user && s.seq() == seq) {
          return true;
        }
      }
    }
    return false;
  }

  @Override
  public synchronized String toString() {
    return seqsBySender().toString();
  }
}
