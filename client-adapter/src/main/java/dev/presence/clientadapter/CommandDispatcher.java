package dev.presence.clientadapter;

import dev.presence.client.Presence;
import dev.presence.client.PresenceChange;
import dev.presence.client.PresenceException;
import dev.presence.client.PresenceListener;
import dev.presence.client.State;
import dev.presence.client.Subscription;
import dev.presence.client.SyncTarget;
import dev.presence.conformance.adapter.v1.Command;
import dev.presence.conformance.adapter.v1.Result;
import dev.presence.conformance.adapter.v1.States;
import dev.presence.conformance.adapter.v1.Sync;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the kit's Commands on the client, one at a time on the thread that reads them, and answers each
 * with exactly one Result: at once, or when the client's future settles for Connect, Follow and Unfollow.
 */
final class CommandDispatcher {
  private static final Logger log = LoggerFactory.getLogger(CommandDispatcher.class);

  private final AdapterOptions options;
  private final ReportWriter out;
  private final TokenList tokens = new TokenList();
  private ClientSession session;
  /** Set once Close closed the session: a new Connect may then create another client. */
  private boolean sessionClosed;

  CommandDispatcher(AdapterOptions options, ReportWriter out) {
    this.options = options;
    this.out = out;
  }

  /** Carries out one command; whatever the client throws becomes that command's failed Result. */
  void dispatch(Command command) {
    long id = command.getId();
    // By kind only: a command may carry a presence state, which must never reach a log (PRS-PRV-1).
    log.info("command {}: {}", id, command.getActionCase());
    try {
      switch (command.getActionCase()) {
        case CONNECT -> connect(command);
        case SET_TOKENS -> {
          tokens.replace(command.getSetTokens().getTokensList());
          out.write(Reports.ok(id));
        }
        case ACTION_NOT_SET -> out.write(Reports.failed(id, Failures.ofMessage("unsupported command")));
        default -> {
          if (session == null) {
            out.write(Reports.failed(id, Failures.ofMessage("not connected")));
          } else {
            onClient(command);
          }
        }
      }
    } catch (RuntimeException e) {
      log.info("command {} failed: {}", id, e.toString());
      out.write(Reports.failed(id, Failures.of(e)));
    }
  }

  /** Closes the client at the end of the kit's input, as an application exits. */
  void shutdown() {
    if (session != null && !sessionClosed) {
      closeSession();
    }
  }

  private void connect(Command command) {
    if (session != null && !sessionClosed) {
      out.write(Reports.failed(command.getId(), Failures.ofMessage("already connected")));
      return;
    }
    session = ClientSession.create(command.getConnect(), tokens, options, out);
    sessionClosed = false;
    answerWhenSettled(command.getId(), session.client().connect());
  }

  private void onClient(Command command) {
    long id = command.getId();
    Presence presence = session.client().presence();
    switch (command.getActionCase()) {
      case UPDATE -> {
        presence.update(command.getUpdate().getState());
        out.write(Reports.ok(id));
      }
      case CLEAR -> {
        presence.clear();
        out.write(Reports.ok(id));
      }
      case SYNC -> sync(id, command.getSync());
      case UNSYNC -> unsync(id, command.getUnsync().getSync());
      case GET_STATES -> {
        States.Builder states = States.newBuilder();
        for (Map.Entry<String, State> e : presence.getStates().entrySet()) {
          states.putStates(e.getKey(), e.getValue().toStruct());
        }
        out.write(Reports.result(Result.newBuilder().setId(id).setStates(states)));
      }
      case GET_STATE -> {
        String userId = command.getGetState().getUserId();
        State state = userId.isEmpty() ? presence.getState() : presence.getState(userId);
        out.write(Reports.result(Result.newBuilder().setId(id).setState(Reports.stateValue(state))));
      }
      case FOLLOW -> answerWhenSettled(id, session.client().users().follow(command.getFollow().getUserId()));
      case UNFOLLOW -> answerWhenSettled(id, session.client().users().unfollow(command.getUnfollow().getUserId()));
      case CLOSE -> {
        closeSession();
        out.write(Reports.ok(id));
      }
      default -> out.write(Reports.failed(id, Failures.ofMessage("unsupported command")));
    }
  }

  private void sync(long id, Sync sync) {
    String name = sync.getSync();
    SyncTarget target = switch (sync.getTargetCase()) {
      case ALL_USERS -> SyncTarget.all();
      case FOLLOWED_USERS -> SyncTarget.following();
      case USER_ID -> SyncTarget.user(sync.getUserId());
      case TARGET_NOT_SET -> null;
    };
    if (target == null) {
      out.write(Reports.failed(id, Failures.ofMessage("sync without a target")));
      return;
    }
    if (session.syncs().containsKey(name)) {
      out.write(Reports.failed(id, Failures.ofMessage("sync name already in use")));
      return;
    }
    Subscription subscription = session.client().presence().sync(target, new PresenceListener() {
      @Override
      public void onChange(PresenceChange change) {
        out.write(Reports.change(name, change));
      }

      @Override
      public void onError(PresenceException error) {
        out.write(Reports.refused(name, error));
      }
    });
    session.syncs().put(name, subscription);
    out.write(Reports.ok(id));
  }

  private void unsync(long id, String name) {
    if (name.isEmpty()) {
      session.client().presence().unsync();
      session.syncs().clear();
      out.write(Reports.ok(id));
      return;
    }
    Subscription subscription = session.syncs().remove(name);
    if (subscription == null) {
      out.write(Reports.failed(id, Failures.ofMessage("unknown sync")));
      return;
    }
    subscription.close();
    out.write(Reports.ok(id));
  }

  private void answerWhenSettled(long id, CompletableFuture<?> call) {
    call.whenComplete((value, error) -> out.write(error == null ? Reports.ok(id) : Reports.failed(id,
        Failures.of(error))));
  }

  private void closeSession() {
    try {
      session.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      sessionClosed = true;
    }
  }
}
