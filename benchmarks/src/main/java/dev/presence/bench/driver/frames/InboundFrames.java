package dev.presence.bench.driver.frames;

import dev.presence.bench.driver.Receiver;
import dev.presence.protocol.v1.ConnectResponse;
import java.io.IOException;

/**
 * One session's inbound side: the states of presence batches go straight to the receiver, decoded in
 * place; every other frame is parsed and handed to the protocol. Not thread-safe: a session's frames
 * arrive serially.
 */
public final class InboundFrames {
  private final FrameDecoder decoder = new FrameDecoder();
  private final FrameProtocol protocol;
  private final FrameLink link;
  private final Receiver receiver;

  /**
   * @param protocol handles control frames
   * @param link the session the frames arrive on
   * @param receiver gets the states
   */
  public InboundFrames(FrameProtocol protocol, FrameLink link, Receiver receiver) {
    this.protocol = protocol;
    this.link = link;
    this.receiver = receiver;
  }

  /** @param frame one whole {@code ConnectResponse}; one that does not decode fails the link */
  public void accept(byte[] frame) {
    try {
      if (!decoder.decodePresence(frame, receiver)) {
        protocol.onControl(link, ConnectResponse.parseFrom(frame));
      }
    } catch (IOException e) {
      link.fail("undecodable frame");
    }
  }
}
