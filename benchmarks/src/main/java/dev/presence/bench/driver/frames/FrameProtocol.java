package dev.presence.bench.driver.frames;

import dev.presence.bench.driver.CursorState;
import dev.presence.protocol.v1.ConnectResponse;

/**
 * A session's protocol over frames that come back as {@code ConnectResponse}s: how it opens, what it does
 * with frames other than presence batches, and how a state is encoded. Stateless, so one instance serves
 * every session of a driver; the transport is the {@link FrameLink}'s business.
 */
public interface FrameProtocol {
  /**
   * Sends whatever starts the handshake; the session becomes ready when a later frame says so.
   *
   * @param link the session, connected or queueing until it is
   * @param roomId its room
   * @param user its user number
   */
  void begin(FrameLink link, String roomId, int user);

  /**
   * Handles a frame that is not a presence batch: handshake steps, pings, errors, the end of the session.
   *
   * @param link the session that got it
   * @param frame the frame
   */
  void onControl(FrameLink link, ConnectResponse frame);

  /** @param state a state @return the frame that carries it */
  byte[] encode(CursorState state);
}
