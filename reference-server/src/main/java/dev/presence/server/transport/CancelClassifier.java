package dev.presence.server.transport;

import dev.presence.server.session.SessionEnd;
import io.grpc.ServerCall;

/**
 * Tells a cancel caused by the server's own keepalive (the peer stopped answering: TIMED_OUT) from one
 * the peer caused by cancelling, closing or resetting (LEFT), as PRS-END-3 requires. gRPC reports both
 * as a plain cancel.
 */
interface CancelClassifier {
  /** @param call the cancelled call @return how the session ended */
  SessionEnd classify(ServerCall<?, ?> call);
}
