/**
 * Drivers for the gRPC systems: the presence server's gRPC binding and the ceiling relay. Both share one
 * implementation (channels on a shared event loop group, raw-bytes calls with manual inbound flow control)
 * and differ only in their method and {@link dev.presence.bench.driver.frames.FrameProtocol}.
 */
package dev.presence.bench.driver.grpc;
