package dev.presence.clientadapter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.conformance.ClientConformanceSuite;
import dev.presence.conformance.RequirementResult;
import dev.presence.conformance.SuiteResult;
import dev.presence.conformance.report.ReplayFile;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A scenario the kit once judged wrongly: while it held a subscription's {@code snapshot_complete}, its server sent a
 * live event about a user of that snapshot, which PRS-SUB-4 forbids a server, and then blamed a correct client for
 * routing it as PRS-EVT-3 says. Replayed against the Java client, which routes as the spec says.
 */
class HeldSnapshotReplayTest {

  @Test
  void aLiveChangeDuringAHeldSnapshotReachesTheClientAfterItsEnd() throws Exception {
    ReplayFile.Replay replay = ReplayFile.read(resource("held-snapshot-then-clear.json"));

    SuiteResult result = ClientConformanceSuite.builder(JavaClientConformanceTest.IN_PROCESS,
            InProcessAdapter.javaClient(AdapterOptions.defaults()))
        .replay(replay.clientScenario()).seed(replay.seed())
        .build().run();

    assertThat(result.results()).filteredOn(RequirementResult::failsRun)
        .extracting(r -> r.requirement().id() + " " + r.verdict() + ": " + r.detail()).isEmpty();
  }

  private static Path resource(String name) throws URISyntaxException {
    return Path.of(HeldSnapshotReplayTest.class.getClassLoader().getResource(name).toURI());
  }
}
