package dev.presence.conformance.client.server;

/** How a {@link KitCall} ended, as far as the kit's server can tell. */
public enum EndCause {
  /** The call has not ended. */
  OPEN,
  /** The client half-closed the call: a clean close (PRS-END-1). */
  CLIENT_HALF_CLOSE,
  /** The client sent {@code leave}; the kit then completed the call with OK. */
  CLIENT_LEAVE,
  /** The client cancelled the call while its connection stayed up. */
  CLIENT_CANCEL,
  /** The kit ended the call: a scripted status, a refused open, or an autopilot answer such as a fatal error. */
  SERVER_END,
  /** The connection under the call went away: a reset, a liveness timeout, or a kit restart. */
  TRANSPORT
}
