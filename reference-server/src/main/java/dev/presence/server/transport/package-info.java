/**
 * The two bindings of presence.v1 (§2) on one set of Netty event loops. {@code SessionCall} is a call of either
 * binding until its {@code open} is accepted (PRS-OPN-*), and both decode frames with one
 * {@code RequestDecoder}. gRPC: the method descriptor with a pre-serialized response marshaller, the per-call
 * listener, and the Netty server (plaintext or TLS, optionally mutual) with liveness probes tuned to the
 * advertised leave detection bound. WebSocket: the HTTP/1.1 server with its handshake checks and health
 * endpoints, and the per-connection call with manual flow control, Ping probes and {@code session_end}. Not an
 * API.
 */
package dev.presence.server.transport;
