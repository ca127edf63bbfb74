/**
 * One session: its lifecycle (awaiting open, open, ended), its state slot, subscriptions and follows,
 * and the ways it can end with their outcomes (PRS-SES-*, PRS-END-*). Not an API.
 */
package dev.presence.server.session;
