package dev.presence.bench.driver.grpc;

import dev.presence.bench.driver.CursorState;
import dev.presence.protocol.v1.ConnectResponse;
import io.grpc.MethodDescriptor;

/** What differs between the gRPC systems: the method, the handshake and the encoding of a state. */
interface SessionProtocol {
  /** @return the bidirectional method a session is one call of */
  MethodDescriptor<byte[], byte[]> method();

  /**
   * Sends whatever starts the handshake; the session becomes ready when a later frame says so.
   *
   * @param session the session, started
   * @param roomId its room
   * @param user its user number
   */
  void begin(GrpcSession session, String roomId, int user);

  /**
   * Handles a frame that is not a presence batch: handshake steps, pings, errors.
   *
   * @param session the session that got it
   * @param frame the frame
   */
  void onControl(GrpcSession session, ConnectResponse frame);

  /** @param state a state @return the message that carries it */
  byte[] encode(CursorState state);
}
