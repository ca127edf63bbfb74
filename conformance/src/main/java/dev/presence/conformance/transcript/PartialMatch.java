package dev.presence.conformance.transcript;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.Struct;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Whether a received message has every field an expectation sets. Fields the expectation leaves unset (proto3
 * defaults included) do not matter; a state ({@code google.protobuf.Struct}) is a value and must be equal as a
 * whole; repeated fields must have the same elements, messages among them matched in any order.
 */
final class PartialMatch {

  private PartialMatch() {}

  static boolean matches(Message expected, Message actual) {
    if (expected instanceof Struct) {
      return expected.equals(actual);
    }
    for (Map.Entry<FieldDescriptor, Object> e : expected.getAllFields().entrySet()) {
      FieldDescriptor field = e.getKey();
      if (field.isRepeated()) {
        if (!repeatedMatch(field, (List<?>) e.getValue(), (List<?>) actual.getField(field))) {
          return false;
        }
      } else if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
        if (!actual.hasField(field) || !matches((Message) e.getValue(), (Message) actual.getField(field))) {
          return false;
        }
      } else if (!e.getValue().equals(actual.getField(field))) {
        return false;
      }
    }
    return true;
  }

  private static boolean repeatedMatch(FieldDescriptor field, List<?> expected, List<?> actual) {
    if (expected.size() != actual.size()) {
      return false;
    }
    if (field.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
      return expected.equals(actual);
    }
    List<Object> unmatched = new ArrayList<>(actual);
    for (Object want : expected) {
      if (!unmatched.removeIf(new FirstMatch((Message) want)::test)) {
        return false;
      }
    }
    return true;
  }

  /** Accepts only the first element that matches, so that each expected element consumes one received. */
  private static final class FirstMatch {
    private final Message want;
    private boolean used;

    FirstMatch(Message want) {
      this.want = want;
    }

    boolean test(Object candidate) {
      if (!used && matches(want, (Message) candidate)) {
        used = true;
        return true;
      }
      return false;
    }
  }
}
