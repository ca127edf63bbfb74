package dev.presence.conformance.client.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import dev.presence.conformance.adapter.v1.Change;
import dev.presence.conformance.adapter.v1.Report;
import dev.presence.conformance.check.Violation;
import dev.presence.conformance.client.adapter.Timed;
import dev.presence.conformance.client.server.Autopilot;
import dev.presence.conformance.client.server.Inbound;
import dev.presence.conformance.driver.Timing;
import dev.presence.conformance.spec.RuleText;
import dev.presence.conformance.spec.SpecDocument;
import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.UpdateState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Each scenario checker on hand-built runs: one that keeps its rule and one that breaks it. */
class ClientCheckersTest {

  private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

  @Test
  void everyCheckerQuotesItsOwnRuleWordForWord() {
    SpecDocument spec = SpecDocument.bundled();
    for (ClientChecker c : ClientCheckers.all()) {
      String text = spec.requirement(c.requirementId()).orElseThrow().text();
      assertThat(spec.requirement(c.requirementId()).orElseThrow().bindsClient()).as(c.requirementId()).isTrue();
      assertThat(c.clauses()).as(c.requirementId()).isNotEmpty()
          .allMatch(q -> RuleText.quotes(text, q), "quoted from " + c.requirementId());
    }
  }

  @Test
  void updateSpacing() {
    ClientChecker c = new UpdateSpacingChecker();
    assertThat(c.check(fixture().session(0, 100, 160, 220).build())).isEmpty();
    List<Violation> found = c.check(fixture().session(0, 100, 110).build());
    assertThat(found).singleElement().satisfies(v -> {
      assertThat(v.requirementId()).isEqualTo("PRS-THC-1");
      assertThat(v.timingMiss()).isPresent();
      assertThat(v.timingMiss().get().missNanos()).isEqualTo(20 * MS);
    });
  }

  @Test
  void lastStateSent() {
    ClientChecker c = new LastStateChecker();
    List<ClientStep> steps = List.of(new ClientStep.Update("a1", List.of(5)));
    assertThat(c.check(fixture().steps(steps).updates(0, "a1.0", "a1.1").build())).isEmpty();
    assertThat(c.check(fixture().steps(steps).updates(0, "a1.0").build())).singleElement()
        .asString().contains("a1.1").contains("carried a1.0");
    List<ClientStep> cleared = List.of(new ClientStep.Update("a1", List.of(5)), new ClientStep.Clear());
    assertThat(c.check(fixture().steps(cleared).updates(0, "a1.0").build())).isEmpty();
  }

  @Test
  void nullsOnlyAfterAState() {
    ClientChecker c = new NullOrderChecker();
    List<ClientStep> steps = List.of(new ClientStep.Sync("s1", ClientStep.ALL));
    assertThat(c.check(fixture().steps(steps).change("s1", "u1", "o1").change("s1", "u1", null)
        .change("s1", "u1", "o2").change("s1", "u1", null).build())).isEmpty();
    assertThat(c.check(fixture().steps(steps).change("s1", "u1", null).build())).singleElement()
        .asString().contains("before it was told any state");
    assertThat(c.check(fixture().steps(steps).change("s1", "u1", "o1").change("s1", "u1", null)
        .change("s1", "u1", null).build())).singleElement().asString().contains("twice in a row");
  }

  @Test
  void settledViews() {
    List<ClientStep> steps = List.of(new ClientStep.Sync("s1", ClientStep.ALL),
        new ClientStep.Sync("s2", ClientStep.FOLLOWING), new ClientStep.Sync("s3", "u2"),
        new ClientStep.Sync("s4", "u3"), new ClientStep.Unsync("s4"));
    Fixture right = fixture().steps(steps).room("u1", "o1").room("u2", "o2").follows("u1")
        .change("s1", "u1", "o1").change("s1", "u2", "o2").change("s2", "u1", "o1").change("s3", "u2", "o2")
        .change("s4", "u3", "o9");
    for (ClientChecker c : List.of(SettledViewChecker.liveEvents(), SettledViewChecker.taggedEvents())) {
      assertThat(c.check(right.build())).as(c.requirementId()).isEmpty();
      // s3 targets u2 only, and u1 is not followed by s2's confirmed follow set.
      Fixture wrong = fixture().steps(steps).room("u1", "o1").room("u2", "o2").follows("u1")
          .change("s1", "u1", "o1").change("s1", "u2", "o2").change("s2", "u1", "o1").change("s2", "u2", "o2")
          .change("s3", "u2", "o2").change("s3", "u1", "o1");
      assertThat(c.check(wrong.build())).as(c.requirementId()).hasSize(2)
          .allMatch(v -> v.requirementId().equals(c.requirementId()));
    }
  }

  @Test
  void reconnects() {
    ClientChecker c = new ReconnectChecker();
    List<ClientStep> steps = List.of(new ClientStep.Sync("s1", ClientStep.ALL), new ClientStep.Reset());
    Fixture clean = fixture().steps(steps).room("u1", "o1").change("s1", "u1", "o1").change("s1", "u2", "o2")
        .change("s1", "u2", null);
    assertThat(c.check(clean.build())).isEmpty();
    Fixture ghost = fixture().steps(steps).room("u1", "o1").change("s1", "u1", "o1").change("s1", "u2", "o2");
    assertThat(c.check(ghost.build())).singleElement().asString().contains("still shows u2");
    Fixture repeat = fixture().steps(steps).room("u1", "o1").change("s1", "u1", "o1").at(500)
        .change("s1", "u1", "o1");
    assertThat(c.check(repeat.build())).singleElement().asString().contains("again, unchanged");
    // Without a reconnect the rule does not apply.
    assertThat(c.check(fixture().steps(List.of(new ClientStep.Sync("s1", ClientStep.ALL)))
        .change("s1", "u2", "o2").build())).isEmpty();
  }

  private static Fixture fixture() {
    return new Fixture();
  }

  /** Builds a settled run by hand; steps run 100 ms apart from 0, reports come at the time last set. */
  private static final class Fixture {
    List<ClientStep> steps = List.of();
    final List<List<Inbound>> sessions = new ArrayList<>();
    final List<Timed> reports = new ArrayList<>();
    final Map<String, Struct> room = new java.util.LinkedHashMap<>();
    Set<String> follows = Set.of();
    long now = 0;

    Fixture steps(List<ClientStep> steps) {
      this.steps = steps;
      now = steps.size() * 100 * MS;
      return this;
    }

    /** Adds a session whose update_state frames arrive at these milliseconds. */
    Fixture session(int index, long... millis) {
      List<Inbound> in = new ArrayList<>();
      for (long m : millis) {
        in.add(update(m * MS, "x" + m));
      }
      sessions.add(in);
      return this;
    }

    /** Adds a session whose update_state frames carry these labels, 100 ms apart. */
    Fixture updates(int index, String... labels) {
      List<Inbound> in = new ArrayList<>();
      for (int i = 0; i < labels.length; i++) {
        in.add(update(i * 100 * MS, labels[i]));
      }
      sessions.add(in);
      return this;
    }

    Fixture change(String sync, String user, String label) {
      Change.Builder c = Change.newBuilder().setSync(sync).setUserId(user);
      if (label != null) {
        c.setState(ClientScenarioRunner.state(label));
      }
      reports.add(new Timed(now, Report.newBuilder().setChange(c).build()));
      now += MS;
      return this;
    }

    Fixture at(long millis) {
      now = millis * MS;
      return this;
    }

    Fixture room(String user, String label) {
      room.put(user, ClientScenarioRunner.state(label));
      return this;
    }

    Fixture follows(String... users) {
      follows = Set.of(users);
      return this;
    }

    ClientRun build() {
      List<Long> stepNanos = new ArrayList<>();
      for (int i = 0; i < steps.size(); i++) {
        stepNanos.add(i * 100 * MS);
      }
      List<ClientRun.Session> built = new ArrayList<>();
      for (int i = 0; i < sessions.size(); i++) {
        built.add(new ClientRun.Session(i, Optional.of(0L), sessions.get(i), List.of()));
      }
      return new ClientRun(steps, stepNanos, Optional.empty(), built, reports, Autopilot.defaultLimits(),
          Timing.defaults(), Optional.empty(), room, follows, "sdk-user", false, "");
    }

    private static Inbound update(long nanos, String label) {
      ConnectRequest frame = ConnectRequest.newBuilder()
          .setUpdateState(UpdateState.newBuilder().setState(ClientScenarioRunner.state(label))).build();
      return new Inbound(nanos, frame.toByteArray(), Optional.of(frame));
    }
  }
}
