package dev.presence.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.DefaultEventLoop;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SerialExecutorTest {
  private final DefaultEventLoop loop = new DefaultEventLoop();
  private final ExecutorService elsewhere = Executors.newSingleThreadExecutor();

  @AfterEach
  void stop() {
    loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    elsewhere.shutdownNow();
  }

  @Test
  void anIdleExecutorRunsATaskAtOnceOnItsLoopAndQueuesWhatThatTaskSubmits() throws Exception {
    SerialExecutor serial = new SerialExecutor(loop);
    List<String> order = new CopyOnWriteArrayList<>();
    loop.submit(() -> {
      serial.executeNowIfIdle(() -> {
        order.add("first");
        serial.executeNowIfIdle(() -> order.add("third"));
        order.add("second");
      });
      order.add("after the call");
    }).get(5, TimeUnit.SECONDS);
    loop.submit(() -> { }).get(5, TimeUnit.SECONDS);

    assertThat(order).containsExactly("first", "second", "after the call", "third");
  }

  @Test
  void fromAnotherThreadOrBehindQueuedTasksItQueuesInOrder() throws Exception {
    SerialExecutor serial = new SerialExecutor(loop);
    List<String> order = new CopyOnWriteArrayList<>();
    elsewhere.submit(() -> serial.executeNowIfIdle(() -> order.add("from elsewhere"))).get(5, TimeUnit.SECONDS);
    loop.submit(() -> {
      serial.execute(() -> order.add("queued"));
      serial.executeNowIfIdle(() -> order.add("behind the queued one"));
      order.add("after the calls");
    }).get(5, TimeUnit.SECONDS);
    loop.submit(() -> { }).get(5, TimeUnit.SECONDS);
    loop.submit(() -> { }).get(5, TimeUnit.SECONDS);

    assertThat(order).containsExactly("from elsewhere", "after the calls", "queued", "behind the queued one");
  }

  @Test
  void aFailingTaskRunAtOnceLeavesTheExecutorUsable() throws Exception {
    SerialExecutor serial = new SerialExecutor(loop);
    List<String> order = new CopyOnWriteArrayList<>();
    loop.submit(() -> serial.executeNowIfIdle(() -> {
      throw new IllegalStateException("a failing task must not wedge the executor");
    })).get(5, TimeUnit.SECONDS);
    loop.submit(() -> serial.executeNowIfIdle(() -> order.add("next"))).get(5, TimeUnit.SECONDS);

    assertThat(order).containsExactly("next");
  }
}
