/**
 * Fan-out of live events: per-subscriber coalescing of the latest event per user, flushed at most once
 * per throttle window and only when the call accepts writes, with batches serialized once and shared
 * between the sessions that receive identical bytes (PRS-THR-*, PRS-EVT-*, PRS-MEM-*). Not an API.
 */
package dev.presence.server.fanout;
