package dev.presence.conformance.model;

import com.google.protobuf.Struct;
import dev.presence.protocol.v1.NullReason;

/**
 * What an application callback of a subscription would see: one {@code (userId, state)} pair.
 *
 * @param subscriptionId the subscription whose callback fires
 * @param userId the user
 * @param state the state, or null when the user left scope, left or cleared
 * @param reason the null reason; {@link NullReason#NULL_REASON_UNSPECIFIED} with a state
 */
public record Delivery(String subscriptionId, String userId, Struct state, NullReason reason) {}
