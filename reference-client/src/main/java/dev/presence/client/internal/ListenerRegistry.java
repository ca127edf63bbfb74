package dev.presence.client.internal;

import dev.presence.client.Subscription;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Application listeners of one kind (connection or membership) and their registrations. A change reaches the
 * listeners registered when it happened, never ones registered later; a closed registration hears nothing more
 * once {@link Subscription#close()} returns.
 *
 * @param <L> the listener type
 */
final class ListenerRegistry<L> {
  private final CallbackDispatcher dispatcher;
  private final List<Registration> registrations = new CopyOnWriteArrayList<>();

  ListenerRegistry(CallbackDispatcher dispatcher) {
    this.dispatcher = dispatcher;
  }

  Subscription register(L listener) {
    Registration r = new Registration(Objects.requireNonNull(listener, "listener"));
    registrations.add(r);
    return r;
  }

  /** Posts one call per listener registered now, in registration order. */
  void post(Consumer<L> call) {
    List<Registration> targets = List.copyOf(registrations);
    dispatcher.post(() -> callEach(targets, call));
  }

  /** Calls every listener registered now, on the calling thread; for use inside a dispatcher callback. */
  void callNow(Consumer<L> call) {
    callEach(registrations, call);
  }

  private void callEach(List<Registration> targets, Consumer<L> call) {
    for (Registration r : targets) {
      if (r.active) {
        CallbackDispatcher.runGuarded(() -> call.accept(r.listener));
      }
    }
  }

  private final class Registration implements Subscription {
    final L listener;
    volatile boolean active = true;

    Registration(L listener) {
      this.listener = listener;
    }

    @Override
    public void close() {
      active = false;
      registrations.remove(this);
      dispatcher.barrier();
    }

    @Override
    public boolean isActive() {
      return active && !dispatcher.isClosed();
    }
  }
}
