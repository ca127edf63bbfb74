package dev.presence.bench.driver.websocket;

import dev.presence.bench.driver.UserSession;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Opens a driver's WebSocket sessions over a few {@link HttpClient}s, at most one per processor, and closes
 * them all at the end. Each client has one selector thread for all its connections, and its executor runs
 * tasks on the calling thread, so listener callbacks run on the selector thread that read the message: the
 * JDK would otherwise hand every message to another thread, which cost about 40% more CPU per message than
 * decoding on the spot, and its default executor grows a thread per concurrent task.
 */
final class WebSocketConnector {
  private static final int MAX_HTTP_CLIENTS = 4;
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  /**
   * Opening handshakes at once. Thousands of simultaneous connects overflow a server's accept backlog (511
   * in Node), and the dropped SYNs come back only after TCP's retransmission backoff of seconds.
   */
  private static final int MAX_CONNECTS_IN_FLIGHT = 128;
  /** From the TCP connect to the protocol's own handshake. */
  private static final long READY_TIMEOUT_MILLIS = 30_000;
  /** How long {@link #close()} waits for closing handshakes; sessions abort themselves after one second. */
  private static final long CLOSE_ALL_TIMEOUT_MILLIS = 3_000;

  private final Faults faults;
  private final ScheduledExecutorService timer;
  private final HttpClient[] clients;
  private final AtomicInteger nextClient = new AtomicInteger();
  private final Set<WebSocketSession> sessions = ConcurrentHashMap.newKeySet();
  private final Queue<WaitingConnect> waitingConnects = new ConcurrentLinkedQueue<>();
  private final AtomicInteger connectsInFlight = new AtomicInteger();
  private volatile boolean closed;

  /** @param system the system's name, for thread names and log lines */
  WebSocketConnector(String system) {
    int processors = Runtime.getRuntime().availableProcessors();
    this.faults = new Faults(system);
    this.timer = Executors.newSingleThreadScheduledExecutor(daemonThreads(system + "-ws-timer-"));
    this.clients = new HttpClient[Math.min(processors, MAX_HTTP_CLIENTS)];
    for (int i = 0; i < clients.length; i++) {
      clients[i] = HttpClient.newBuilder().executor(Runnable::run).connectTimeout(CONNECT_TIMEOUT).build();
    }
  }

  /** @param pathAndQuery from the leading slash on, already encoded */
  static URI uri(String host, int port, String pathAndQuery) {
    String authority = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    return URI.create("ws://" + authority + ":" + port + pathAndQuery);
  }

  Faults faults() {
    return faults;
  }

  ScheduledExecutorService timer() {
    return timer;
  }

  /**
   * @param subprotocols offered in the opening handshake, most preferred first; may be empty
   * @return completes when the session's protocol says it is ready, or fails and closes the session
   */
  CompletableFuture<UserSession> connect(URI uri, List<String> subprotocols, WebSocketSession session) {
    if (closed) {
      return CompletableFuture.failedFuture(new IllegalStateException("driver is closed"));
    }
    sessions.add(session);
    session.terminated().whenComplete((v, e) -> sessions.remove(session));
    waitingConnects.add(new WaitingConnect(uri, subprotocols, session));
    startWaitingConnects();
    return session.ready().whenComplete((s, e) -> {
      if (e != null) {
        session.close();
      }
    });
  }

  /** Starts waiting connects while fewer than the limit are in flight; every change of either calls it. */
  private void startWaitingConnects() {
    while (!waitingConnects.isEmpty()) {
      int inFlight = connectsInFlight.get();
      if (inFlight >= MAX_CONNECTS_IN_FLIGHT) {
        return;
      }
      if (connectsInFlight.compareAndSet(inFlight, inFlight + 1)) {
        WaitingConnect next = waitingConnects.poll();
        if (next == null || !start(next)) {
          connectsInFlight.decrementAndGet();
        }
      }
    }
  }

  /** @return false if the session was closed while it waited */
  private boolean start(WaitingConnect connect) {
    WebSocketSession session = connect.session();
    CompletableFuture<UserSession> ready = session.ready();
    if (ready.isDone()) {
      session.abort();
      return false;
    }
    ready.orTimeout(READY_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS).whenComplete((s, e) -> {
      connectsInFlight.decrementAndGet();
      startWaitingConnects();
    });
    HttpClient client = clients[Math.floorMod(nextClient.getAndIncrement(), clients.length)];
    WebSocket.Builder builder = client.newWebSocketBuilder();
    List<String> subprotocols = connect.subprotocols();
    if (!subprotocols.isEmpty()) {
      builder.subprotocols(subprotocols.get(0), subprotocols.subList(1, subprotocols.size()).toArray(String[]::new));
    }
    builder.buildAsync(connect.uri(), session).whenComplete((ws, e) -> {
      if (e != null) {
        session.connectFailed(e);
      }
    });
    return true;
  }

  /** Closes every session, waits briefly for the closing handshakes, then stops the threads. */
  void close() {
    closed = true;
    List<CompletableFuture<Void>> ends = new ArrayList<>();
    for (WebSocketSession session : sessions) {
      session.close();
      ends.add(session.terminated());
    }
    try {
      CompletableFuture.allOf(ends.toArray(CompletableFuture[]::new))
          .get(CLOSE_ALL_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // Whatever did not close in time is aborted below.
    }
    sessions.forEach(WebSocketSession::abort);
    timer.shutdownNow();
  }

  private record WaitingConnect(URI uri, List<String> subprotocols, WebSocketSession session) {}

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
