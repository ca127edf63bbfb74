/**
 * {@code presence-cli}: join a room, watch it as a live table, or send states, from a terminal.
 */
package dev.presence.cli;
