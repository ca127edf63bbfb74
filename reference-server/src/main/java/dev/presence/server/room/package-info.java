/**
 * Rooms: independent units of presence, each with its members, their aggregated presence and a serial
 * executor that runs every mutation of the room in order without blocking. Not an API.
 */
package dev.presence.server.room;
