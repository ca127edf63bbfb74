/**
 * Implementation details shared by the server's packages: time, serial execution, identifier formats and
 * fatal statuses. Not an API; may change at any time.
 */
package dev.presence.server.internal;
