package dev.presence.client.internal;

import dev.presence.client.PresenceException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The session's follow set (SPEC §10) as three things: the follows the application wants, the follows the server
 * has acknowledged, and the futures of requests still waiting for their answer.
 *
 * <p>Only acknowledged follows count for routing (PRS-EVT-3): the server applies frames in order, so a follow
 * covers live events exactly from its ack on. A future completes on the ack or error naming its request id. A
 * request made while no session is open is sent when one opens; across a reconnect the wanted follows are sent
 * again and waiting futures ride on the new requests.
 *
 * <p>Confined to the client lock.
 */
final class FollowTracker {
  private final RequestIds requestIds;
  private final Set<String> wanted = new LinkedHashSet<>();
  private final Set<String> confirmed = new HashSet<>();
  private final Map<Long, Request> inFlight = new HashMap<>();
  private final List<Request> unsent = new ArrayList<>();

  FollowTracker(RequestIds requestIds) {
    this.requestIds = requestIds;
  }

  /**
   * Records a follow or unfollow and sends it on the open session, if any.
   *
   * @param session the open session, or null to send it when one opens
   * @param future completes on the server's answer
   */
  void request(String userId, boolean follow, CompletableFuture<Void> future, SessionCall session) {
    if (follow) {
      wanted.add(userId);
    } else {
      wanted.remove(userId);
    }
    Request request = new Request(userId, follow);
    request.futures.add(future);
    if (session != null) {
      send(session, request);
    } else {
      unsent.add(request);
    }
  }

  private void send(SessionCall session, Request request) {
    long id = requestIds.next();
    inFlight.put(id, request);
    session.send(Frames.follow(id, request.userId, request.follow));
  }

  boolean isConfirmed(String userId) {
    return confirmed.contains(userId);
  }

  Set<String> confirmed() {
    return Set.copyOf(confirmed);
  }

  /**
   * Settles the request an ack names.
   *
   * @return false if the ack is not for a follow or unfollow
   */
  boolean onAck(long requestId, List<Runnable> after) {
    Request request = inFlight.remove(requestId);
    if (request == null) {
      return false;
    }
    if (request.follow) {
      confirmed.add(request.userId);
    } else {
      confirmed.remove(request.userId);
    }
    request.complete(after);
    return true;
  }

  /**
   * Fails the request a protocol error names.
   *
   * @return false if the error is not about a follow or unfollow
   */
  boolean onError(long requestId, PresenceException error, List<Runnable> after) {
    if (requestId == 0) {
      return false;
    }
    Request request = inFlight.remove(requestId);
    if (request == null) {
      return false;
    }
    if (request.follow) {
      // Refused, so it must not come back on the next reconnect either.
      wanted.remove(request.userId);
    }
    for (CompletableFuture<Void> f : request.futures) {
      after.add(() -> f.completeExceptionally(error));
    }
    return true;
  }

  /** The session ended: answers to requests in flight will never come, so they wait for the next session. */
  void sessionLost() {
    unsent.addAll(inFlight.values());
    inFlight.clear();
  }

  /**
   * Rebuilds the follow set on a new session, which starts with an empty one. Call before restoring the
   * subscriptions, so that a restored {@code following} snapshot covers every follow.
   */
  void restore(SessionCall session, List<Runnable> after) {
    confirmed.clear();
    Map<String, Request> resent = new HashMap<>();
    for (String userId : wanted) {
      Request request = new Request(userId, true);
      send(session, request);
      resent.put(userId, request);
    }
    for (Request old : unsent) {
      Request replacement = old.follow ? resent.get(old.userId) : null;
      if (replacement != null) {
        replacement.futures.addAll(old.futures);
      } else {
        // An empty follow set is what an unfollow asked for; a follow a later unfollow superseded is settled too.
        old.complete(after);
      }
    }
    unsent.clear();
  }

  void failAll(PresenceException cause, List<Runnable> after) {
    List<Request> all = new ArrayList<>(inFlight.values());
    all.addAll(unsent);
    inFlight.clear();
    unsent.clear();
    for (Request request : all) {
      for (CompletableFuture<Void> f : request.futures) {
        after.add(() -> f.completeExceptionally(cause));
      }
    }
  }

  private static final class Request {
    final String userId;
    final boolean follow;
    final List<CompletableFuture<Void>> futures = new ArrayList<>(1);

    Request(String userId, boolean follow) {
      this.userId = userId;
      this.follow = follow;
    }

    void complete(List<Runnable> after) {
      for (CompletableFuture<Void> f : futures) {
        after.add(() -> f.complete(null));
      }
    }
  }
}
