/**
 * The gRPC binding: the method descriptor with a pre-serialized response marshaller, the per-call
 * listener that validates {@code open} and hands frames to rooms, and the Netty server (plaintext or TLS,
 * optionally mutual) with keepalive
 * tuned to the advertised leave detection bound. Not an API.
 */
package dev.presence.server.transport;
