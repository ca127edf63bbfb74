/** Operational endpoints: gRPC health checking and server reflection. Not an API. */
package dev.presence.server.ops;
