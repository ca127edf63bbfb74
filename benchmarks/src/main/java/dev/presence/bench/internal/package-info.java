/** Plumbing shared by the benchmark programs. Not an API. */
package dev.presence.bench.internal;
