package dev.presence.server.it;

import dev.presence.server.support.RedisProcess;
import java.util.List;

/**
 * The same rules on a Redis Cluster of three primaries: every key of a room shares one hash tag, and its
 * changes travel on a shard channel of the same slot.
 */
class ClusterOnRedisClusterIT extends ClusterIT {
  @Override
  List<RedisProcess> startRedis() throws Exception {
    return RedisProcess.startCluster();
  }
}
