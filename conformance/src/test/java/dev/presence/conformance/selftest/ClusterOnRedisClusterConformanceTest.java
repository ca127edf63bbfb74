package dev.presence.conformance.selftest;

import dev.presence.server.support.RedisProcess;
import java.util.List;

/**
 * The kit against three nodes on a Redis Cluster of three primaries, where rooms spread over the shards.
 *
 * <p>Time: the run on one Redis covers the scenarios; this one keeps 2, enough for rooms on several shards.
 */
class ClusterOnRedisClusterConformanceTest extends ClusterConformanceTest {
  @Override
  List<RedisProcess> startRedis() throws Exception {
    return RedisProcess.startCluster();
  }

  @Override
  int scenarios() {
    return 2;
  }
}
