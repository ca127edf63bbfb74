package dev.presence.conformance.spec;

import com.google.protobuf.Any;
import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes {@code spec/vectors/*.json}. Identifier verdicts are stated case by case here; state sizes and depths are
 * computed by protobuf-java. Run it from the repository root after changing a case:
 * {@code java -cp ... dev.presence.conformance.spec.VectorsGenerator spec/vectors}; {@link VectorsTest} re-checks
 * the written files.
 */
public final class VectorsGenerator {

  static final int[] WHITE_SPACE = {0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000, 0x2001, 0x2002,
      0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000};

  private VectorsGenerator() {}

  /** @param args the output directory, normally {@code spec/vectors} */
  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    write(dir.resolve("room_ids.json"), "room_id", "PRS-ROOM-1", asciiIds(128, "room"));
    write(dir.resolve("subscription_ids.json"), "subscription_id", "PRS-SUB-1", asciiIds(64, "s"));
    write(dir.resolve("user_ids.json"), "user_id", "PRS-IDN-5", userIds());
    write(dir.resolve("states.json"), "state", "PRS-STA-3 PRS-STA-7 PRS-STA-8 PRS-ERR-6", states());
    write(dir.resolve("error_info.json"), "fatal_trailer", "PRS-ERR-2", errorInfos());
    write(dir.resolve("websocket.json"), "websocket_mapping", "PRS-WS-6 PRS-WS-7 PRS-WS-10 PRS-WS-11",
        webSocketMappings());
  }

  /** Written out literally, so the file states the binding's mappings rather than echo the code under test. */
  private static List<Map<String, Object>> webSocketMappings() {
    List<Map<String, Object>> cases = new ArrayList<>();
    cases.add(mapping("bearer_entry", "token", "abc", "entry", "presence.v1.bearer.YWJj",
        "the token's bytes in base64url"));
    cases.add(mapping("bearer_entry", "token", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZGEifQ.c2ln",
        "entry", "presence.v1.bearer.ZXlKaGJHY2lPaUpJVXpJMU5pSjkuZXlKemRXSWlPaUpoWkdFaWZRLmMybG4",
        "a JWT is encoded too, never sent as it is"));
    cases.add(mapping("bearer_entry", "token", "jeton-\u00e9", "entry", "presence.v1.bearer.amV0b24tw6k",
        "UTF-8 bytes, no padding"));
    cases.add(mapping("bearer_entry", "token", "a?b>c", "entry", "presence.v1.bearer.YT9iPmM",
        "base64url uses - and _ where base64 uses + and /"));
    cases.add(offered("presence.v1, presence.v1.bearer.YWJj", "abc", "the token after the subprotocol"));
    cases.add(offered("presence.v1", null, "no entry: no credentials"));
    cases.add(offered("presence.v1.bearer.YWJj,presence.v1", "abc", "entries in any order; spaces optional"));
    cases.add(offered("presence.v1, presence.v1.bearer.YWI=", "malformed", "padding is not allowed"));
    cases.add(offered("presence.v1, presence.v1.bearer.a+b", "malformed", "+ is base64, not base64url"));
    cases.add(offered("presence.v1, presence.v1.bearer.", "malformed", "an empty token"));
    cases.add(offered("presence.v1, presence.v1.bearer.YWJjZ", "malformed",
        "a length of 4k+1 characters is no base64url text"));
    cases.add(offered("presence.v1, presence.v1.bearer.__8", "malformed", "the bytes FF FF are not UTF-8"));
    cases.add(offered("presence.v1, presence.v1.bearer.YWJj, presence.v1.bearer.YWJk", "malformed",
        "two entries"));
    for (Object[] row : new Object[][] {
        {"OK", 1000}, {"CANCELLED", 4001}, {"INVALID_ARGUMENT", 4003}, {"DEADLINE_EXCEEDED", 4004},
        {"PERMISSION_DENIED", 4007}, {"RESOURCE_EXHAUSTED", 4008}, {"FAILED_PRECONDITION", 4009},
        {"UNIMPLEMENTED", 4012}, {"UNAVAILABLE", 4014}, {"UNAUTHENTICATED", 4016}}) {
      cases.add(mapping("close_code", "code", row[0], "close", row[1], "sent after session_end"));
    }
    for (Object[] row : new Object[][] {
        {1000, "OK", "a normal close"}, {4000, "OK", "4000 plus OK's number"},
        {4003, "INVALID_ARGUMENT", "4000 plus 3"}, {4016, "UNAUTHENTICATED", "4000 plus 16"},
        {4017, "UNAVAILABLE", "beyond the gRPC codes"}, {1001, "UNAVAILABLE", "going away"},
        {1006, "UNAVAILABLE", "closed without a Close frame"}, {1009, "UNAVAILABLE", "message too big"},
        {1011, "UNAVAILABLE", "server error"}, {3000, "UNAVAILABLE", "a registered code"}}) {
      cases.add(mapping("close_read", "close", row[0], "code", row[1], (String) row[2]));
    }
    for (Object[] row : new Object[][] {
        {401, "UNAUTHENTICATED", "a proxy asked for credentials"}, {403, "PERMISSION_DENIED", "a foreign Origin"},
        {404, "UNIMPLEMENTED", "the path is not served, as for another version"},
        {400, "FAILED_PRECONDITION", "a malformed handshake or no presence.v1 subprotocol"},
        {426, "FAILED_PRECONDITION", "not an upgrade"}, {429, "FAILED_PRECONDITION", "any other 4xx"},
        {500, "UNAVAILABLE", "a server error"}, {502, "UNAVAILABLE", "a proxy without a backend"},
        {0, "UNAVAILABLE", "no HTTP answer: refused, reset or timed out"}}) {
      cases.add(mapping("handshake_status", "http_status", row[0], "code", row[1], (String) row[2]));
    }
    return cases;
  }

  private static Map<String, Object> offered(String header, String token, String why) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("mapping", "offered_subprotocols");
    c.put("header", header);
    if (token == null) {
      c.put("no_token", true);
    } else if (token.equals("malformed")) {
      c.put("malformed", true);
    } else {
      c.put("token", token);
    }
    c.put("why", why);
    return c;
  }

  private static Map<String, Object> mapping(String mapping, String fromKey, Object from, String toKey, Object to,
      String why) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("mapping", mapping);
    c.put(fromKey, from);
    c.put(toKey, to);
    c.put("why", why);
    return c;
  }

  private static void write(Path file, String kind, String rules, List<Map<String, Object>> cases)
      throws IOException {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("format", 1);
    root.put("kind", kind);
    root.put("rules", rules);
    root.put("cases", cases);
    Files.writeString(file, AsciiJson.render(root), StandardCharsets.UTF_8);
  }

  private static Map<String, Object> id(String value, boolean valid, String why) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("value", value);
    c.put("valid", valid);
    c.put("why", why);
    return c;
  }

  private static Map<String, Object> hex(String utf8Hex, String why) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("utf8_hex", utf8Hex);
    c.put("valid", false);
    c.put("why", why);
    return c;
  }

  private static List<Map<String, Object>> invalidUtf8() {
    return List.of(
        hex("c0af", "invalid UTF-8: overlong 2-byte encoding of '/'"),
        hex("e080af", "invalid UTF-8: overlong 3-byte encoding of '/'"),
        hex("eda080", "invalid UTF-8: the surrogate U+D800 encoded alone"),
        hex("edbfbf", "invalid UTF-8: the surrogate U+DFFF encoded alone"),
        hex("e282", "invalid UTF-8: a 3-byte sequence truncated"),
        hex("61e282", "invalid UTF-8: truncated at the end after a valid 'a'"),
        hex("80", "invalid UTF-8: a lone continuation byte"),
        hex("f4908080", "invalid UTF-8: above U+10FFFF"),
        hex("ff", "invalid UTF-8: the byte FF never occurs"));
  }

  /** Room and subscription ids share one format, [A-Za-z0-9._:~-]{1,max}. */
  private static List<Map<String, Object>> asciiIds(int max, String letter) {
    List<Map<String, Object>> cases = new ArrayList<>();
    cases.add(id("", false, "length 0"));
    cases.add(id("a", true, "length 1"));
    cases.add(id("a".repeat(max), true, "length " + max + ", the maximum"));
    cases.add(id("a".repeat(max + 1), false, "length " + (max + 1) + ", one over the maximum"));
    cases.add(id("ABCDEFGHIJKLMNOPQRSTUVWXYZ", true, "upper-case letters"));
    cases.add(id("abcdefghijklmnopqrstuvwxyz", true, "lower-case letters"));
    cases.add(id("0123456789", true, "digits"));
    for (String punctuation : List.of(".", "_", ":", "~", "-")) {
      cases.add(id(punctuation, true, "'" + punctuation + "' alone: allowed punctuation, no special meaning"));
    }
    cases.add(id("..", true, "dots have no path meaning"));
    cases.add(id("doc:42.v~1-a_B", true, "every class mixed; ids are case-sensitive"));
    for (String bad : List.of(" ", "a b", "a/b", "a+b", "a%20b", "a@b", "a#b", "\t", "a\u0000b")) {
      cases.add(id(bad, false, "contains a character outside [A-Za-z0-9._:~-]"));
    }
    cases.add(id("\u00e9", false, "non-ASCII letter"));
    cases.add(id("\ud83d\ude00", false, "emoji"));
    cases.add(id("\u200b" + letter, false, "invisible U+200B is outside the set"));
    cases.addAll(invalidUtf8());
    return cases;
  }

  private static List<Map<String, Object>> userIds() {
    List<Map<String, Object>> cases = new ArrayList<>();
    cases.add(id("", false, "0 bytes"));
    cases.add(id("a", true, "1 byte"));
    cases.add(id("a".repeat(256), true, "256 bytes, the maximum"));
    cases.add(id("a".repeat(257), false, "257 bytes"));
    cases.add(id("\u00e9".repeat(128), true, "256 bytes in 128 two-byte characters"));
    cases.add(id("\u00e9".repeat(128) + "a", false, "257 bytes in 129 characters: the limit counts bytes"));
    cases.add(id("\u20ac".repeat(85) + "a", true, "256 bytes: 85 three-byte characters and one byte"));
    cases.add(id("\u20ac".repeat(85) + "\u00e9", false, "257 bytes: 85 three-byte characters and a two-byte one"));
    cases.add(id("\ud83d\ude00".repeat(64), true, "256 bytes in 64 four-byte emoji"));
    cases.add(id("\ud83d\ude00".repeat(64) + "a", false, "257 bytes"));
    cases.add(id("alice", true, "letters"));
    cases.add(id("Zo\u00eb", true, "non-ASCII letter"));
    cases.add(id("\u65e5\u672c\u8a9e", true, "CJK"));
    cases.add(id("alice@example.com", true, "punctuation is allowed"));
    cases.add(id("a b", true, "inner space: not only white space"));
    cases.add(id(" alice ", true, "leading and trailing space: no trimming, no normalization"));
    cases.add(id("\u00e9", true, "precomposed e-acute (NFC)"));
    cases.add(id("e\u0301", true, "decomposed e-acute (NFD): valid, and a different id from the NFC form"));
    cases.add(id("\ud83d\ude00", true, "emoji"));
    cases.add(id("\ud83d\udc69\u200d\ud83d\udc69\u200d\ud83d\udc67", true, "emoji ZWJ sequence"));
    cases.add(id("\ufffd", true, "U+FFFD REPLACEMENT CHARACTER is an ordinary character"));
    cases.add(id("\uffff", true, "U+FFFF is a noncharacter but valid UTF-8, not Cc, not White_Space"));
    for (int cp : WHITE_SPACE) {
      String ws = new String(Character.toChars(cp));
      String name = String.format("U+%04X", cp);
      boolean control = Character.getType(cp) == Character.CONTROL;
      cases.add(id(ws, false, name + " alone: only White_Space" + (control ? ", and Cc" : "")));
      cases.add(id(ws + "a", !control, control ? name + " + letter: Cc, although White_Space"
          : name + " + letter: not only White_Space"));
    }
    cases.add(id(" \u3000\u00a0", false, "several White_Space code points only"));
    for (int cp : new int[] {0x00, 0x1F, 0x7F, 0x80, 0x9F}) {
      String name = String.format("U+%04X", cp);
      cases.add(id(new String(Character.toChars(cp)), false, name + " alone: Cc"));
      cases.add(id("a" + new String(Character.toChars(cp)) + "b", false, name + " inside: Cc"));
    }
    for (int cp : new int[] {0x200B, 0xFEFF, 0x200D, 0x00AD, 0x180E, 0x2060}) {
      cases.add(id(new String(Character.toChars(cp)), true,
          String.format("U+%04X alone: a format character, neither White_Space nor Cc", cp)));
    }
    cases.addAll(invalidUtf8());
    return cases;
  }

  private static List<Map<String, Object>> states() {
    List<Map<String, Object>> cases = new ArrayList<>();
    cases.add(state("empty", "{}", Struct.getDefaultInstance(), "the empty object is a state of size 0"));
    cases.add(state("one-number", "{\"a\":1}", struct("a", number(1)), "a flat object has depth 1"));
    cases.add(state("cursor", "{\"cursor\":{\"x\":10,\"y\":20},\"selection\":[1,5],\"name\":\"Zo\u00eb\","
        + "\"typing\":true,\"focus\":null}", cursor(), "a typical state"));
    cases.add(state("object-in-object", "{\"a\":{\"b\":1}}", struct("a", obj(struct("b", number(1)))),
        "depth 2"));
    cases.add(state("list-in-object", "{\"a\":[1]}", struct("a", list(number(1))), "depth 2"));
    cases.add(state("empty-object-in-list", "{\"a\":[{}]}", struct("a", list(obj(Struct.getDefaultInstance()))),
        "depth 3: empty values count"));
    cases.add(state("empty-list-in-list", "{\"a\":[[]]}", struct("a", list(list())), "depth 3"));
    cases.add(state("empty-object", "{\"a\":{}}", struct("a", obj(Struct.getDefaultInstance())), "depth 2"));
    cases.add(state("empty-list", "{\"a\":[]}", struct("a", list()), "depth 2"));
    cases.add(state("nested-empties", "{\"a\":{\"b\":{\"c\":{}}}}",
        struct("a", obj(struct("b", obj(struct("c", obj(Struct.getDefaultInstance())))))), "depth 4"));
    Struct atLimit = blob(StateVerdicts.MAX_STATE_BYTES);
    cases.add(state("size-8192", json(atLimit), atLimit, "canonical size exactly max_state_bytes"));
    Struct overLimit = blob(StateVerdicts.MAX_STATE_BYTES + 1);
    cases.add(state("size-8193", json(overLimit), overLimit, "canonical size one over max_state_bytes"));
    cases.add(nonCanonical(atLimit));
    for (int depth : new int[] {32, 33}) {
      Struct objects = objects(depth);
      cases.add(state("objects-depth-" + depth, json(objects), objects, "objects nested to depth " + depth));
      Struct lists = lists(depth);
      cases.add(state("lists-depth-" + depth, json(lists), lists, "one object holding lists nested to depth "
          + depth));
    }
    Struct deepAndLarge = objects(33).toBuilder().putFields("blob", text("x".repeat(9000))).build();
    cases.add(state("deep-and-large", json(deepAndLarge), deepAndLarge,
        "too deep and too large: STATE_TOO_DEEP comes first (PRS-ERR-6)"));
    cases.add(state("unset-value", null, struct("a", Value.getDefaultInstance()),
        "a Value with no kind set (PRS-STA-8)"));
    cases.add(state("nan", null, struct("a", number(Double.NaN)), "NaN (PRS-STA-8)"));
    cases.add(state("plus-infinity", null, struct("a", number(Double.POSITIVE_INFINITY)), "+Infinity (PRS-STA-8)"));
    cases.add(state("minus-infinity", null, struct("a", number(Double.NEGATIVE_INFINITY)), "-Infinity (PRS-STA-8)"));
    cases.add(state("nan-in-list", null, struct("a", list(number(1), number(Double.NaN))),
        "NaN inside a list (PRS-STA-8)"));
    Struct invalidAndLarge = blob(9000).toBuilder().putFields("a", Value.getDefaultInstance()).build();
    cases.add(state("invalid-and-large", null, invalidAndLarge,
        "invalid and too large: INVALID_STATE comes first (PRS-ERR-6)"));
    cases.add(patched("invalid-utf8-key", struct("KEY", number(1)), "KEY", "c0af41",
        "invalid UTF-8 (overlong) in a key (PRS-STA-8, PRS-IDN-7)"));
    cases.add(patched("invalid-utf8-string", struct("a", text("VAL")), "VAL", "eda080",
        "invalid UTF-8 (encoded surrogate) in a string value (PRS-STA-8, PRS-IDN-7)"));
    return cases;
  }

  private static Map<String, Object> state(String name, String json, Struct state, String why) {
    return stateCase(name, json, state.toByteArray(), state.getSerializedSize(), StateVerdicts.depth(state), why);
  }

  private static Map<String, Object> stateCase(String name, String json, byte[] encoding, int canonicalSize,
      int depth, String why) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("name", name);
    if (json != null) {
      c.put("json", json);
    }
    c.put("struct_base64", Base64.getEncoder().encodeToString(encoding));
    c.put("canonical_size", canonicalSize);
    c.put("depth", depth);
    c.put("verdict", StateVerdicts.verdict(encoding));
    c.put("why", why);
    return c;
  }

  /** The map entry "blob" sent twice: protobuf keeps the last, so the canonical size is that of the state alone. */
  private static Map<String, Object> nonCanonical(Struct atLimit) {
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    wire.writeBytes(struct("blob", text("y".repeat(100))).toByteArray());
    wire.writeBytes(atLimit.toByteArray());
    return stateCase("non-canonical-duplicate-key", json(atLimit), wire.toByteArray(), atLimit.getSerializedSize(),
        1, "the encoding repeats the key 'blob' (the last entry wins), so it is longer than 8192 bytes; the "
            + "canonical size, which counts, is 8192 (PRS-STA-3)");
  }

  /** Replaces a same-length ASCII placeholder in a state's encoding with bytes no protobuf string may hold. */
  private static Map<String, Object> patched(String name, Struct state, String placeholder, String hex,
      String why) {
    byte[] bytes = state.toByteArray();
    byte[] from = placeholder.getBytes(StandardCharsets.US_ASCII);
    byte[] to = java.util.HexFormat.of().parseHex(hex);
    for (int i = 0; i + from.length <= bytes.length; i++) {
      if (java.util.Arrays.equals(bytes, i, i + from.length, from, 0, from.length)) {
        System.arraycopy(to, 0, bytes, i, to.length);
        return stateCase(name, null, bytes, state.getSerializedSize(), 1, why);
      }
    }
    throw new IllegalStateException("placeholder not found");
  }

  /** {"blob": "xxx..."} whose canonical encoding is exactly the given size. */
  private static Struct blob(int size) {
    int length = size;
    Struct s;
    do {
      s = struct("blob", text("x".repeat(length--)));
    } while (s.getSerializedSize() > size);
    if (s.getSerializedSize() != size) {
      throw new IllegalStateException("no blob state of size " + size);
    }
    return s;
  }

  private static Struct objects(int depth) {
    Struct s = struct("a", number(1));
    for (int i = 1; i < depth; i++) {
      s = struct("a", obj(s));
    }
    return s;
  }

  private static Struct lists(int depth) {
    Value v = list(number(1));
    for (int i = 2; i < depth; i++) {
      v = list(v);
    }
    return struct("a", v);
  }

  private static Struct cursor() {
    return Struct.newBuilder()
        .putFields("cursor", obj(Struct.newBuilder().putFields("x", number(10)).putFields("y", number(20)).build()))
        .putFields("selection", list(number(1), number(5)))
        .putFields("name", text("Zo\u00eb"))
        .putFields("typing", Value.newBuilder().setBoolValue(true).build())
        .putFields("focus", Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build())
        .build();
  }

  private static String json(Struct s) {
    try {
      return com.google.protobuf.util.JsonFormat.printer().omittingInsignificantWhitespace().print(s);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Struct struct(String key, Value value) {
    return Struct.newBuilder().putFields(key, value).build();
  }

  private static Value obj(Struct s) {
    return Value.newBuilder().setStructValue(s).build();
  }

  private static Value list(Value... values) {
    return Value.newBuilder().setListValue(ListValue.newBuilder().addAllValues(List.of(values))).build();
  }

  private static Value number(double n) {
    return Value.newBuilder().setNumberValue(n).build();
  }

  private static Value text(String s) {
    return Value.newBuilder().setStringValue(s).build();
  }

  private static List<Map<String, Object>> errorInfos() {
    return List.of(
        trailer("frame-too-large", Status.Code.RESOURCE_EXHAUSTED, "FRAME_TOO_LARGE",
            "frame of 655360 bytes exceeds max_inbound_frame_bytes 65536", Map.of()),
        trailer("unsupported-version", Status.Code.FAILED_PRECONDITION, "UNSUPPORTED_VERSION",
            "protocol_version 0 is not supported", Map.of("supported_versions", "1")),
        trailer("open-required", Status.Code.INVALID_ARGUMENT, "OPEN_REQUIRED", "the first frame must be open",
            Map.of()),
        trailer("malformed-frame", Status.Code.INVALID_ARGUMENT, "MALFORMED_FRAME",
            "the first frame is not a ConnectRequest", Map.of()),
        trailer("too-many-sessions", Status.Code.RESOURCE_EXHAUSTED, "TOO_MANY_SESSIONS",
            "max_sessions_per_user reached", Map.of()),
        trailer("idle-timeout", Status.Code.DEADLINE_EXCEEDED, "IDLE_TIMEOUT", "no frame for idle_timeout_millis",
            Map.of()),
        trailer("shutting-down", Status.Code.UNAVAILABLE, "SHUTTING_DOWN", "the server is draining", Map.of()));
  }

  private static Map<String, Object> trailer(String name, Status.Code code, String reason, String message,
      Map<String, String> metadata) {
    ErrorInfo info = ErrorInfo.newBuilder().setReason(reason).setDomain("presence.v1").putAllMetadata(metadata)
        .build();
    com.google.rpc.Status status = com.google.rpc.Status.newBuilder().setCode(code.value()).setMessage(message)
        .addDetails(Any.pack(info)).build();
    Map<String, Object> decodedInfo = new LinkedHashMap<>();
    decodedInfo.put("type_url", Any.pack(info).getTypeUrl());
    decodedInfo.put("reason", reason);
    decodedInfo.put("domain", "presence.v1");
    decodedInfo.put("metadata", new LinkedHashMap<>(metadata));
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("name", name);
    c.put("grpc_status_details_bin", Base64.getEncoder().withoutPadding().encodeToString(status.toByteArray()));
    c.put("code", code.name());
    c.put("code_number", code.value());
    c.put("message", message);
    c.put("error_info", decodedInfo);
    return c;
  }
}
