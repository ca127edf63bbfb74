package dev.presence.conformance.selftest;

import dev.presence.conformance.ConformanceSuite;
import dev.presence.conformance.RequirementResult;
import dev.presence.conformance.SuiteResult;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.io.PrintStream;
import java.io.OutputStream;

/** Temporary: runs every fault against an upstream given as host:port and prints what the kit finds. */
final class FaultProbeMain {
  public static void main(String[] args) throws Exception {
    ManagedChannel up = Grpc.newChannelBuilder(args[0], InsecureChannelCredentials.create()).build();
    for (Fault fault : Fault.values()) {
      long start = System.nanoTime();
      try (FaultyProxy proxy = FaultyProxy.start(fault, up)) {
        ManagedChannel ch = Grpc.newChannelBuilder("127.0.0.1:" + proxy.port(), InsecureChannelCredentials.create()).build();
        SuiteResult r = ConformanceSuite.builder(ch).seed(Long.parseLong(args[1])).scenarios(Integer.parseInt(args[2]))
            .reruns(1).maxShrinkAttempts(15).select(id -> id.equals(fault.requirementId()))
            .progress(new PrintStream(OutputStream.nullOutputStream())).build().run();
        RequirementResult rr = r.results().stream().filter(x -> x.requirement().id().equals(fault.requirementId())).findFirst().orElseThrow();
        System.out.printf("%-30s %-10s %-7s %5.1fs minimal=%s %s%n", fault, fault.requirementId(), rr.verdict(),
            (System.nanoTime() - start) / 1e9, rr.failure().map(f -> f.minimal() == null ? "-" : "" + f.minimal().steps().size()).orElse("none"), rr.detail());
        ch.shutdownNow();
      }
    }
    up.shutdownNow();
  }
}
