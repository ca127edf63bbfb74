package dev.presence.conformance.scenario;

import com.google.protobuf.Struct;

/**
 * A minimal failing scenario as reports and replay files hold it, whichever mode produced it: a server scenario
 * ({@link Scenario}) or a client one ({@code ClientScenario}).
 */
public interface Replayable {

  /** Returns the mode that replays it: {@code "server"} or {@code "client"}. */
  String mode();

  /** Returns the scenario as numbered lines, the form printed in reports. */
  String describe();

  /** Returns the scenario as JSON, the form replay files and the JSON report hold. */
  Struct encode();
}
