package dev.presence.clientadapter;

import dev.presence.conformance.adapter.v1.Command;
import dev.presence.conformance.adapter.v1.ConnectionState;
import dev.presence.conformance.adapter.v1.Failure;
import dev.presence.conformance.adapter.v1.Report;
import dev.presence.conformance.client.SdkFeature;
import dev.presence.conformance.adapter.v1.Result;
import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.NullReason;
import dev.presence.protocol.v1.PresenceBatch;
import dev.presence.protocol.v1.PresenceEvent;
import io.grpc.ClientInterceptor;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Deliberately faulty variants of the Java adapter, each breaking one client rule of SPEC.md, which the kit's
 * client mode must catch under that rule. Each is the real client with a fault put in front of it: interceptors
 * that change frames on the wire, a filter that changes what the application is told, or a change to how the
 * adapter carries out a command. {@link FaultyJavaAdapter} runs one as a process.
 */
enum FaultyClient {

  /** Leading edge only: an update within W of the last one it passed on never reaches the client. */
  NO_TRAILING_EDGE(List.of("PRS-THC-3"), "drops an update set within W of the last one, so the last state is lost") {
    private final AtomicLong lastPassedNanos = new AtomicLong();

    @Override
    List<ClientInterceptor> interceptors(FaultyJavaAdapter adapter) {
      return List.of(window);
    }

    @Override
    boolean command(FaultyJavaAdapter adapter, Command c) {
      if (!c.hasUpdate()) {
        return false;
      }
      long now = System.nanoTime();
      long last = lastPassedNanos.get();
      if (last != 0 && now - last < window.nanos()) {
        adapter.tell(ok(c));
        return true;
      }
      lastPassedNanos.set(now);
      return false;
    }
  },

  /** Every update_state goes out twice, back to back. */
  TWO_SENDS_WITHIN_W(List.of("PRS-THC-1"), "sends every update_state twice") {
    @Override
    List<ClientInterceptor> interceptors(FaultyJavaAdapter adapter) {
      return List.of(new FaultyFrames() {
        @Override
        List<ConnectRequest> outbound(Session session, ConnectRequest frame) {
          return frame.hasUpdateState() ? List.of(frame, frame) : List.of(frame);
        }
      });
    }
  },

  /** A sync whose snapshot_complete has not arrived is told about live events as if its target were confirmed. */
  LIVE_BEFORE_SNAPSHOT_COMPLETE(List.of("PRS-EVT-3"), "applies live events to a sync before its snapshot_complete") {
    @Override
    List<ClientInterceptor> interceptors(FaultyJavaAdapter adapter) {
      Set<String> unconfirmed = ConcurrentHashMap.newKeySet();
      return List.of(new FaultyFrames() {
        @Override
        List<ConnectRequest> outbound(Session session, ConnectRequest frame) {
          if (frame.hasSubscribe()) {
            unconfirmed.add(adapter.syncOf(frame.getSubscribe().getSubscriptionId()));
          } else if (frame.hasUnsubscribe()) {
            unconfirmed.remove(adapter.syncOf(frame.getUnsubscribe().getSubscriptionId()));
          }
          return List.of(frame);
        }

        @Override
        List<ConnectResponse> inbound(Session session, ConnectResponse frame) {
          if (frame.hasSnapshotComplete()) {
            unconfirmed.remove(adapter.syncOf(frame.getSnapshotComplete().getSubscriptionId()));
          } else if (frame.hasPresence()) {
            for (PresenceEvent e : frame.getPresence().getEventsList()) {
              if (e.getSubscriptionIdsCount() == 0) {
                unconfirmed.forEach(sync -> adapter.tellChange(sync, e));
              }
            }
          }
          return List.of(frame);
        }
      });
    }
  },

  /** Every null the server sends, live or tagged, is told to every sync, whether it held that user or not. */
  NULL_TO_EVERY_SYNC(List.of("PRS-EVT-8"), "reports every null event to every sync") {
    @Override
    List<ClientInterceptor> interceptors(FaultyJavaAdapter adapter) {
      return List.of(new FaultyFrames() {
        @Override
        List<ConnectResponse> inbound(Session session, ConnectResponse frame) {
          for (PresenceEvent e : frame.getPresence().getEventsList()) {
            if (!e.hasState()) {
              adapter.syncs().forEach(sync -> adapter.tellChange(sync, e));
            }
          }
          return List.of(frame);
        }
      });
    }
  },

  /** The application reconnects, with the same token, whenever the client gives up on UNAUTHENTICATED. */
  RETRIES_AFTER_UNAUTHENTICATED(List.of("PRS-RCN-1", "PRS-RCN-3"),
      "connects a new client with the same token after a close with UNAUTHENTICATED") {
    private final AtomicInteger retries = new AtomicInteger();

    @Override
    List<Report> report(FaultyJavaAdapter adapter, Report r) {
      if (r.hasConnection() && r.getConnection().getState() == ConnectionState.CONNECTION_STATE_CLOSED
          && r.getConnection().getCause().getCode().equals("UNAUTHENTICATED")
          && retries.incrementAndGet() <= MAX_REPLACEMENTS) {
        adapter.replaceClient();
      }
      return List.of(r);
    }
  },

  /**
   * The application replaces its client at once whenever a session ends with UNAVAILABLE: no backoff at all. The new
   * client is asked for the syncs, follows and state the old one had, so that it fails on its waits only.
   */
  NO_BACKOFF(List.of("PRS-RCN-1", "PRS-RCN-4"),
      "replaces the client at once whenever a session ends with UNAVAILABLE, again and again") {
    private final AtomicInteger retries = new AtomicInteger();

    @Override
    List<ClientInterceptor> interceptors(FaultyJavaAdapter adapter) {
      return List.of(new FaultyFrames() {
        // The client reports only its first RECONNECTING, so the fault watches the calls themselves.
        @Override
        void closed(Session session, Status status) {
          if (status.getCode() == Status.Code.UNAVAILABLE && retries.incrementAndGet() <= MAX_REPLACEMENTS) {
            adapter.replaceClient();
          }
        }
      });
    }
  },

  /** After a reconnection the application is never told that a user is gone. */
  GHOSTS_AFTER_RECONNECT(List.of("PRS-RCN-2"), "drops every null change once the client has reconnected") {
    private final AtomicBoolean reconnected = new AtomicBoolean();

    @Override
    List<Report> report(FaultyJavaAdapter adapter, Report r) {
      if (r.hasConnection() && r.getConnection().getState() == ConnectionState.CONNECTION_STATE_RECONNECTING) {
        reconnected.set(true);
      }
      boolean ghost = reconnected.get() && r.hasChange() && !r.getChange().hasState();
      return ghost ? List.of() : List.of(r);
    }
  },

  /** Declares CAPABILITY_PING, as the client does, but its pongs never leave. */
  UNANSWERED_PING(List.of("PRS-LIV-5", "PRS-LIV-3"), "drops every pong") {
    @Override
    List<ClientInterceptor> interceptors(FaultyJavaAdapter adapter) {
      return List.of(new FaultyFrames() {
        @Override
        List<ConnectRequest> outbound(Session session, ConnectRequest frame) {
          return frame.hasPong() ? List.of() : List.of(frame);
        }
      });
    }
  },

  /** Declares CAPABILITY_DRAIN, as the client does, but never hears the server's draining, so it never moves. */
  IGNORES_DRAINING(List.of("PRS-DRN-6", "PRS-DRN-7", "PRS-DRN-9"), "drops every draining frame") {
    @Override
    List<ClientInterceptor> interceptors(FaultyJavaAdapter adapter) {
      return List.of(new FaultyFrames() {
        @Override
        List<ConnectResponse> inbound(Session session, ConnectResponse frame) {
          return frame.hasDraining() ? List.of() : List.of(frame);
        }
      });
    }
  },

  /** A server frame of a kind the proto it was built from lacks takes the whole process down. */
  CRASH_ON_UNKNOWN_FRAME(List.of("PRS-EVO-3"), "exits on a server frame of an unknown kind") {
    @Override
    List<ClientInterceptor> interceptors(FaultyJavaAdapter adapter) {
      return List.of(new FaultyFrames() {
        @Override
        List<ConnectResponse> inbound(Session session, ConnectResponse frame) {
          if (frame.getFrameCase() == ConnectResponse.FrameCase.FRAME_NOT_SET) {
            System.err.println("unknown server frame, giving up");
            Runtime.getRuntime().halt(70);
          }
          return List.of(frame);
        }
      });
    }
  },

  /** The bearer token rides along in Open.client_agent too. */
  TOKEN_IN_FRAME(List.of("PRS-TRN-3"), "copies the token into Open.client_agent") {
    @Override
    List<ClientInterceptor> interceptors(FaultyJavaAdapter adapter) {
      return List.of(new FaultyFrames() {
        @Override
        List<ConnectRequest> outbound(Session session, ConnectRequest frame) {
          String auth = session.authorization();
          if (!frame.hasOpen() || auth == null) {
            return List.of(frame);
          }
          String token = auth.startsWith("Bearer ") ? auth.substring("Bearer ".length()) : auth;
          return List.of(frame.toBuilder().setOpen(frame.getOpen().toBuilder()
              .setClientAgent(frame.getOpen().getClientAgent() + " token/" + token)).build());
        }
      });
    }
  },

  /** A null whose null_reason this build's proto does not define never reaches the client. */
  UNKNOWN_NULL_REASON_DROPPED(List.of("PRS-EVO-4"), "drops null events whose null_reason it does not know") {
    @Override
    List<ClientInterceptor> interceptors(FaultyJavaAdapter adapter) {
      return List.of(new FaultyFrames() {
        @Override
        List<ConnectResponse> inbound(Session session, ConnectResponse frame) {
          if (!frame.hasPresence()) {
            return List.of(frame);
          }
          List<PresenceEvent> known = frame.getPresence().getEventsList().stream()
              .filter(e -> e.hasState() || e.getNullReason() != NullReason.UNRECOGNIZED).toList();
          return known.isEmpty() ? List.of() : List.of(ConnectResponse.newBuilder()
              .setPresence(PresenceBatch.newBuilder().addAllEvents(known)).build());
        }
      });
    }
  },

  /** Logs every state the application sets and every state it is told, to stderr. */
  STATES_IN_THE_LOG(List.of("PRS-PRV-1"), "logs every state it is given", "PRS-EVO-4") {
    @Override
    boolean command(FaultyJavaAdapter adapter, Command c) {
      if (c.hasUpdate()) {
        System.err.println("update " + c.getUpdate().getState());
      }
      return false;
    }

    @Override
    List<Report> report(FaultyJavaAdapter adapter, Report r) {
      if (r.hasChange() && r.getChange().hasState()) {
        System.err.println("change for " + r.getChange().getUserId() + ": " + r.getChange().getState());
      }
      return List.of(r);
    }
  },

  /** On a replacing session the follows go out after the subscribes instead of before them. */
  FOLLOWS_AFTER_SUBSCRIBES(List.of("PRS-RCN-8"), "restores subscriptions before follows after a reconnect") {
    @Override
    List<ClientInterceptor> interceptors(FaultyJavaAdapter adapter) {
      return List.of(new FaultyFrames() {
        private final ConcurrentHashMap<Integer, List<ConnectRequest>> held = new ConcurrentHashMap<>();

        @Override
        List<ConnectRequest> outbound(Session session, ConnectRequest frame) {
          if (session.index() == 0) {
            return List.of(frame);
          }
          List<ConnectRequest> follows = held.computeIfAbsent(session.index(), i -> new ArrayList<>());
          synchronized (follows) {
            if (frame.hasFollow()) {
              follows.add(frame);
              return List.of();
            }
            if (!frame.hasSubscribe() || follows.isEmpty()) {
              return List.of(frame);
            }
            List<ConnectRequest> late = new ArrayList<>(List.of(frame));
            late.addAll(follows);
            follows.clear();
            return late;
          }
        }

        @Override
        void halfClosing(Session session) {
          List<ConnectRequest> follows = held.getOrDefault(session.index(), List.of());
          synchronized (follows) {
            follows.forEach(session::send);
            follows.clear();
          }
        }
      });
    }
  },

  /**
   * Not a fault: an SDK with the seed's API and no more. It ends all syncs at once and tells the application nothing
   * of its connection or of membership, and says so in its hello; the kit must judge it without holding that
   * against it.
   */
  SEED_ONLY(List.of(), "offers only the seed's API: no per-sync unsync, no connection or membership reports") {
    @Override
    List<Report> report(FaultyJavaAdapter adapter, Report r) {
      if (r.hasHello()) {
        return List.of(r.toBuilder().setHello(r.getHello().toBuilder().addUnsupported(SdkFeature.UNSYNC_ONE)
            .addUnsupported(SdkFeature.CONNECTION_STATES).addUnsupported(SdkFeature.MEMBERS)).build());
      }
      return r.hasConnection() || r.hasMember() ? List.of() : List.of(r);
    }

    @Override
    boolean command(FaultyJavaAdapter adapter, Command c) {
      if (!c.hasUnsync() || c.getUnsync().getSync().isEmpty()) {
        return false;
      }
      adapter.tell(Report.newBuilder().setResult(Result.newBuilder().setId(c.getId())
          .setFailure(Failure.newBuilder().setMessage("this SDK ends all syncs at once"))).build());
      return true;
    }
  },

  /** A clear that comes within W of the last update_state waits for the window like a state would. */
  CLEAR_WAITS_FOR_WINDOW(List.of("PRS-THC-4"), "holds a clear until W after the last update_state") {
    @Override
    List<ClientInterceptor> interceptors(FaultyJavaAdapter adapter) {
      ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "faulty-clear");
        t.setDaemon(true);
        return t;
      });
      ConcurrentHashMap<Integer, Long> lastUpdateNanos = new ConcurrentHashMap<>();
      return List.of(window, new FaultyFrames() {
        @Override
        List<ConnectRequest> outbound(Session session, ConnectRequest frame) {
          long now = System.nanoTime();
          if (frame.hasUpdateState()) {
            lastUpdateNanos.put(session.index(), now);
          } else if (frame.hasClearState() && lastUpdateNanos.containsKey(session.index())) {
            long wait = lastUpdateNanos.get(session.index()) + window.nanos() - now;
            if (wait > 0) {
              timer.schedule(() -> session.send(frame), wait, TimeUnit.NANOSECONDS);
              return List.of();
            }
          }
          return List.of(frame);
        }
      });
    }
  };

  /** Bounds the replacements of the reconnecting faults, so a refusing server does not meet a hot loop forever. */
  static final int MAX_REPLACEMENTS = 8;

  /** The throttle window the server advertised, for the faults that need it (one variant per process). */
  final WindowWatch window = new WindowWatch();
  private final List<String> rules;
  private final String description;
  private final List<String> carriers;

  FaultyClient(List<String> rules, String description, String... carriers) {
    this.rules = rules;
    this.description = description;
    this.carriers = List.of(carriers);
  }

  /** The rules that catch this fault; the first is the one it breaks most directly. */
  List<String> rules() {
    return rules;
  }

  /** The rules to run for this fault: its own, plus those whose cases give it something to break. */
  List<String> selection() {
    List<String> all = new ArrayList<>(rules);
    all.addAll(carriers);
    return all;
  }

  String description() {
    return description;
  }

  /** Interceptors on the client's channel; none keeps the client's own channel. */
  List<ClientInterceptor> interceptors(FaultyJavaAdapter adapter) {
    return List.of();
  }

  /** Changes what the application is told: the reports to write instead of {@code r}. */
  List<Report> report(FaultyJavaAdapter adapter, Report r) {
    return List.of(r);
  }

  /** Steps into one command: true when the fault answered it itself, false to let the adapter carry it out. */
  boolean command(FaultyJavaAdapter adapter, Command c) {
    return false;
  }

  static Report ok(Command c) {
    return Report.newBuilder().setResult(Result.newBuilder().setId(c.getId())).build();
  }

  /** Reads the throttle window from the server's opened; W = 50 ms until then, as PRS-THC-1 says. */
  static final class WindowWatch extends FaultyFrames {
    private volatile long nanos = TimeUnit.MILLISECONDS.toNanos(50);

    long nanos() {
      return nanos;
    }

    @Override
    List<ConnectResponse> inbound(Session session, ConnectResponse frame) {
      if (frame.hasOpened() && frame.getOpened().getLimits().getThrottleWindowMillis() > 0) {
        nanos = TimeUnit.MILLISECONDS.toNanos(frame.getOpened().getLimits().getThrottleWindowMillis());
      }
      return List.of(frame);
    }
  }
}
