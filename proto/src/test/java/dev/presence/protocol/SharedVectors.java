package dev.presence.protocol;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reads the cases of one file of {@code spec/vectors}, the files every implementation's tests judge against. */
final class SharedVectors {
  private SharedVectors() {}

  static List<Struct> cases(String file) throws IOException {
    Struct.Builder root = Struct.newBuilder();
    JsonFormat.parser().merge(Files.readString(directory().resolve(file), StandardCharsets.UTF_8), root);
    return root.getFieldsOrThrow("cases").getListValue().getValuesList().stream().map(Value::getStructValue).toList();
  }

  static String text(Struct c, String field) {
    return c.getFieldsOrThrow(field).getStringValue();
  }

  /** The tests run in the module directory; the vectors live at the repository root. */
  private static Path directory() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve("spec/vectors"))) {
        return dir.resolve("spec/vectors");
      }
    }
    throw new IllegalStateException("no spec/vectors above " + Path.of("").toAbsolutePath());
  }
}
