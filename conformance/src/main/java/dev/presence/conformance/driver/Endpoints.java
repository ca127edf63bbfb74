package dev.presence.conformance.driver;

import dev.presence.conformance.history.Binding;
import io.grpc.Channel;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Every endpoint of the server under test that a run knows, and which one each session uses: sessions go to them in
 * turn, so that the sessions of one case or scenario land on different endpoints, and a list that mixes bindings
 * puts sessions of both in one room (PRS-WS-18).
 */
public final class Endpoints {

  private final List<Endpoint> all;

  private Endpoints(List<Endpoint> all) {
    if (all.isEmpty()) {
      throw new IllegalArgumentException("at least one endpoint is needed");
    }
    this.all = List.copyOf(all);
  }

  /** Returns the endpoints, in the order sessions take them. */
  public static Endpoints of(List<? extends Endpoint> endpoints) {
    return new Endpoints(List.copyOf(endpoints));
  }

  /** Returns the endpoints, in the order sessions take them. */
  public static Endpoints of(Endpoint... endpoints) {
    return of(List.of(endpoints));
  }

  /** Returns one gRPC endpoint behind a channel whose address the kit does not know. */
  public static Endpoints grpc(Channel channel) {
    return of(GrpcEndpoint.of(channel, "server under test"));
  }

  /** Returns every endpoint. */
  public List<Endpoint> all() {
    return all;
  }

  /**
   * Returns the endpoint of a session, in turn.
   *
   * @param index the session's position among those its case or scenario started, from 0 up
   */
  public Endpoint forSession(int index) {
    return all.get(Math.floorMod(index, all.size()));
  }

  /** Returns the first endpoint of a binding, if the run has one. */
  public Optional<Endpoint> first(Binding binding) {
    return all.stream().filter(e -> e.binding() == binding).findFirst();
  }

  /** Returns the bindings the endpoints speak, in the order of their first endpoint. */
  public List<Binding> bindings() {
    return all.stream().map(Endpoint::binding).distinct().toList();
  }

  /** Returns whether the kit knows the address of every endpoint, so that any session can go through a proxy. */
  public boolean addressed() {
    return all.stream().allMatch(e -> e.address().isPresent());
  }

  /** Returns how reports name the target: the endpoints, comma-separated. */
  public String description() {
    return all.stream().map(Endpoint::description).collect(Collectors.joining(", "));
  }
}
