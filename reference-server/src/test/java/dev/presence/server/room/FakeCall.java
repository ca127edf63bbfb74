package dev.presence.server.room;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.server.fanout.Frame;
import dev.presence.server.session.CallHandle;
import dev.presence.server.support.FakeTime;
import dev.presence.server.session.CallStatus;
import java.util.ArrayList;
import java.util.List;

/** Records what a room writes to one session, with the fake time of each write. */
final class FakeCall implements CallHandle {
  final List<Sent> sent = new ArrayList<>();
  final List<byte[]> rawFrames = new ArrayList<>();
  private final FakeTime time;
  boolean ready = true;
  int requested;
  CallStatus closedWith;

  FakeCall(FakeTime time) {
    this.time = time;
  }

  record Sent(long at, ConnectResponse frame) {}

  @Override
  public void send(Frame frame) {
    try {
      rawFrames.add(frame.bytes());
      sent.add(new Sent(time.nowMillis(), ConnectResponse.parseFrom(frame.bytes())));
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError("server wrote an unparsable frame", e);
    }
  }

  @Override
  public boolean isReady() {
    return ready;
  }

  @Override
  public void requestNext() {
    requested++;
  }

  @Override
  public void close(CallStatus status) {
    closedWith = status;
  }

  List<Sent> presenceFrames() {
    return sent.stream().filter(s -> s.frame().hasPresence()).toList();
  }

  void clear() {
    sent.clear();
    rawFrames.clear();
  }
}
