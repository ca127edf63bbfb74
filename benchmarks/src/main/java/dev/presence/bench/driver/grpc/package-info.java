/**
 * Drivers for the gRPC systems: the presence server and the ceiling relay. Both share one implementation
 * (channels on a shared event loop group, raw-bytes calls with manual inbound flow control, the frame
 * decoder and the state encoder) and differ only in their {@code SessionProtocol}.
 */
package dev.presence.bench.driver.grpc;
