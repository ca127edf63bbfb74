package dev.presence.server.transport;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.ExtensionRegistryLite;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.WireFormat;
import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.Open;
import dev.presence.protocol.v1.Subscribe;
import dev.presence.protocol.v1.SyncTarget;
import dev.presence.protocol.v1.UpdateState;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Decodes, field by field, a frame the generated parser refused. Protobuf refuses a whole frame for invalid
 * UTF-8 in any string, but PRS-IDN-7 gives each field its own answer; this decoder turns such a string into
 * a value the usual checks answer with that field's reason:
 *
 * <ul>
 *   <li>{@code Open.room_id}, {@code Open.dev_user_id}, and the user ids of {@code SyncTarget}, {@code Follow}
 *       and {@code Unfollow}: empty, which is never valid (INVALID_ROOM_ID, UNAUTHENTICATED, INVALID_USER_ID);
 *   <li>{@code dev_display_name}, {@code client_agent} and subscription ids: invalid sequences become U+FFFD,
 *       which no subscription id may contain (INVALID_SUBSCRIPTION_ID);
 *   <li>keys and strings of a state: each invalid byte becomes the lone surrogate U+DC00 + byte
 *       ("surrogateescape"), which no valid UTF-8 decodes to, so the state check sees INVALID_STATE while
 *       distinct keys stay distinct.
 * </ul>
 *
 * <p>A state is decoded down to one level below max_state_depth; what lies deeper is skipped unread, since
 * that level alone already decides STATE_TOO_DEEP. Recursion is thereby bounded whatever the frame nests.
 * Any other wire-format error still throws: the frame is malformed (PRS-TRN-9). Valid frames never come here.
 */
final class LenientFrameDecoder {
  private static final int VARINT = WireFormat.WIRETYPE_VARINT;
  private static final int LEN = WireFormat.WIRETYPE_LENGTH_DELIMITED;
  private static final int FIXED64 = WireFormat.WIRETYPE_FIXED64;

  private final int maxStateDepth;

  LenientFrameDecoder(int maxStateDepth) {
    this.maxStateDepth = maxStateDepth;
  }

  ConnectRequest decode(byte[] bytes) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(bytes);
    ConnectRequest.Builder frame = ConnectRequest.newBuilder();
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (tag) {
        case 1 << 3 | VARINT -> frame.setRequestId(in.readUInt64());
        case 2 << 3 | LEN -> nested(in, () -> open(in, frame.getOpenBuilder()));
        case 3 << 3 | LEN -> nested(in, () -> updateState(in, frame.getUpdateStateBuilder()));
        case 4 << 3 | LEN -> in.readMessage(frame.getClearStateBuilder(), ExtensionRegistryLite.getEmptyRegistry());
        case 5 << 3 | LEN -> nested(in, () -> subscribe(in, frame.getSubscribeBuilder()));
        case 6 << 3 | LEN ->
            nested(in, () -> onlyString(in, Strings.REPLACED, frame.getUnsubscribeBuilder()::setSubscriptionId));
        case 7 << 3 | LEN -> nested(in, () -> onlyString(in, Strings.EMPTY, frame.getFollowBuilder()::setUserId));
        case 8 << 3 | LEN -> nested(in, () -> onlyString(in, Strings.EMPTY, frame.getUnfollowBuilder()::setUserId));
        case 9 << 3 | LEN -> in.readMessage(frame.getLeaveBuilder(), ExtensionRegistryLite.getEmptyRegistry());
        case 10 << 3 | LEN -> in.readMessage(frame.getPingBuilder(), ExtensionRegistryLite.getEmptyRegistry());
        case 11 << 3 | LEN -> in.readMessage(frame.getPongBuilder(), ExtensionRegistryLite.getEmptyRegistry());
        default -> skip(in, tag);
      }
    }
    return frame.build();
  }

  private static void open(CodedInputStream in, Open.Builder open) throws IOException {
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (tag) {
        case 1 << 3 | LEN -> open.setRoomId(Strings.EMPTY.decode(in.readBytes()));
        case 2 << 3 | VARINT -> open.setProtocolVersion(in.readUInt32());
        case 3 << 3 | VARINT -> open.addCapabilitiesValue(in.readEnum());
        case 3 << 3 | LEN -> nested(in, () -> {
          while (!in.isAtEnd()) {
            open.addCapabilitiesValue(in.readEnum());
          }
        });
        case 4 << 3 | LEN -> open.setDevUserId(Strings.EMPTY.decode(in.readBytes()));
        case 5 << 3 | LEN -> open.setDevDisplayName(Strings.REPLACED.decode(in.readBytes()));
        case 6 << 3 | LEN -> open.setClientAgent(Strings.REPLACED.decode(in.readBytes()));
        default -> skip(in, tag);
      }
    }
  }

  private static void subscribe(CodedInputStream in, Subscribe.Builder subscribe) throws IOException {
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (tag) {
        case 1 << 3 | LEN -> subscribe.setSubscriptionId(Strings.REPLACED.decode(in.readBytes()));
        case 2 << 3 | LEN -> nested(in, () -> target(in, subscribe.getTargetBuilder()));
        default -> skip(in, tag);
      }
    }
  }

  private static void target(CodedInputStream in, SyncTarget.Builder target) throws IOException {
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (tag) {
        case 1 << 3 | LEN -> in.readMessage(target.getAllUsersBuilder(), ExtensionRegistryLite.getEmptyRegistry());
        case 2 << 3 | LEN ->
            in.readMessage(target.getFollowedUsersBuilder(), ExtensionRegistryLite.getEmptyRegistry());
        case 3 << 3 | LEN -> target.setUserId(Strings.EMPTY.decode(in.readBytes()));
        default -> skip(in, tag);
      }
    }
  }

  /** Unsubscribe, Follow and Unfollow: one string, field 1. */
  private static void onlyString(CodedInputStream in, Strings policy, Consumer<String> setter) throws IOException {
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (tag == (1 << 3 | LEN)) {
        setter.accept(policy.decode(in.readBytes()));
      } else {
        skip(in, tag);
      }
    }
  }

  private void updateState(CodedInputStream in, UpdateState.Builder update) throws IOException {
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (tag == (1 << 3 | LEN)) {
        Struct.Builder state = Struct.newBuilder();
        nested(in, () -> struct(in, state, 1));
        update.mergeState(state.build());
      } else {
        skip(in, tag);
      }
    }
  }

  private void struct(CodedInputStream in, Struct.Builder struct, int depth) throws IOException {
    if (depth > maxStateDepth) {
      in.skipRawBytes(in.getBytesUntilLimit());
      return;
    }
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (tag == (1 << 3 | LEN)) {
        nested(in, () -> entry(in, struct, depth));
      } else {
        skip(in, tag);
      }
    }
  }

  private void entry(CodedInputStream in, Struct.Builder struct, int depth) throws IOException {
    String key = "";
    Value.Builder value = Value.newBuilder();
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (tag == (1 << 3 | LEN)) {
        key = Strings.SURROGATE_ESCAPED.decode(in.readBytes());
      } else if (tag == (2 << 3 | LEN)) {
        nested(in, () -> value(in, value, depth));
      } else {
        skip(in, tag);
      }
    }
    struct.putFields(key, value.build());
  }

  /** @param depth the depth of the Struct or ListValue holding this value */
  private void value(CodedInputStream in, Value.Builder value, int depth) throws IOException {
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (tag) {
        case 1 << 3 | VARINT -> value.setNullValueValue(in.readEnum());
        case 2 << 3 | FIXED64 -> value.setNumberValue(in.readDouble());
        case 3 << 3 | LEN -> value.setStringValue(Strings.SURROGATE_ESCAPED.decode(in.readBytes()));
        case 4 << 3 | VARINT -> value.setBoolValue(in.readBool());
        case 5 << 3 | LEN -> {
          Struct.Builder inner = Struct.newBuilder();
          nested(in, () -> struct(in, inner, depth + 1));
          value.mergeStructValue(inner.build());
        }
        case 6 << 3 | LEN -> {
          ListValue.Builder inner = ListValue.newBuilder();
          nested(in, () -> list(in, inner, depth + 1));
          value.mergeListValue(inner.build());
        }
        default -> skip(in, tag);
      }
    }
  }

  private void list(CodedInputStream in, ListValue.Builder list, int depth) throws IOException {
    if (depth > maxStateDepth) {
      in.skipRawBytes(in.getBytesUntilLimit());
      return;
    }
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (tag == (1 << 3 | LEN)) {
        Value.Builder value = Value.newBuilder();
        nested(in, () -> value(in, value, depth));
        list.addValues(value.build());
      } else {
        skip(in, tag);
      }
    }
  }

  private interface Body {
    void read() throws IOException;
  }

  /** Reads a length-delimited message body in place. */
  private static void nested(CodedInputStream in, Body body) throws IOException {
    int outer = in.pushLimit(in.readRawVarint32());
    body.read();
    in.popLimit(outer);
  }

  /** Skips an unknown field, as protobuf does; a stray end-group tag makes the frame malformed, as there. */
  private static void skip(CodedInputStream in, int tag) throws IOException {
    if (!in.skipField(tag)) {
      throw new InvalidProtocolBufferException("unexpected end-group tag");
    }
  }

  /** What a string field with invalid UTF-8 becomes. */
  private enum Strings {
    EMPTY {
      @Override
      String invalid(ByteString bytes) {
        return "";
      }
    },
    REPLACED {
      @Override
      String invalid(ByteString bytes) {
        return bytes.toString(StandardCharsets.UTF_8);
      }
    },
    SURROGATE_ESCAPED {
      @Override
      String invalid(ByteString bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = bytes.asReadOnlyByteBuffer();
        // UTF-8 never takes fewer bytes than UTF-16 takes chars, and an escape is one char per byte.
        CharBuffer out = CharBuffer.allocate(bytes.size());
        CoderResult result = decoder.decode(in, out, true);
        while (result.isError()) {
          for (int i = 0; i < result.length(); i++) {
            out.put((char) (0xDC00 | (in.get() & 0xFF)));
          }
          result = decoder.decode(in, out, true);
        }
        decoder.flush(out);
        return out.flip().toString();
      }
    };

    String decode(ByteString bytes) {
      return bytes.isValidUtf8() ? bytes.toStringUtf8() : invalid(bytes);
    }

    abstract String invalid(ByteString bytes);
  }
}
