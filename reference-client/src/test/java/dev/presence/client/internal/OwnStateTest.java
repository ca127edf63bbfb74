package dev.presence.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.presence.client.State;
import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.Limits;
import io.grpc.stub.ClientCallStreamObserver;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The own state over session changes, on the manual clock and scheduler of {@link UpdateThrottleTest}, with a
 * session whose writes the test can slow down, so that "the clock moved while a frame was being written" is a
 * step of the test instead of a scheduling accident.
 */
class OwnStateTest {

  record Written(long at, double n) {}

  private final UpdateThrottleTest.ManualTime time = new UpdateThrottleTest.ManualTime();
  private final List<Written> wire = new ArrayList<>();
  // How far the clock moves while the next frame is written (a slow write, or this thread losing the CPU).
  private long nextWriteTakesMillis;
  private SessionCall open;
  private final OwnState own = new OwnState(() -> time.now, time, () -> open);

  private SessionCall session() {
    SessionCall s = new SessionCall(new SessionCall.Events() {
      @Override
      public void onFrame(SessionCall call, ConnectResponse frame) { }

      @Override
      public void onEnded(SessionCall call, Throwable error) { }
    }, Credentials.none(0));
    s.beforeStart(new ClientCallStreamObserver<>() {
      @Override
      public void onNext(ConnectRequest frame) {
        assertThat(frame.getFrameCase()).isEqualTo(ConnectRequest.FrameCase.UPDATE_STATE);
        wire.add(new Written(time.now, State.of(frame.getUpdateState().getState()).getDouble("n")));
        // Moves the clock without running timers: the write itself takes this long.
        time.now += nextWriteTakesMillis;
        nextWriteTakesMillis = 0;
      }

      @Override
      public void onError(Throwable t) { }

      @Override
      public void onCompleted() { }

      @Override
      public void cancel(String message, Throwable cause) { }

      @Override
      public boolean isReady() {
        return true;
      }

      @Override
      public void setOnReadyHandler(Runnable onReadyHandler) { }

      @Override
      public void disableAutoInboundFlowControl() { }

      @Override
      public void request(int count) { }

      @Override
      public void setMessageCompression(boolean enable) { }
    });
    return s;
  }

  private static Struct n(double n) {
    return Struct.newBuilder().putFields("n", Value.newBuilder().setNumberValue(n).build()).build();
  }

  private static Limits window(int millis) {
    return Limits.newBuilder().setThrottleWindowMillis(millis).setMaxStateBytes(8192).build();
  }

  @Test
  void theWindowOfTheStateResentOnOpenStartsWhenItIsSentNotAfterTheWrite() {
    // Set while there is no session: nothing can go out yet.
    own.set(n(1));
    assertThat(wire).isEmpty();
    SessionCall s = session();
    open = s;
    nextWriteTakesMillis = 30;
    own.onOpened(s, ServerLimits.of(window(200)));
    assertThat(wire).containsExactly(new Written(1_000, 1));
    time.advance(70);
    own.set(n(2));
    assertThat(wire).hasSize(1);
    // PRS-THC-3: the pending state goes out when W has passed since the resend at 1000, that is at 1200; a
    // window stamped after the 30 ms write would hold it until 1230.
    time.advance(100);
    assertThat(wire).containsExactly(new Written(1_000, 1), new Written(1_200, 2));
  }
}
