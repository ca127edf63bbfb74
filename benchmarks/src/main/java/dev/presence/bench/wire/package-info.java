/** gRPC plumbing shared by the ceiling relay and the drivers: methods that carry raw bytes. */
package dev.presence.bench.wire;
