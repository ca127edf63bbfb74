package dev.presence.conformance.transcript;

import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.protocol.v1.PresenceEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One line of a transcript that does something. */
public sealed interface Step {

  /** The 1-based line number in the transcript file. */
  int line();

  /** The line's text, for reports. */
  String text();

  /**
   * Writes one frame.
   *
   * @param line the line number
   * @param text the line
   * @param session the session name
   * @param template the ConnectRequest in text format, with {@code $room} still to be replaced; empty for raw bytes
   * @param raw the bytes to send when there is no template, so that malformed frames travel unchanged
   */
  record Send(int line, String text, String session, Optional<String> template, byte[] raw) implements Step {}

  /**
   * Expects what a session receives next.
   *
   * @param line the line number
   * @param text the line
   * @param session the session name
   * @param expected what must match, one entry per event of a presence frame
   * @param repeat how often the expectation may match
   * @param within the deadline expression, empty for the default request timeout
   */
  record Expect(int line, String text, String session, List<Expected> expected, Repeat repeat,
      Optional<String> within) implements Step {}

  /**
   * Expects that a session receives nothing for a while.
   *
   * @param line the line number
   * @param text the line
   * @param session the session name
   * @param within how long, empty for one window plus 25 ms
   */
  record Quiet(int line, String text, String session, Optional<String> within) implements Step {}

  /**
   * A directive that is neither a frame nor an expectation.
   *
   * @param line the line number
   * @param text the line
   * @param verb what to do
   * @param session the session it applies to, empty for {@link Verb#DRAIN_SERVER}
   * @param argument the verb's argument, or empty
   * @param token the credentials a {@code join} or {@code connect} asks for with {@code token …}, or empty
   */
  record Action(int line, String text, Verb verb, String session, String argument, Optional<Token> token)
      implements Step {}

  /**
   * The bearer token a session of an {@code # auth: jwt} transcript starts with.
   *
   * @param expiresIn how long after the step the token expires; negative for a token that has expired already
   * @param rooms the rooms claim, where {@link TranscriptParser#ROOM} stands for the replay's room; empty for none
   * @param wrongKey whether the token is signed with a key the server does not know
   */
  record Token(Duration expiresIn, Optional<List<String>> rooms, boolean wrongKey) {

    /** The token of a session whose first step names none: valid for a minute, for every room. */
    static final Token DEFAULT = new Token(Duration.ofSeconds(60), Optional.empty(), false);

    /** Copies the rooms. */
    public Token {
      rooms = rooms.map(List::copyOf);
    }

    /** Returns the claims for a user, with the rooms claim naming the replay's room and the expiry from now. */
    TokenMinter.Claims claims(String user, String room) {
      return new TokenMinter.Claims(user, Instant.now().plus(expiresIn),
          rooms.map(r -> r.stream().map(id -> id.replace(TranscriptParser.ROOM, room)).toList()), wrongKey);
    }
  }

  /** How often an expectation may match. */
  enum Repeat {
    /** Exactly once: {@code name<}. */
    ONCE,
    /** At most once, for a state the server may coalesce away: {@code name<?}. */
    OPTIONAL,
    /** Any number of times, for frames such as server pings: {@code name<*}. */
    ANY
  }

  /** The directives. */
  enum Verb {
    /** Sends an open for the session's user in the transcript's room and expects opened. */
    JOIN,
    /** Starts the session's call without sending anything. */
    CONNECT,
    /** Starts the session's call through its own fault proxy. */
    PROXY,
    /** Silences the session's proxied connection in both directions. */
    BLACKHOLE,
    /** Cancels the call. */
    CANCEL,
    /** Half-closes the call. */
    HALF_CLOSE,
    /** Sends an update_state of the argument times max_inbound_frame_bytes. */
    SEND_OVERSIZED,
    /** Asks the server to begin shutting down. */
    DRAIN_SERVER
  }

  /** One expected item of a session's stream. */
  sealed interface Expected {}

  /**
   * A frame other than presence, matched on the fields it sets.
   *
   * @param frame the fields to match
   */
  record ExpectedFrame(ConnectResponse frame) implements Expected {}

  /**
   * One presence event, wherever presence frames split the events.
   *
   * @param event the fields to match
   */
  record ExpectedEvent(PresenceEvent event) implements Expected {}

  /**
   * The end of the call.
   *
   * @param code the gRPC status code name
   * @param reason the ErrorInfo reason, empty for none
   * @param metadata ErrorInfo metadata that must be present with these values
   */
  record ExpectedEnd(String code, String reason, Map<String, String> metadata) implements Expected {}
}
