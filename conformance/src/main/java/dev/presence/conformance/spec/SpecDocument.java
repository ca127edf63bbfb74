package dev.presence.conformance.spec;

import dev.presence.conformance.spec.Requirement.Level;
import dev.presence.conformance.spec.Requirement.Party;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The identified rules of SPEC.md, extracted by the one fixed format that SPEC.md section 1.1 defines: a list
 * item that starts with a bold identifier and the bound party in brackets.
 *
 * <p>Parsing is strict: a malformed rule line, a duplicate identifier, or a capitalised key word outside any rule
 * (after the conventions section) is a {@link SpecFormatException}, so the document cannot silently drift from its
 * own format.
 */
public final class SpecDocument {

  /** The identifier format of SPEC.md section 1.1. */
  public static final Pattern ID = Pattern.compile("PRS-[A-Z]{2,4}-[1-9][0-9]*");

  private static final Pattern RULE_START =
      Pattern.compile("^- \\*\\*(" + ID.pattern() + ")\\*\\* \\[([a-z, ]+)\\] (.*)$");
  private static final Pattern LOOKS_LIKE_RULE = Pattern.compile("^- \\*\\*PRS-");
  private static final Pattern MUST_WORDS = Pattern.compile("\\b(MUST|REQUIRED|SHALL)\\b");
  private static final Pattern SHOULD_WORDS = Pattern.compile("\\b(SHOULD|RECOMMENDED)\\b");
  private static final Pattern MAY_WORDS = Pattern.compile("\\b(MAY|OPTIONAL)\\b");
  private static final String WITHDRAWN = "withdrawn";
  private static final String FIRST_NORMATIVE_HEADING = "## 2.";

  private final Map<String, Requirement> requirements;
  private final Set<String> references;

  private SpecDocument(Map<String, Requirement> requirements, Set<String> references) {
    this.requirements = Collections.unmodifiableMap(requirements);
    this.references = Collections.unmodifiableSet(references);
  }

  /**
   * Reads and parses a SPEC.md file.
   *
   * @param specMarkdown the path of SPEC.md
   * @return the parsed document
   * @throws IOException if the file cannot be read
   * @throws SpecFormatException if the file breaks the rule format
   */
  public static SpecDocument read(Path specMarkdown) throws IOException {
    return parse(Files.readString(specMarkdown, StandardCharsets.UTF_8));
  }

  /**
   * Returns the SPEC.md this kit was built with.
   *
   * @return the parsed document
   * @throws IllegalStateException if the kit was built without it
   */
  public static SpecDocument bundled() {
    try (var in = SpecDocument.class.getResourceAsStream("SPEC.md")) {
      if (in == null) {
        throw new IllegalStateException("SPEC.md is missing from the kit's classpath");
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the bundled SPEC.md", e);
    }
  }

  /**
   * Parses SPEC.md text.
   *
   * @param markdown the whole document
   * @return the parsed document
   * @throws SpecFormatException if the text breaks the rule format
   */
  public static SpecDocument parse(String markdown) {
    Map<String, Requirement> rules = new LinkedHashMap<>();
    Set<String> references = new TreeSet<>();
    String[] lines = markdown.split("\n", -1);
    boolean normative = false;
    boolean inFence = false;
    PendingRule pending = null;
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      int lineNumber = i + 1;
      if (line.startsWith("```")) {
        inFence = !inFence;
        continue;
      }
      if (inFence) {
        continue;
      }
      if (line.startsWith(FIRST_NORMATIVE_HEADING)) {
        normative = true;
      }
      boolean continuesRule = pending != null && line.startsWith("  ") && !line.isBlank();
      if (continuesRule) {
        pending.text.append(' ').append(line.strip());
        collectReferences(line, references);
        continue;
      }
      if (pending != null) {
        add(rules, pending.finish());
        pending = null;
      }
      Matcher start = RULE_START.matcher(line);
      if (start.matches()) {
        pending = new PendingRule(lineNumber, start.group(1), start.group(2), start.group(3));
        collectReferences(start.group(3), references);
        continue;
      }
      if (LOOKS_LIKE_RULE.matcher(line).find()) {
        throw new SpecFormatException(lineNumber, "rule line does not match the format of section 1.1");
      }
      collectReferences(line, references);
      if (normative && hasKeyWord(line)) {
        throw new SpecFormatException(lineNumber, "key word in capitals outside an identified rule");
      }
    }
    if (pending != null) {
      add(rules, pending.finish());
    }
    return new SpecDocument(rules, references);
  }

  /** Returns every rule, tombstones included, in document order. */
  public List<Requirement> requirements() {
    return List.copyOf(requirements.values());
  }

  /** Returns the rule with this identifier, if the document has it. */
  public Optional<Requirement> requirement(String id) {
    return Optional.ofNullable(requirements.get(id));
  }

  /** Returns every identifier mentioned anywhere in the document, defined or not. */
  public Set<String> referencedIds() {
    return references;
  }

  private static void add(Map<String, Requirement> rules, Requirement rule) {
    if (rules.putIfAbsent(rule.id(), rule) != null) {
      throw new SpecFormatException(0, "duplicate identifier " + rule.id());
    }
  }

  private static void collectReferences(String text, Set<String> into) {
    Matcher m = ID.matcher(text);
    while (m.find()) {
      into.add(m.group());
    }
  }

  private static boolean hasKeyWord(String text) {
    return MUST_WORDS.matcher(text).find()
        || SHOULD_WORDS.matcher(text).find()
        || MAY_WORDS.matcher(text).find();
  }

  private static final class PendingRule {
    private final int lineNumber;
    private final String id;
    private final String partyList;
    private final StringBuilder text;

    PendingRule(int lineNumber, String id, String partyList, String firstLine) {
      this.lineNumber = lineNumber;
      this.id = id;
      this.partyList = partyList;
      this.text = new StringBuilder(firstLine.strip());
    }

    Requirement finish() {
      String body = text.toString();
      if (partyList.equals(WITHDRAWN)) {
        return new Requirement(id, List.of(), Level.WITHDRAWN, body);
      }
      List<Party> parties = new ArrayList<>();
      for (String party : partyList.split(",")) {
        switch (party.strip()) {
          case "server" -> parties.add(Party.SERVER);
          case "client" -> parties.add(Party.CLIENT);
          default -> throw new SpecFormatException(lineNumber, "unknown party '" + party.strip() + "'");
        }
      }
      return new Requirement(id, parties, levelOf(body), body);
    }

    private Level levelOf(String body) {
      if (MUST_WORDS.matcher(body).find()) {
        return Level.MUST;
      }
      if (SHOULD_WORDS.matcher(body).find()) {
        return Level.SHOULD;
      }
      if (MAY_WORDS.matcher(body).find()) {
        return Level.MAY;
      }
      throw new SpecFormatException(lineNumber, id + " has no key word in capitals");
    }
  }
}
