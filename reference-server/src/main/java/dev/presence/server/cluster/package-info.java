/**
 * Cluster mode: many nodes serve one room, tied together by Redis. See CLUSTER.md for the mechanism and what
 * each failure does to it.
 */
package dev.presence.server.cluster;
