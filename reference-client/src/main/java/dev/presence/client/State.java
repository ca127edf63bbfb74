package dev.presence.client;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * An immutable presence state: a freeform JSON object.
 *
 * <p>Typed getters read fields the way application code thinks of them: {@code state.cursor.x} is
 * {@code state.get("cursor").getDouble("x")}, or without exceptions {@code state.pathDouble("cursor.x")}.
 * Getters throw {@link NoSuchElementException} for a missing key and {@link IllegalStateException} for a value of
 * another JSON type. Numbers are JSON numbers, that is doubles.
 *
 * <p>Two states are equal when they hold the same JSON value. {@link #toString()} never shows the content, so
 * that a state cannot reach a log by accident.
 */
public final class State {
  private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();
  private static final State EMPTY = new State(Struct.getDefaultInstance());

  private final Struct struct;

  private State(Struct struct) {
    this.struct = struct;
  }

  /**
   * The empty object {@code {}}, a valid non-null state.
   *
   * @return the empty state
   */
  public static State empty() {
    return EMPTY;
  }

  /**
   * Wraps a protobuf Struct.
   *
   * @param struct the struct
   * @return the state
   */
  public static State of(Struct struct) {
    return new State(Objects.requireNonNull(struct, "struct"));
  }

  /**
   * Converts a map of plain Java values: null, Boolean, Number, CharSequence, Map with String keys, Iterable,
   * arrays of Object, and State.
   *
   * @param map the object's fields
   * @return the state
   * @throws IllegalArgumentException for a value of another type or a non-finite number
   */
  public static State of(Map<String, ?> map) {
    Objects.requireNonNull(map, "map");
    return new State(toStruct(map));
  }

  /**
   * Parses a JSON object.
   *
   * @param json the JSON text of an object
   * @return the state
   * @throws IllegalArgumentException if the text is not a JSON object
   */
  public static State fromJson(String json) {
    Struct.Builder b = Struct.newBuilder();
    try {
      JsonFormat.parser().merge(json, b);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("not a JSON object: " + e.getMessage(), e);
    }
    return new State(b.build());
  }

  /**
   * The protobuf form sent on the wire.
   *
   * @return the struct
   */
  public Struct toStruct() {
    return struct;
  }

  /**
   * The compact JSON text of this state.
   *
   * @return JSON text
   */
  public String toJson() {
    try {
      return PRINTER.print(struct);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The state as plain, unmodifiable Java values: Map, List, String, Double, Boolean and null.
   *
   * @return the fields in order
   */
  public Map<String, Object> toMap() {
    return structToMap(struct);
  }

  /**
   * The field names.
   *
   * @return the keys
   */
  public Set<String> keys() {
    return struct.getFieldsMap().keySet();
  }

  /**
   * Tells whether a field is present (a JSON null counts as present).
   *
   * @param key the field name
   * @return true if present
   */
  public boolean has(String key) {
    return struct.containsFields(key);
  }

  /**
   * Tells whether a field is absent or JSON null.
   *
   * @param key the field name
   * @return true if absent or null
   */
  public boolean isNull(String key) {
    Value v = struct.getFieldsMap().get(key);
    return v == null || v.getKindCase() == Value.KindCase.NULL_VALUE;
  }

  /**
   * A nested object.
   *
   * @param key the field name
   * @return the object as a state
   */
  public State get(String key) {
    Value v = require(key, Value.KindCase.STRUCT_VALUE);
    return new State(v.getStructValue());
  }

  /**
   * A number.
   *
   * @param key the field name
   * @return the number
   */
  public double getDouble(String key) {
    return require(key, Value.KindCase.NUMBER_VALUE).getNumberValue();
  }

  /**
   * A number with a default for a missing or non-number field.
   *
   * @param key the field name
   * @param fallback the value if absent or not a number
   * @return the number or fallback
   */
  public double getDouble(String key, double fallback) {
    Value v = struct.getFieldsMap().get(key);
    return v != null && v.getKindCase() == Value.KindCase.NUMBER_VALUE ? v.getNumberValue() : fallback;
  }

  /**
   * A number that must be integral.
   *
   * @param key the field name
   * @return the number as a long
   */
  public long getLong(String key) {
    double d = getDouble(key);
    if (d != Math.rint(d) || Double.isInfinite(d)) {
      throw new IllegalStateException("field '" + key + "' is not an integer");
    }
    return (long) d;
  }

  /**
   * A string.
   *
   * @param key the field name
   * @return the string
   */
  public String getString(String key) {
    return require(key, Value.KindCase.STRING_VALUE).getStringValue();
  }

  /**
   * A string with a default for a missing or non-string field.
   *
   * @param key the field name
   * @param fallback the value if absent or not a string
   * @return the string or fallback
   */
  public String getString(String key, String fallback) {
    Value v = struct.getFieldsMap().get(key);
    return v != null && v.getKindCase() == Value.KindCase.STRING_VALUE ? v.getStringValue() : fallback;
  }

  /**
   * A boolean.
   *
   * @param key the field name
   * @return the boolean
   */
  public boolean getBoolean(String key) {
    return require(key, Value.KindCase.BOOL_VALUE).getBoolValue();
  }

  /**
   * An array as plain Java values.
   *
   * @param key the field name
   * @return the unmodifiable list
   */
  public List<Object> getList(String key) {
    return listToJava(require(key, Value.KindCase.LIST_VALUE).getListValue());
  }

  /**
   * Follows a dotted path of object fields, like {@code "cursor.x"}.
   *
   * @param dottedPath field names separated by dots
   * @return the value as a plain Java value (Map, List, String, Double, Boolean), or empty if a step is missing,
   *     not an object, or the value is JSON null
   */
  public Optional<Object> path(String dottedPath) {
    Value v = walk(dottedPath);
    return v == null ? Optional.empty() : Optional.ofNullable(toJava(v));
  }

  /**
   * Follows a dotted path to a number.
   *
   * @param dottedPath field names separated by dots
   * @return the number, or empty if absent or not a number
   */
  public OptionalDouble pathDouble(String dottedPath) {
    Value v = walk(dottedPath);
    return v != null && v.getKindCase() == Value.KindCase.NUMBER_VALUE
        ? OptionalDouble.of(v.getNumberValue())
        : OptionalDouble.empty();
  }

  /**
   * Follows a dotted path to a string.
   *
   * @param dottedPath field names separated by dots
   * @return the string, or empty if absent or not a string
   */
  public Optional<String> pathString(String dottedPath) {
    Value v = walk(dottedPath);
    return v != null && v.getKindCase() == Value.KindCase.STRING_VALUE
        ? Optional.of(v.getStringValue())
        : Optional.empty();
  }

  /**
   * The size this state counts against {@code max_state_bytes}: its protobuf encoding.
   *
   * @return size in bytes
   */
  public int serializedSize() {
    return struct.getSerializedSize();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof State s && s.struct.equals(struct);
  }

  @Override
  public int hashCode() {
    return struct.hashCode();
  }

  @Override
  public String toString() {
    return "State[" + struct.getFieldsCount() + " fields]";
  }

  private Value walk(String dottedPath) {
    Objects.requireNonNull(dottedPath, "dottedPath");
    Struct current = struct;
    String[] parts = dottedPath.split("\\.", -1);
    for (int i = 0; i < parts.length; i++) {
      Value v = current.getFieldsMap().get(parts[i]);
      if (v == null) {
        return null;
      }
      if (i == parts.length - 1) {
        return v.getKindCase() == Value.KindCase.NULL_VALUE ? null : v;
      }
      if (v.getKindCase() != Value.KindCase.STRUCT_VALUE) {
        return null;
      }
      current = v.getStructValue();
    }
    return null;
  }

  private Value require(String key, Value.KindCase kind) {
    Value v = struct.getFieldsMap().get(key);
    if (v == null) {
      throw new NoSuchElementException("no field '" + key + "'");
    }
    if (v.getKindCase() != kind) {
      throw new IllegalStateException("field '" + key + "' is " + v.getKindCase() + ", not " + kind);
    }
    return v;
  }

  private static Struct toStruct(Map<?, ?> map) {
    Struct.Builder b = Struct.newBuilder();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      if (!(e.getKey() instanceof String key)) {
        throw new IllegalArgumentException("object keys must be strings");
      }
      b.putFields(key, toValue(e.getValue()));
    }
    return b.build();
  }

  private static Value toValue(Object o) {
    if (o == null) {
      return Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build();
    }
    if (o instanceof Value v) {
      return v;
    }
    if (o instanceof State s) {
      return Value.newBuilder().setStructValue(s.struct).build();
    }
    if (o instanceof Struct s) {
      return Value.newBuilder().setStructValue(s).build();
    }
    if (o instanceof Boolean b) {
      return Value.newBuilder().setBoolValue(b).build();
    }
    if (o instanceof Number n) {
      double d = n.doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw new IllegalArgumentException("JSON numbers must be finite");
      }
      return Value.newBuilder().setNumberValue(d).build();
    }
    if (o instanceof CharSequence s) {
      return Value.newBuilder().setStringValue(s.toString()).build();
    }
    if (o instanceof Map<?, ?> m) {
      return Value.newBuilder().setStructValue(toStruct(m)).build();
    }
    if (o instanceof Object[] arr) {
      return toValue(List.of(arr));
    }
    if (o instanceof Iterable<?> it) {
      ListValue.Builder lb = ListValue.newBuilder();
      for (Object x : it) {
        lb.addValues(toValue(x));
      }
      return Value.newBuilder().setListValue(lb).build();
    }
    throw new IllegalArgumentException("not a JSON value: " + o.getClass().getName());
  }

  private static Map<String, Object> structToMap(Struct s) {
    Map<String, Object> m = new LinkedHashMap<>();
    s.getFieldsMap().forEach((k, v) -> m.put(k, toJava(v)));
    return Collections.unmodifiableMap(m);
  }

  private static List<Object> listToJava(ListValue l) {
    List<Object> out = new ArrayList<>(l.getValuesCount());
    for (Value v : l.getValuesList()) {
      out.add(toJava(v));
    }
    return Collections.unmodifiableList(out);
  }

  private static Object toJava(Value v) {
    return switch (v.getKindCase()) {
      case STRUCT_VALUE -> structToMap(v.getStructValue());
      case LIST_VALUE -> listToJava(v.getListValue());
      case STRING_VALUE -> v.getStringValue();
      case NUMBER_VALUE -> v.getNumberValue();
      case BOOL_VALUE -> v.getBoolValue();
      case NULL_VALUE, KIND_NOT_SET -> null;
    };
  }
}
