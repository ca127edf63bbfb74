package dev.presence.conformance.transcript;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.MemberLeft;
import dev.presence.protocol.v1.NullReason;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The transcript format: headers, steps, errors by line, and partial matching. */
class TranscriptParserTest {

  private static final String HEADER = "# title: t\n# rules: PRS-X-1\n";

  @Test
  @DisplayName("a presence expectation becomes one expected event per listed event")
  void presenceIsEventSequence() {
    Transcript t = TranscriptParser.parse("t", HEADER + "join bob\n"
        + "bob< presence { events { user_id: \"a\" } events { user_id: \"b\" } } within throttle_window_millis + 25ms\n");
    Step.Expect e = (Step.Expect) t.steps().get(1);
    assertThat(e.expected()).hasSize(2).allMatch(x -> x instanceof Step.ExpectedEvent);
    assertThat(e.within()).contains("throttle_window_millis + 25ms");
  }

  @Test
  @DisplayName("headers give settings and draft; end lines give code, reason and metadata")
  void headersAndEnds() {
    Transcript t = TranscriptParser.parse("t", HEADER + "# draft: 2\n# server: idle_timeout_millis=500\n"
        + "a> open { room_id: \"$room\" }\na< end FAILED_PRECONDITION UNSUPPORTED_VERSION supported_versions=1\n");
    assertThat(t.draft()).isEqualTo(2);
    assertThat(t.settings()).containsEntry("idle_timeout_millis", "500");
    assertThat(((Step.Expect) t.steps().get(1)).expected())
        .containsExactly(new Step.ExpectedEnd("FAILED_PRECONDITION", "UNSUPPORTED_VERSION",
            java.util.Map.of("supported_versions", "1")));
  }

  @Test
  @DisplayName("a broken line is reported with its file and line number")
  void errorsNameTheLine() {
    assertThatThrownBy(() -> TranscriptParser.parse("broken", HEADER + "\nbob< nonsense { }\n"))
        .hasMessageStartingWith("broken:4:");
  }

  @Test
  @DisplayName("fields an expectation leaves unset do not matter; set ones must be equal")
  void partialMatch() {
    ConnectResponse actual = ConnectResponse.newBuilder().setMemberLeft(MemberLeft.newBuilder().setUserId("a")
        .setReason(NullReason.NULL_REASON_LEFT)).build();
    ConnectResponse anyLeave = ConnectResponse.newBuilder().setMemberLeft(MemberLeft.getDefaultInstance()).build();
    ConnectResponse timedOut = ConnectResponse.newBuilder().setMemberLeft(MemberLeft.newBuilder()
        .setReason(NullReason.NULL_REASON_TIMED_OUT)).build();
    assertThat(PartialMatch.matches(anyLeave, actual)).isTrue();
    assertThat(PartialMatch.matches(timedOut, actual)).isFalse();
  }

  @Test
  @DisplayName("every file of spec/transcripts parses and names its rules")
  void everyFileParses() throws IOException {
    Path dir = Path.of(System.getProperty("presence.repository", ".."), "spec", "transcripts");
    assertThat(Transcripts.in(dir)).isNotEmpty().allSatisfy(t -> assertThat(t.rules()).isNotEmpty());
  }

  @Test
  @DisplayName("the kit bundles the same transcripts as spec/transcripts")
  void bundled() throws IOException {
    Path dir = Path.of(System.getProperty("presence.repository", ".."), "spec", "transcripts");
    assertThat(Transcripts.bundled().stream().map(TranscriptParserTest::lines).toList())
        .isEqualTo(Transcripts.in(dir).stream().map(TranscriptParserTest::lines).toList());
  }

  private static String lines(Transcript t) {
    return t.name() + "\n" + String.join("\n", t.steps().stream().map(Step::text).toList());
  }
}
