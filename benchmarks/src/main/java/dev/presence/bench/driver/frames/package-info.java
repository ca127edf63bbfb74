/**
 * presence.v1 frames as the load generator speaks them, whatever carries them: the session protocol (open,
 * subscribe, answer pings, read the end), the state encoder and the in-place decoder of presence batches.
 * The gRPC and WebSocket drivers share all of it and add only their transport.
 */
package dev.presence.bench.driver.frames;
