package dev.presence.bench.cli;

import dev.presence.bench.driver.Driver;
import dev.presence.bench.driver.Drivers;
import dev.presence.bench.driver.SystemUnderTest;
import dev.presence.bench.loadgen.LoadResult;
import dev.presence.bench.loadgen.LoadRun;
import dev.presence.bench.loadgen.ProcessStats;
import dev.presence.bench.loadgen.RunOptions;
import dev.presence.bench.loadgen.Workload;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The load generator: one run against one server, its numbers printed as the last line. */
@Command(name = "loadgen", mixinStandardHelpOptions = true,
    description = "Offer R rooms x N users of cursor load to one server and print what was measured.")
final class LoadCommand implements Callable<Integer> {
  @Option(names = "--system", required = true,
      description = "presence, relay-per-message, relay-coalesced, presence-ws, y-websocket, socket.io or presence-cluster")
  String system;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Server address. Default: ${DEFAULT-VALUE}.")
  String host;

  @Option(names = "--port", required = true, split = ",",
      description = "Server port; several comma-separated ports are the nodes of a cluster, and sessions are "
          + "spread over them round-robin by user number.")
  List<Integer> ports;

  @Option(names = "--server-pid", defaultValue = "0", split = ",",
      description = "The server's process id, for its CPU and RSS, or every node's, comma-separated; 0 when it runs "
          + "elsewhere.")
  List<Long> serverPids;

  @Option(names = "--redis-pid", defaultValue = "0",
      description = "The process id of the Redis a cluster runs on: its CPU counts as server CPU and is also "
          + "reported alone; 0 for none.")
  long redisPid;

  @Option(names = "--rooms", defaultValue = "1", description = "R. Default: ${DEFAULT-VALUE}.")
  int rooms;

  @Option(names = "--users", defaultValue = "10", description = "N, users per room. Default: ${DEFAULT-VALUE}.")
  int users;

  @Option(names = "--rate-hz", defaultValue = "20",
      description = "Updates per user per second; 0 holds sessions idle. Default: ${DEFAULT-VALUE}.")
  int rateHz;

  @Option(names = "--warmup-millis", defaultValue = "3000", description = "Default: ${DEFAULT-VALUE}.")
  long warmupMillis;

  @Option(names = "--measure-millis", defaultValue = "5000", description = "Default: ${DEFAULT-VALUE}.")
  long measureMillis;

  @Option(names = "--grace-millis", defaultValue = "1000",
      description = "How long deliveries of measured sends still count. Default: ${DEFAULT-VALUE}.")
  long graceMillis;

  @Option(names = "--deadline-millis", defaultValue = "1000",
      description = "A state counts as delivered if it or a newer one arrives within this. Default: ${DEFAULT-VALUE}.")
  long deadlineMillis;

  @Option(names = "--stalled", defaultValue = "0",
      description = "Sessions in room 0 that stop reading when measuring starts. Default: ${DEFAULT-VALUE}.")
  int stalled;

  @Option(names = "--rss-sample-millis", defaultValue = "0",
      description = "Sample the server's RSS this often while measuring; 0 for never. Default: ${DEFAULT-VALUE}.")
  long rssSampleMillis;

  @Option(names = "--settle-millis", defaultValue = "1000",
      description = "Pause between opening the sessions and the first send. Default: ${DEFAULT-VALUE}.")
  long settleMillis;

  @Option(names = "--head-millis", defaultValue = "0",
      description = "Also report latency of states sent in the window's first this many ms (head_*); 0 for none. "
          + "Default: ${DEFAULT-VALUE}.")
  long headMillis;

  @Option(names = "--bound-millis", defaultValue = "75",
      description = "Deliveries within this long count as on time (within_bound, room_within_bound_*); "
          + "PRS-THR-3's W + 25 ms. Default: ${DEFAULT-VALUE}.")
  long boundMillis;

  @Option(names = "--storm-sessions", defaultValue = "0",
      description = "Sessions opened all at once during the window and closed as each opens, in rooms of their "
          + "own; latency is then also reported before, during and after the storm. Default: ${DEFAULT-VALUE}.")
  int stormSessions;

  @Option(names = "--storm-room-size", defaultValue = "1", description = "Users per storm room. Default: ${DEFAULT-VALUE}.")
  int stormRoomSize;

  @Option(names = "--storm-at-millis", defaultValue = "0",
      description = "When in the window the storm begins. Default: ${DEFAULT-VALUE}.")
  long stormAtMillis;

  @Option(names = "--hot-senders", defaultValue = "0",
      description = "Users of one extra, unmeasured room who all send at --hot-rate-hz. Default: ${DEFAULT-VALUE}.")
  int hotSenders;

  @Option(names = "--hot-rate-hz", defaultValue = "1000", description = "Default: ${DEFAULT-VALUE}.")
  int hotRateHz;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the send phases. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Override
  public Integer call() throws Exception {
    SystemUnderTest sut = SystemUnderTest.ofLabel(system);
    Workload workload = new Workload(rooms, users, rateHz, warmupMillis, measureMillis, graceMillis,
        deadlineMillis, stalled, seed);
    List<ProcessStats> servers = new ArrayList<>();
    for (long pid : serverPids) {
      if (pid > 0) {
        servers.add(ProcessStats.of(pid));
      }
    }
    ProcessStats redis = redisPid > 0 ? ProcessStats.of(redisPid) : null;
    LoadResult result;
    try (Driver driver = Drivers.create(sut, host, ports)) {
      result = new LoadRun(workload, driver, servers, redis, ports.size(), rssSampleMillis,
          new RunOptions(settleMillis, headMillis, boundMillis, stormSessions, stormRoomSize, stormAtMillis,
              hotSenders, hotRateHz)).run();
    }
    result.put("system", sut.label());
    System.out.println(result.toLine());
    System.out.flush();
    return 0;
  }
}
