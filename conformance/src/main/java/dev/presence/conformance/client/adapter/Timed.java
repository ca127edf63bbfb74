package dev.presence.conformance.client.adapter;

import dev.presence.conformance.adapter.v1.Report;

/**
 * A report from the adapter and the moment the kit read it, on {@link System#nanoTime()}'s clock.
 *
 * @param nanos when the kit read the report
 * @param report the report
 */
public record Timed(long nanos, Report report) {}
