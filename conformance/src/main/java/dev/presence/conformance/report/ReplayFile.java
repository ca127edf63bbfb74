package dev.presence.conformance.report;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import dev.presence.conformance.FailureCase;
import dev.presence.conformance.RequirementResult;
import dev.presence.conformance.client.scenario.ClientScenario;
import dev.presence.conformance.client.scenario.ClientScenarioCodec;
import dev.presence.conformance.scenario.Scenario;
import dev.presence.conformance.scenario.ScenarioCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A replay file: the requirement, the seed, the mode, the minimal scenario of one failure and the wire trace of its
 * last failing run. {@code --replay FILE} runs exactly that scenario again, against a server ({@code --target}) for
 * a server scenario and against a client ({@code --client}) for a client one; the trace is for reading.
 */
public final class ReplayFile {

  /** The mode of files written before client mode existed, which carry none. */
  private static final String SERVER = "server";
  private static final String CLIENT = "client";

  private ReplayFile() {}

  /**
   * Writes the replay file of a scenario failure.
   *
   * @return the path written
   */
  public static Path write(Path dir, RequirementResult result) throws IOException {
    FailureCase f = result.failure().orElseThrow();
    Struct json = Struct.newBuilder()
        .putFields("requirement", JsonReport.text(result.requirement().id()))
        .putFields("seed", JsonReport.text(Long.toString(f.seed())))
        .putFields("mode", JsonReport.text(f.minimal().mode()))
        .putFields("violation", JsonReport.text(f.violations().isEmpty() ? "" : f.violations().get(0)))
        .putFields("scenario", Value.newBuilder().setStructValue(f.minimal().encode()).build())
        .putFields("trace", JsonReport.text(f.trace()))
        .build();
    Path file = dir.resolve("replay-" + result.requirement().id() + ".json");
    Files.writeString(file, JsonReport.print(json), StandardCharsets.UTF_8);
    return file;
  }

  /**
   * A replay file's contents.
   *
   * @param requirementId the requirement it failed
   * @param seed the seed of the original scenario
   * @param mode {@code "server"} or {@code "client"}
   * @param encoded the minimal scenario as the file holds it
   */
  public record Replay(String requirementId, long seed, String mode, Struct encoded) {

    /** Returns whether the file holds a client scenario. */
    public boolean client() {
      return CLIENT.equals(mode);
    }

    /**
     * Returns the server scenario.
     *
     * @throws IllegalArgumentException if the file holds a client scenario
     */
    public Scenario scenario() {
      if (client()) {
        throw new IllegalArgumentException("the replay file holds a client scenario: replay it with --client");
      }
      return ScenarioCodec.decode(encoded);
    }

    /**
     * Returns the client scenario.
     *
     * @throws IllegalArgumentException if the file holds a server scenario
     */
    public ClientScenario clientScenario() {
      if (!client()) {
        throw new IllegalArgumentException("the replay file holds a server scenario: replay it with --target");
      }
      return ClientScenarioCodec.decode(encoded);
    }
  }

  /**
   * Reads a replay file; the scenario is decoded when asked for, by mode.
   *
   * @throws IOException if it cannot be read
   * @throws IllegalArgumentException if it is not a replay file
   */
  public static Replay read(Path file) throws IOException {
    Struct.Builder json = Struct.newBuilder();
    try {
      JsonFormat.parser().merge(Files.readString(file, StandardCharsets.UTF_8), json);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException(file + " is not JSON: " + e.getMessage(), e);
    }
    Struct s = json.build();
    if (!s.containsFields("scenario") || !s.containsFields("requirement")) {
      throw new IllegalArgumentException(file + " is not a replay file: it needs 'requirement' and 'scenario'");
    }
    String mode = s.getFieldsOrDefault("mode", JsonReport.text(SERVER)).getStringValue();
    if (!mode.equals(SERVER) && !mode.equals(CLIENT)) {
      throw new IllegalArgumentException(file + " names an unknown mode '" + mode + "'");
    }
    return new Replay(s.getFieldsOrThrow("requirement").getStringValue(),
        Long.parseLong(s.getFieldsOrDefault("seed", JsonReport.text("0")).getStringValue()), mode,
        s.getFieldsOrThrow("scenario").getStructValue());
  }
}
