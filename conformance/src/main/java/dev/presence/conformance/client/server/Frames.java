package dev.presence.conformance.client.server;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.ExtensionRegistryLite;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.UnknownFieldSet;
import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.ConnectResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Encoding helpers: decoding what clients send, and the unknown fields and frame kinds the kit sends on purpose. */
final class Frames {

  /** An unused field number in every presence.v1 message, written as a varint. */
  static final int UNKNOWN_VARINT_FIELD = 1999;
  /** An unused field number in every presence.v1 message, written as length-delimited bytes. */
  static final int UNKNOWN_BYTES_FIELD = 2000;
  /** A ConnectResponse field number no frame kind uses yet, as a later minor revision might add (PRS-EVO-3). */
  static final int UNKNOWN_FRAME_FIELD = 15;

  // States may be as deep as a server allows, and each level costs protobuf three nested messages, so the default
  // limit of 100 would call a legal deep state undecodable.
  private static final int RECURSION_LIMIT = 10_000;

  private static final UnknownFieldSet UNKNOWN = UnknownFieldSet.newBuilder()
      .addField(UNKNOWN_VARINT_FIELD, UnknownFieldSet.Field.newBuilder().addVarint(424242).build())
      .addField(UNKNOWN_BYTES_FIELD, UnknownFieldSet.Field.newBuilder()
          .addLengthDelimited(ByteString.copyFrom("kit-unknown", StandardCharsets.UTF_8)).build())
      .build();

  private Frames() {}

  static ConnectRequest parseRequest(byte[] raw) throws InvalidProtocolBufferException {
    CodedInputStream in = CodedInputStream.newInstance(raw);
    in.setRecursionLimit(RECURSION_LIMIT);
    try {
      return ConnectRequest.parseFrom(in, ExtensionRegistryLite.getEmptyRegistry());
    } catch (InvalidProtocolBufferException e) {
      throw e;
    } catch (IOException e) {
      throw new InvalidProtocolBufferException(e);
    }
  }

  static ConnectResponse parseResponse(byte[] raw) throws InvalidProtocolBufferException {
    CodedInputStream in = CodedInputStream.newInstance(raw);
    in.setRecursionLimit(RECURSION_LIMIT);
    try {
      return ConnectResponse.parseFrom(in, ExtensionRegistryLite.getEmptyRegistry());
    } catch (InvalidProtocolBufferException e) {
      throw e;
    } catch (IOException e) {
      throw new InvalidProtocolBufferException(e);
    }
  }

  /** Returns the frame's encoding followed by two unknown top-level fields. */
  static byte[] withTrailingUnknownFields(ConnectResponse frame) {
    return frame.toBuilder().mergeUnknownFields(UNKNOWN).build().toByteArray();
  }

  /**
   * Returns the frame with unknown fields in every presence.v1 message inside it, so that a client that rejects
   * them anywhere shows (PRS-EVO-2). google.protobuf types are left alone: they belong to the state, which must
   * arrive exactly as set.
   */
  static byte[] withUnknownFieldsEverywhere(ConnectResponse frame) {
    return enrich(frame).toByteArray();
  }

  /** Returns a ConnectResponse whose only field is one no frame kind uses. */
  static byte[] unknownFrameKind() {
    UnknownFieldSet set = UnknownFieldSet.newBuilder()
        .addField(UNKNOWN_FRAME_FIELD, UnknownFieldSet.Field.newBuilder()
            .addLengthDelimited(ByteString.copyFrom(new byte[] {0x08, 0x01, 0x12, 0x03, 'k', 'i', 't'})).build())
        .build();
    return set.toByteArray();
  }

  @SuppressWarnings("unchecked")
  private static <M extends Message> M enrich(M message) {
    if (message.getDescriptorForType().getFile().getPackage().startsWith("google.protobuf")) {
      return message;
    }
    Message.Builder builder = message.toBuilder();
    for (Map.Entry<FieldDescriptor, Object> field : message.getAllFields().entrySet()) {
      FieldDescriptor fd = field.getKey();
      if (fd.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
        continue;
      }
      if (fd.isRepeated()) {
        List<Object> enriched = new ArrayList<>();
        for (Object item : (List<?>) field.getValue()) {
          enriched.add(enrich((Message) item));
        }
        builder.setField(fd, enriched);
      } else {
        builder.setField(fd, enrich((Message) field.getValue()));
      }
    }
    builder.mergeUnknownFields(UNKNOWN);
    return (M) builder.build();
  }
}
