package dev.presence.conformance.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.util.JsonFormat;
import com.google.rpc.ErrorInfo;
import dev.presence.conformance.spec.Vectors.IdCase;
import dev.presence.conformance.spec.Vectors.IdKind;
import dev.presence.conformance.spec.Vectors.StateCase;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The vectors of spec/vectors: generated, self-consistent, and bundled unchanged in the kit. */
class VectorsTest {

  private static final Path DIRECTORY = Path.of(System.getProperty("presence.repository", ".."), "spec", "vectors");
  private final Vectors vectors = Vectors.in(DIRECTORY);

  @Test
  @DisplayName("the files are what VectorsGenerator writes, so no case was edited by hand")
  void generated(@TempDir Path fresh) throws IOException {
    VectorsGenerator.main(new String[] {fresh.toString()});
    try (var files = Files.list(fresh)) {
      for (Path f : files.toList()) {
        assertThat(DIRECTORY.resolve(f.getFileName())).as(f.getFileName().toString()).hasSameTextualContentAs(f);
      }
    }
  }

  @Test
  @DisplayName("PRS-STA-3/7/8: every state's size, depth and verdict hold under protobuf-java")
  void states() throws InvalidProtocolBufferException {
    List<StateCase> cases = vectors.states();
    assertThat(cases).extracting(StateCase::verdict)
        .contains("ok", "STATE_TOO_LARGE", "STATE_TOO_DEEP", "INVALID_STATE");
    for (StateCase c : cases) {
      assertThat(StateVerdicts.verdict(c.encoding())).as(c.name()).isEqualTo(c.verdict());
      if (c.json().isEmpty()) {
        continue;
      }
      Struct state = Struct.parseFrom(c.encoding());
      assertThat(state.getSerializedSize()).as(c.name()).isEqualTo(c.canonicalSize());
      assertThat(StateVerdicts.depth(state)).as(c.name()).isEqualTo(c.depth());
      Struct.Builder fromJson = Struct.newBuilder();
      JsonFormat.parser().merge(c.json().get(), fromJson);
      assertThat(fromJson.build()).as(c.name()).isEqualTo(state);
    }
    assertThat(cases).filteredOn(c -> c.canonicalSize() == StateVerdicts.MAX_STATE_BYTES).isNotEmpty();
    assertThat(cases).filteredOn(c -> c.depth() == StateVerdicts.MAX_STATE_DEPTH + 1).isNotEmpty();
  }

  @Test
  @DisplayName("utf8_hex cases are malformed UTF-8, and value cases are not")
  void hexMeansMalformed() {
    for (IdKind kind : IdKind.values()) {
      for (IdCase c : vectors.ids(kind)) {
        if (c.text().isEmpty()) {
          assertThatThrownBy(() -> StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(c.utf8())))
              .as(c.why()).isInstanceOf(CharacterCodingException.class);
          assertThat(c.valid()).as(c.why()).isFalse();
        }
      }
    }
  }

  @Test
  @DisplayName("PRS-IDN-5: every White_Space code point alone is an invalid user id")
  void everyWhiteSpaceAlone() {
    List<String> invalidAlone = vectors.ids(IdKind.USER).stream()
        .filter(c -> !c.valid() && c.text().isPresent()).map(c -> c.text().get()).toList();
    for (int cp : VectorsGenerator.WHITE_SPACE) {
      assertThat(invalidAlone).contains(new String(Character.toChars(cp)));
    }
  }

  @Test
  @DisplayName("error_info.json: each grpc-status-details-bin decodes to the fields beside it")
  void errorInfos() throws InvalidProtocolBufferException {
    for (Vectors.ErrorInfoCase c : vectors.errorInfos()) {
      assertThat(c.statusDetailsBin()).doesNotEndWith("=");
      com.google.rpc.Status status = com.google.rpc.Status.parseFrom(Base64.getDecoder().decode(c.statusDetailsBin()));
      assertThat(io.grpc.Status.fromCodeValue(status.getCode()).getCode().name()).isEqualTo(c.code());
      ErrorInfo info = status.getDetails(0).unpack(ErrorInfo.class);
      assertThat(info.getDomain()).isEqualTo("presence.v1");
      assertThat(info.getReason()).isEqualTo(c.reason());
      assertThat(info.getMetadataMap()).isEqualTo(c.metadata());
    }
  }

  @Test
  @DisplayName("the kit bundles the same vectors as spec/vectors")
  void bundled() {
    Vectors inJar = Vectors.bundled();
    for (IdKind kind : IdKind.values()) {
      assertThat(inJar.ids(kind)).usingRecursiveFieldByFieldElementComparator().isEqualTo(vectors.ids(kind));
    }
    assertThat(inJar.states()).usingRecursiveFieldByFieldElementComparator().isEqualTo(vectors.states());
    assertThat(inJar.errorInfos()).isEqualTo(vectors.errorInfos());
  }
}
