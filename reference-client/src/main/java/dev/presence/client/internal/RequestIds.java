package dev.presence.client.internal;

/**
 * Request ids for the frames the server answers by id (subscribe, follow, unfollow). One sequence serves all of
 * them so that an ack or error names exactly one request. Confined to the client lock.
 */
final class RequestIds {
  private long next = 1;

  long next() {
    return next++;
  }
}
