/**
 * Operational endpoints: gRPC health checking, server reflection, and Prometheus metrics served over HTTP
 * on their own port. Not an API.
 */
package dev.presence.server.ops;
