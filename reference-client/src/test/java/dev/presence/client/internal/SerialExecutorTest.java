package dev.presence.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SerialExecutorTest {

  @Test
  void runsTasksOneAtATimeInOrderOnAThreadPool() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      SerialExecutor serial = new SerialExecutor(pool);
      List<Integer> order = new CopyOnWriteArrayList<>();
      AtomicInteger inside = new AtomicInteger();
      AtomicBoolean overlap = new AtomicBoolean();
      CountDownLatch done = new CountDownLatch(1);
      for (int i = 0; i < 2_000; i++) {
        int n = i;
        serial.execute(() -> {
          if (inside.incrementAndGet() != 1) {
            overlap.set(true);
          }
          order.add(n);
          if (n % 500 == 0) {
            throw new IllegalStateException("a failing task must not stop the queue");
          }
          inside.decrementAndGet();
        });
        if (n % 500 == 0) {
          // The failing task above skipped its decrement; restore the count from a follow-up task.
          serial.execute(inside::decrementAndGet);
        }
      }
      serial.execute(done::countDown);
      assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(overlap).isFalse();
      assertThat(order).hasSize(2_000);
      for (int i = 0; i < order.size(); i++) {
        assertThat(order.get(i)).isEqualTo(i);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
