/** Server settings, validated once at start against the bounds of SPEC.md §12. */
package dev.presence.server.config;
