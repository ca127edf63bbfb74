package dev.presence.conformance.spec;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The test vectors of {@code spec/vectors} (format in {@code spec/vectors/README.md}), read from a directory or from
 * the copy bundled in the kit.
 */
public final class Vectors {

  /** The identifier kinds, each with its vector file. */
  public enum IdKind {
    /** PRS-ROOM-1. */
    ROOM("room_ids.json"),
    /** PRS-IDN-5. */
    USER("user_ids.json"),
    /** PRS-SUB-1. */
    SUBSCRIPTION("subscription_ids.json");

    private final String file;

    IdKind(String file) {
      this.file = file;
    }

    /** Returns the vector file's name. */
    public String file() {
      return file;
    }
  }

  /**
   * One identifier case.
   *
   * @param utf8 the identifier's bytes as they travel
   * @param text the identifier as a string, absent when the bytes are not valid UTF-8
   * @param valid whether the identifier is valid
   * @param why the reason, readable
   */
  public record IdCase(byte[] utf8, Optional<String> text, boolean valid, String why) {}

  /**
   * One state case, judged against the default limits.
   *
   * @param name a short name
   * @param json the state as JSON, absent when JSON cannot carry it
   * @param encoding the bytes of the state's {@code google.protobuf.Struct} encoding, to put in {@code update_state}
   * @param canonicalSize PRS-STA-3's size
   * @param depth PRS-STA-7's depth
   * @param verdict {@code ok} or the ProtocolError reason without its {@code ERROR_REASON_} prefix
   * @param why the reason, readable
   */
  public record StateCase(String name, Optional<String> json, byte[] encoding, int canonicalSize, int depth,
      String verdict, String why) {}

  /**
   * One fatal error's trailer.
   *
   * @param name a short name
   * @param statusDetailsBin the {@code grpc-status-details-bin} value, unpadded base64 as on the wire
   * @param code the gRPC status code's name
   * @param reason the ErrorInfo reason
   * @param metadata the ErrorInfo metadata
   */
  public record ErrorInfoCase(String name, String statusDetailsBin, String code, String reason,
      Map<String, String> metadata) {}

  private final Source source;

  private Vectors(Source source) {
    this.source = source;
  }

  /** Reads the vectors of a directory such as {@code spec/vectors} in a checkout. */
  public static Vectors in(Path directory) {
    return new Vectors(file -> Files.newInputStream(directory.resolve(file)));
  }

  /** Reads the vectors bundled in the kit. */
  public static Vectors bundled() {
    return new Vectors(file -> {
      InputStream in = Vectors.class.getResourceAsStream("vectors/" + file);
      if (in == null) {
        throw new IOException("vectors/" + file + " is missing from the kit's classpath");
      }
      return in;
    });
  }

  /** Returns the cases of one identifier kind. */
  public List<IdCase> ids(IdKind kind) {
    List<IdCase> cases = new ArrayList<>();
    for (Struct c : cases(kind.file())) {
      boolean hex = c.containsFields("utf8_hex");
      byte[] utf8 = hex ? HexFormat.of().parseHex(text(c, "utf8_hex"))
          : text(c, "value").getBytes(StandardCharsets.UTF_8);
      Optional<String> text = hex ? Optional.empty() : Optional.of(text(c, "value"));
      cases.add(new IdCase(utf8, text, c.getFieldsOrThrow("valid").getBoolValue(), text(c, "why")));
    }
    return cases;
  }

  /** Returns the state cases. */
  public List<StateCase> states() {
    List<StateCase> cases = new ArrayList<>();
    for (Struct c : cases("states.json")) {
      Optional<String> json = c.containsFields("json") ? Optional.of(text(c, "json")) : Optional.empty();
      cases.add(new StateCase(text(c, "name"), json, Base64.getDecoder().decode(text(c, "struct_base64")),
          number(c, "canonical_size"), number(c, "depth"), text(c, "verdict"), text(c, "why")));
    }
    return cases;
  }

  /** Returns the fatal-error trailer cases. */
  public List<ErrorInfoCase> errorInfos() {
    List<ErrorInfoCase> cases = new ArrayList<>();
    for (Struct c : cases("error_info.json")) {
      Struct info = c.getFieldsOrThrow("error_info").getStructValue();
      Map<String, String> metadata = new LinkedHashMap<>();
      info.getFieldsOrThrow("metadata").getStructValue().getFieldsMap()
          .forEach((k, v) -> metadata.put(k, v.getStringValue()));
      cases.add(new ErrorInfoCase(text(c, "name"), text(c, "grpc_status_details_bin"), text(c, "code"),
          text(info, "reason"), metadata));
    }
    return cases;
  }

  private List<Struct> cases(String file) {
    try (InputStream in = source.open(file)) {
      Struct.Builder root = Struct.newBuilder();
      JsonFormat.parser().merge(new String(in.readAllBytes(), StandardCharsets.UTF_8), root);
      return root.getFieldsOrThrow("cases").getListValue().getValuesList().stream()
          .map(Value::getStructValue).toList();
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(file + " is not valid JSON: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static String text(Struct s, String field) {
    return s.getFieldsOrThrow(field).getStringValue();
  }

  private static int number(Struct s, String field) {
    return (int) s.getFieldsOrThrow(field).getNumberValue();
  }

  @FunctionalInterface
  private interface Source {
    InputStream open(String file) throws IOException;
  }
}
