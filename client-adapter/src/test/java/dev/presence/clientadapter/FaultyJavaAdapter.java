package dev.presence.clientadapter;

import dev.presence.conformance.adapter.v1.Change;
import dev.presence.conformance.adapter.v1.Close;
import dev.presence.conformance.adapter.v1.Command;
import dev.presence.conformance.adapter.v1.Connect;
import dev.presence.conformance.adapter.v1.Hello;
import dev.presence.conformance.adapter.v1.Report;
import dev.presence.protocol.v1.NullReason;
import dev.presence.protocol.v1.PresenceEvent;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Java adapter with one {@link FaultyClient} fault built in, run as a child process by the kit:
 * {@code FaultyJavaAdapter <FAULT>}. It is the real adapter's dispatcher and report writer, with the fault's
 * interceptors and report filter in {@link AdapterOptions}, and a command loop the fault may step into: it may
 * answer a command itself, and may queue commands of its own (ids the kit never uses, whose results the kit never
 * sees) to replace the client as a faulty application would.
 */
final class FaultyJavaAdapter {
  /** Ids of the adapter's own commands count up from here; the kit's count up from 1. */
  private static final long OWN_IDS = Long.MIN_VALUE;
  private static final Command END = Command.getDefaultInstance();

  private final FaultyClient fault;
  private final ReportWriter out;
  private final CommandDispatcher dispatcher;
  private final BlockingQueue<Command> commands = new LinkedBlockingQueue<>();
  private final AtomicLong ownIds = new AtomicLong(OWN_IDS);
  /** The names of the kit's syncs in the order it made them, until the client's subscribe frame claims each. */
  private final ConcurrentLinkedQueue<String> unclaimedSyncs = new ConcurrentLinkedQueue<>();
  /** Subscription id on the wire to the kit's sync name. */
  private final ConcurrentHashMap<String, String> syncBySubscription = new ConcurrentHashMap<>();
  private final Set<String> syncs = ConcurrentHashMap.newKeySet();
  /**
   * What the application asked of its client and has not taken back, to ask again of a replacement: syncs by name,
   * follows, the own state (null when cleared). Only the command loop touches them.
   */
  private final Map<String, Command> syncCommands = new LinkedHashMap<>();
  private final Map<String, Command> followCommands = new LinkedHashMap<>();
  private Command stateCommand;
  private volatile Connect lastConnect;

  private FaultyJavaAdapter(FaultyClient fault, OutputStream reports) {
    this.fault = fault;
    AdapterOptions options = AdapterOptions.defaults()
        .withInterceptors(fault.interceptors(this).toArray(io.grpc.ClientInterceptor[]::new))
        .withReports(this::filter);
    this.out = new ReportWriter(reports, options.reports());
    this.dispatcher = new CommandDispatcher(options, out);
  }

  /**
   * Runs the variant on this process's standard streams, then exits.
   *
   * @param args the name of one {@link FaultyClient}
   */
  public static void main(String[] args) {
    FaultyClient fault = FaultyClient.valueOf(args[0]);
    OutputStream reports = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out));
    System.setOut(System.err);
    System.exit(new FaultyJavaAdapter(fault, reports).run(System.in));
  }

  private int run(InputStream input) {
    out.write(Report.newBuilder().setHello(Hello.newBuilder().setSdk("presence-client")
        .setVersion(JavaClientAdapter.clientVersion() + "-faulty-" + fault).setLanguage("Java")).build());
    int[] status = {0};
    Thread reader = new Thread(() -> {
      FrameReader frames = new FrameReader(input);
      try {
        for (Command c = frames.next(); c != null; c = frames.next()) {
          commands.add(c);
        }
      } catch (IOException e) {
        status[0] = 2;
      }
      commands.add(END);
    }, "faulty-adapter-input");
    reader.setDaemon(true);
    reader.start();
    try {
      for (Command c = commands.take(); c != END; c = commands.take()) {
        carryOut(c);
        if (c.hasConnect() && c.getId() < 0) {
          restore();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    dispatcher.shutdown();
    return status[0];
  }

  private void carryOut(Command c) {
    track(c);
    if (!fault.command(this, c)) {
      dispatcher.dispatch(c);
    }
  }

  /** Asks a replacement client for what the application had asked of the one it replaced, as a reconnect restores. */
  private void restore() {
    List<Command> again = new ArrayList<>(followCommands.values());
    again.addAll(syncCommands.values());
    if (stateCommand != null) {
      again.add(stateCommand);
    }
    again.forEach(c -> carryOut(c.toBuilder().setId(ownIds.getAndIncrement()).build()));
  }

  private void track(Command c) {
    switch (c.getActionCase()) {
      case CONNECT -> lastConnect = c.getConnect();
      case SYNC -> {
        unclaimedSyncs.add(c.getSync().getSync());
        syncs.add(c.getSync().getSync());
        syncCommands.put(c.getSync().getSync(), c);
      }
      case UNSYNC -> {
        if (c.getUnsync().getSync().isEmpty()) {
          syncs.clear();
          syncCommands.clear();
        } else {
          syncs.remove(c.getUnsync().getSync());
          syncCommands.remove(c.getUnsync().getSync());
        }
      }
      case FOLLOW -> followCommands.put(c.getFollow().getUserId(), c);
      case UNFOLLOW -> followCommands.remove(c.getUnfollow().getUserId());
      case UPDATE -> stateCommand = c;
      case CLEAR -> stateCommand = null;
      default -> { }
    }
  }

  private List<Report> filter(Report report) {
    if (report.hasResult() && report.getResult().getId() < 0) {
      return List.of();
    }
    return fault.report(this, report);
  }

  /** Writes a report of the fault's own making, as if the client had delivered it. */
  void tell(Report report) {
    out.write(report);
  }

  /** Reports {@code event} to {@code sync} as the adapter reports a client's change. */
  void tellChange(String sync, PresenceEvent event) {
    Change.Builder c = Change.newBuilder().setSync(sync).setUserId(event.getUserId());
    if (event.hasState()) {
      c.setState(event.getState());
    } else {
      c.setNullReason(reasonName(event.getNullReasonValue()));
    }
    tell(Report.newBuilder().setChange(c).build());
  }

  /**
   * Closes the client and connects a new one from the kit's last Connect, as soon as the command loop is free, and
   * asks the new one for the syncs, follows and state the application had asked of the old one.
   */
  void replaceClient() {
    Connect connect = lastConnect;
    if (connect == null) {
      return;
    }
    commands.add(Command.newBuilder().setId(ownIds.getAndIncrement()).setClose(Close.getDefaultInstance()).build());
    commands.add(Command.newBuilder().setId(ownIds.getAndIncrement()).setConnect(connect).build());
  }

  /** The kit's syncs that the application has not unsynced. */
  Set<String> syncs() {
    return Set.copyOf(syncs);
  }

  /** The kit's name for a subscription id the client sent, naming it on first sight in the order syncs were made. */
  String syncOf(String subscriptionId) {
    return syncBySubscription.computeIfAbsent(subscriptionId, id -> {
      String name = unclaimedSyncs.poll();
      return name == null ? id : name;
    });
  }

  /** The kit's spelling of a null reason: the enum name without its prefix, empty when the client cannot name it. */
  static String reasonName(int number) {
    NullReason reason = NullReason.forNumber(number);
    return reason == null || reason == NullReason.NULL_REASON_UNSPECIFIED ? ""
        : reason.name().substring("NULL_REASON_".length());
  }
}
