/**
 * Implementation of the client. Not part of the API: anything here may change in any release.
 */
package dev.presence.client.internal;
