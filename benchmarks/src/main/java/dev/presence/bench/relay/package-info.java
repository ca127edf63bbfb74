/**
 * The ceiling relay: a minimal gRPC relay with no presence logic, run as the upper bound the presence
 * server's fan-out is compared against.
 */
package dev.presence.bench.relay;
