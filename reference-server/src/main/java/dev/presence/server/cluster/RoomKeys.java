package dev.presence.server.cluster;

import java.nio.charset.StandardCharsets;

/**
 * The Redis keys and the shard channel of one room. All share the hash tag {@code {room}}, so on a Redis Cluster
 * they live in one slot and one script can touch them all.
 */
final class RoomKeys {
  private final byte[][] keys;

  RoomKeys(String roomId) {
    String prefix = "presence:{" + roomId + "}:";
    String[] names = {"seq", "seats", "states", "stateseq", "users", "epoch", "touched", "ended", "endedat", "events"};
    keys = new byte[names.length][];
    for (int i = 0; i < names.length; i++) {
      keys[i] = (prefix + names[i]).getBytes(StandardCharsets.UTF_8);
    }
  }

  /** @return every key in the order the scripts expect, the channel last */
  byte[][] all() {
    return keys;
  }

  /** @return the shard channel the room's changes are published on */
  byte[] channel() {
    return keys[keys.length - 1];
  }
}
