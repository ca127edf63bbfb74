package dev.presence.conformance.transcript;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.ErrorInfo;
import dev.presence.conformance.driver.WireFormat;
import dev.presence.conformance.history.EndKind;
import dev.presence.conformance.history.History;
import dev.presence.conformance.history.Observation;
import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.PresenceEvent;
import dev.presence.protocol.v1.PresenceServiceGrpc;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.protobuf.StatusProto;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;

/**
 * One transcript session: a {@code Connect} call whose requests are plain bytes, so that a transcript can send
 * malformed and oversized frames, and whose responses become a stream of {@link Item}s with presence frames
 * flattened into their events. Everything is also recorded in a {@link History} for failure traces.
 */
final class WireSession {

  private static final MethodDescriptor<byte[], ConnectResponse> CONNECT =
      PresenceServiceGrpc.getConnectMethod().toBuilder(WireFormat.bytes(),
          ProtoUtils.marshaller(ConnectResponse.getDefaultInstance())).build();

  private final String name;
  private final History history;
  private final ClientCall<byte[], ConnectResponse> call;
  private final LinkedBlockingDeque<Item> inbox = new LinkedBlockingDeque<>();
  private volatile boolean ended;
  private volatile boolean cancelledByKit;

  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private WireSession(String name, Channel channel, Metadata headers, History history) {
    this.name = name;
    this.history = history;
    this.call = channel.newCall(CONNECT, CallOptions.DEFAULT);
    call.start(new Listener(), headers);
    call.request(Integer.MAX_VALUE);
  }

  /** Starts the call without credentials in its metadata; nothing is sent yet. */
  static WireSession start(String name, Channel channel, History history) {
    return new WireSession(name, channel, new Metadata(), history);
  }

  /** Starts the call with {@code authorization: Bearer TOKEN} (PRS-TRN-3); nothing is sent yet. */
  static WireSession start(String name, Channel channel, String bearerToken, History history) {
    Metadata headers = new Metadata();
    headers.put(AUTHORIZATION, "Bearer " + bearerToken);
    return new WireSession(name, channel, headers, history);
  }

  synchronized void send(byte[] frame) {
    if (ended) {
      return;
    }
    try {
      history.append(new Observation.Sent(history.now(), name, ConnectRequest.parseFrom(frame)));
    } catch (InvalidProtocolBufferException undecodable) {
      // A malformed frame on purpose: the trace shows the kit's line instead.
    }
    call.sendMessage(frame);
  }

  synchronized void halfClose() {
    if (!ended) {
      history.append(new Observation.KitEnded(history.now(), name, EndKind.HALF_CLOSE));
      call.halfClose();
    }
  }

  synchronized void cancel() {
    if (!ended) {
      history.append(new Observation.KitEnded(history.now(), name, EndKind.CANCEL));
      cancelledByKit = true;
      call.cancel("cancelled by the transcript", null);
    }
  }

  /** Returns the next item, waiting at most the timeout, or empty. */
  Optional<Item> next(Duration timeout) throws InterruptedException {
    return Optional.ofNullable(inbox.pollFirst(timeout.toNanos(), TimeUnit.NANOSECONDS));
  }

  /** Puts back an item that an optional expectation did not want. */
  void unread(Item item) {
    inbox.addFirst(item);
  }

  /** Returns the items received and not yet read. */
  java.util.List<Item> unreadItems() {
    return java.util.List.copyOf(inbox);
  }

  /** One thing a session receives: a frame other than presence, one presence event, or the end of the call. */
  sealed interface Item {}

  /** @param frame a frame other than presence */
  record FrameItem(ConnectResponse frame) implements Item {}

  /** @param event one event of a presence frame */
  record EventItem(PresenceEvent event) implements Item {}

  /** @param end the end of the call */
  record EndItem(Observation.Ended end) implements Item {}

  private final class Listener extends ClientCall.Listener<ConnectResponse> {
    @Override
    public void onMessage(ConnectResponse frame) {
      history.append(new Observation.Received(history.now(), name, frame));
      if (frame.hasPresence()) {
        frame.getPresence().getEventsList().forEach(e -> inbox.add(new EventItem(e)));
      } else {
        inbox.add(new FrameItem(frame));
      }
    }

    @Override
    public void onClose(Status status, Metadata trailers) {
      ended = true;
      Optional<ErrorInfo> info = errorInfo(status, trailers);
      Observation.Ended end = new Observation.Ended(history.now(), name, status.getCode(),
          info.map(ErrorInfo::getReason).orElse(""), info.map(ErrorInfo::getMetadataMap).orElse(Map.of()),
          status.getDescription() == null ? "" : status.getDescription());
      history.append(end);
      if (!cancelledByKit) {
        inbox.add(new EndItem(end)); // the CANCELLED of the kit's own cancel is no expectation's business
      }
    }
  }

  private static Optional<ErrorInfo> errorInfo(Status status, Metadata trailers) {
    com.google.rpc.Status details = StatusProto.fromStatusAndTrailers(status, trailers);
    if (details == null) {
      return Optional.empty();
    }
    return details.getDetailsList().stream().filter(any -> any.is(ErrorInfo.class)).map(any -> {
      try {
        return any.unpack(ErrorInfo.class);
      } catch (InvalidProtocolBufferException e) {
        return ErrorInfo.getDefaultInstance();
      }
    }).filter(i -> i.getDomain().equals("presence.v1")).findFirst();
  }
}
