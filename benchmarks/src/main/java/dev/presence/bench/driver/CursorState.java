package dev.presence.bench.driver;

/**
 * One cursor update as the load generator sends it. Every system under test carries these fields in its
 * own encoding, about 64 bytes on the wire.
 *
 * @param user the sender's number, unique across all rooms of a run
 * @param seq the sender's update counter, from 0, one per send
 * @param sentAtNanos the sender's {@link System#nanoTime()} when it sent; sender and receivers share the
 *     load generator's process, so receivers subtract it from their own clock
 * @param x cursor x, in pixels
 * @param y cursor y, in pixels
 */
public record CursorState(int user, long seq, long sentAtNanos, double x, double y) {}
