package dev.presence.conformance.transcript;

import com.google.protobuf.TextFormat;
import dev.presence.conformance.transcript.Step.Expected;
import dev.presence.protocol.v1.ConnectRequest;
import dev.presence.protocol.v1.ConnectResponse;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the transcript format of {@code spec/transcripts/README.md}; every error names its line. */
public final class TranscriptParser {

  /** The room placeholder in frames; each replay uses a fresh room. */
  public static final String ROOM = "$room";

  private static final String NAME = "[a-z][a-z0-9]*(?:/[0-9]+)?";
  private static final Pattern SEND = Pattern.compile("^(" + NAME + ")> (.*)$");
  private static final Pattern EXPECT = Pattern.compile("^(" + NAME + ")<([?*]?) (.*)$");
  private static final Pattern DIRECTIVE = Pattern.compile("^([a-z-]+)(?: (" + NAME + "))?(?: (.+))?$");
  private static final Pattern HEADER = Pattern.compile("^# ?([a-z]+): (.*)$");
  private static final Pattern DURATION = Pattern.compile("^(-?[0-9]+)(ms|s)$");
  private static final Pattern WITHIN = Pattern.compile("^(.*?)\\s+within\\s+(\\S.*)$");

  private TranscriptParser() {}

  /**
   * Parses one transcript.
   *
   * @param name the transcript's name, normally its file name without {@code .txt}
   * @param text the file's content
   * @return the transcript
   * @throws IllegalArgumentException naming the line, if the text breaks the format
   */
  public static Transcript parse(String name, String text) {
    Map<String, String> headers = new LinkedHashMap<>();
    List<Step> steps = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      int number = i + 1;
      try {
        if (line.isEmpty()) {
          continue;
        }
        if (line.startsWith("#")) {
          Matcher h = HEADER.matcher(line);
          if (h.matches() && steps.isEmpty()) {
            headers.put(h.group(1), h.group(2).strip());
          }
          continue;
        }
        steps.add(step(number, line));
      } catch (IllegalArgumentException | TextFormat.ParseException e) {
        throw new IllegalArgumentException(name + ":" + number + ": " + e.getMessage() + ": " + line, e);
      }
    }
    if (!headers.containsKey("title") || !headers.containsKey("rules")) {
      throw new IllegalArgumentException(name + ": the header needs '# title:' and '# rules:' lines");
    }
    Transcript.Auth auth = auth(name, headers.getOrDefault("auth", "dev"), steps);
    return new Transcript(name, headers.get("title"), List.of(headers.get("rules").split("\\s+")),
        Integer.parseInt(headers.getOrDefault("draft", "1")), settings(headers.getOrDefault("server", "")), auth,
        steps);
  }

  private static Transcript.Auth auth(String name, String value, List<Step> steps) {
    if (!value.equals("dev") && !value.equals("jwt")) {
      throw new IllegalArgumentException(name + ": '# auth:' is dev or jwt, not " + value);
    }
    Transcript.Auth auth = Transcript.Auth.valueOf(value.toUpperCase(Locale.ROOT));
    for (Step step : steps) {
      if (auth == Transcript.Auth.DEV && step instanceof Step.Action a && a.token().isPresent()) {
        throw new IllegalArgumentException(name + ":" + a.line() + ": a token needs '# auth: jwt': " + a.text());
      }
    }
    return auth;
  }

  private static Map<String, String> settings(String text) {
    Map<String, String> settings = new LinkedHashMap<>();
    for (String pair : text.split("\\s+")) {
      if (!pair.isEmpty()) {
        String[] kv = pair.split("=", 2);
        if (kv.length != 2) {
          throw new IllegalArgumentException("server settings are key=value pairs: " + pair);
        }
        settings.put(kv[0], kv[1]);
      }
    }
    return settings;
  }

  private static Step step(int number, String line) throws TextFormat.ParseException {
    Matcher send = SEND.matcher(line);
    if (send.matches()) {
      return send(number, line, send.group(1), send.group(2));
    }
    Matcher expect = EXPECT.matcher(line);
    if (expect.matches()) {
      return expect(number, line, expect.group(1), expect.group(2), expect.group(3));
    }
    Matcher directive = DIRECTIVE.matcher(line);
    if (!directive.matches()) {
      throw new IllegalArgumentException("not a frame, an expectation or a directive");
    }
    String verb = directive.group(1);
    String session = directive.group(2) == null ? "" : directive.group(2);
    String argument = directive.group(3) == null ? "" : directive.group(3);
    if (verb.equals("quiet")) {
      return new Step.Quiet(number, line, requireSession(session), withinOnly(argument));
    }
    Step.Verb v;
    try {
      v = Step.Verb.valueOf(verb.toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown directive '" + verb + "'");
    }
    if (v != Step.Verb.DRAIN_SERVER) {
      requireSession(session);
    }
    if (v == Step.Verb.SEND_OVERSIZED) {
      Double.parseDouble(argument);
    }
    Optional<Step.Token> token = Optional.empty();
    if (v == Step.Verb.JOIN || v == Step.Verb.CONNECT) {
      token = token(argument);
    }
    return new Step.Action(number, line, v, session, argument, token);
  }

  /** {@code token [exp=DURATION] [rooms=ID,…] [key=wrong]} after a join or connect; nothing else may follow. */
  private static Optional<Step.Token> token(String argument) {
    if (argument.isEmpty()) {
      return Optional.empty();
    }
    String[] words = argument.split("\\s+");
    if (!words[0].equals("token")) {
      throw new IllegalArgumentException("only 'token …' may follow the session name");
    }
    Step.Token token = Step.Token.DEFAULT;
    for (int i = 1; i < words.length; i++) {
      String[] kv = words[i].split("=", 2);
      String value = kv.length == 2 ? kv[1] : "";
      token = switch (kv[0]) {
        case "exp" -> new Step.Token(duration(value), token.rooms(), token.wrongKey());
        case "rooms" -> new Step.Token(token.expiresIn(), Optional.of(List.of(value.split(","))), token.wrongKey());
        case "key" -> {
          if (!value.equals("wrong")) {
            throw new IllegalArgumentException("'key' takes only 'wrong'");
          }
          yield new Step.Token(token.expiresIn(), token.rooms(), true);
        }
        default -> throw new IllegalArgumentException("a token takes exp=, rooms= and key=, not " + words[i]);
      };
    }
    return Optional.of(token);
  }

  private static Duration duration(String text) {
    Matcher m = DURATION.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("'exp' takes a duration such as 2s, 1500ms or -60s, not " + text);
    }
    long amount = Long.parseLong(m.group(1));
    return m.group(2).equals("s") ? Duration.ofSeconds(amount) : Duration.ofMillis(amount);
  }

  private static String requireSession(String session) {
    if (session.isEmpty()) {
      throw new IllegalArgumentException("the directive needs a session name");
    }
    return session;
  }

  private static Optional<String> withinOnly(String argument) {
    if (argument.isEmpty()) {
      return Optional.empty();
    }
    if (!argument.startsWith("within ")) {
      throw new IllegalArgumentException("expected 'within DURATION'");
    }
    return Optional.of(argument.substring("within ".length()).strip());
  }

  private static Step send(int number, String line, String session, String body) throws TextFormat.ParseException {
    if (body.startsWith("bytes ")) {
      byte[] raw = HexFormat.of().parseHex(body.substring("bytes ".length()).replace(" ", ""));
      return new Step.Send(number, line, session, Optional.empty(), raw);
    }
    TextFormat.merge(body.replace(ROOM, "r"), ConnectRequest.newBuilder());
    return new Step.Send(number, line, session, Optional.of(body), new byte[0]);
  }

  private static Step expect(int number, String line, String session, String mark, String rest)
      throws TextFormat.ParseException {
    Optional<String> within = Optional.empty();
    Matcher w = WITHIN.matcher(rest);
    if (w.matches()) {
      rest = w.group(1);
      within = Optional.of(w.group(2).strip());
    }
    Step.Repeat repeat = mark.isEmpty() ? Step.Repeat.ONCE : mark.equals("?") ? Step.Repeat.OPTIONAL
        : Step.Repeat.ANY;
    return new Step.Expect(number, line, session, expected(rest), repeat, within);
  }

  private static List<Expected> expected(String body) throws TextFormat.ParseException {
    if (body.equals("end") || body.startsWith("end ")) {
      return List.of(end(body.substring(3).strip()));
    }
    ConnectResponse.Builder frame = ConnectResponse.newBuilder();
    TextFormat.merge(body, frame);
    if (frame.getFrameCase() == ConnectResponse.FrameCase.FRAME_NOT_SET) {
      throw new IllegalArgumentException("the expectation names no frame");
    }
    if (!frame.hasPresence()) {
      return List.of(new Step.ExpectedFrame(frame.build()));
    }
    if (frame.getPresence().getEventsCount() == 0) {
      throw new IllegalArgumentException("a presence expectation lists the events it expects");
    }
    return frame.getPresence().getEventsList().stream().<Expected>map(Step.ExpectedEvent::new).toList();
  }

  private static Expected end(String words) {
    String[] parts = words.isEmpty() ? new String[0] : words.split("\\s+");
    if (parts.length == 0) {
      throw new IllegalArgumentException("'end' needs a status code");
    }
    Status.Code.valueOf(parts[0]);
    String reason = "";
    Map<String, String> metadata = new LinkedHashMap<>();
    for (int i = 1; i < parts.length; i++) {
      if (parts[i].contains("=")) {
        String[] kv = parts[i].split("=", 2);
        metadata.put(kv[0], kv[1]);
      } else if (reason.isEmpty()) {
        reason = parts[i];
      } else {
        throw new IllegalArgumentException("'end' takes one reason");
      }
    }
    return new Step.ExpectedEnd(parts[0], reason, metadata);
  }
}
