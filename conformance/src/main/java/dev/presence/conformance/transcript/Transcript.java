package dev.presence.conformance.transcript;

import java.util.List;
import java.util.Map;

/**
 * One parsed transcript (format in {@code spec/transcripts/README.md}).
 *
 * @param name the file name without {@code .txt}
 * @param title what it shows
 * @param rules the rule IDs it illustrates
 * @param draft the first draft of the spec whose servers must pass it
 * @param settings server settings it needs, by Limits or ServerConfig field name; empty when any server will do
 * @param auth how its sessions claim identities
 * @param steps the steps in file order
 */
public record Transcript(String name, String title, List<String> rules, int draft, Map<String, String> settings,
    Auth auth, List<Step> steps) {

  /** Copies the collections. */
  public Transcript {
    rules = List.copyOf(rules);
    settings = Map.copyOf(settings);
    steps = List.copyOf(steps);
  }

  /** Returns whether a step of this transcript uses the verb. */
  public boolean uses(Step.Verb verb) {
    return steps.stream().anyMatch(s -> s instanceof Step.Action a && a.verb() == verb);
  }

  /** How a transcript's sessions claim identities. */
  public enum Auth {
    /** With {@code Open.dev_user_id}, so the server must be in the development mode (PRS-IDN-3); the default. */
    DEV,
    /** With bearer tokens the replayer mints ({@code # auth: jwt}), so it must know the server's signing key. */
    JWT
  }
}
