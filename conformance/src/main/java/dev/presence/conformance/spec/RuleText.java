package dev.presence.conformance.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The text of a rule as clause coverage reads it: its sentences, the unit in which the kit counts what it checks,
 * and a normal form in which a quoted clause is compared with the rule.
 *
 * <p>Quotes live in Java strings and rules in markdown, so both sides are normalized alike: markdown code spans and
 * emphasis carry no words, and line breaks in SPEC.md carry no meaning.
 */
public final class RuleText {

  private static final Pattern WHITESPACE = Pattern.compile("\\s+");
  private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?][)\"']?)\\s+(?=\\S)");

  private RuleText() {}

  /**
   * Returns text in the form quotes are matched in: backticks and asterisks (code spans, bold and emphasis)
   * removed, runs of whitespace collapsed to one space, no leading or trailing whitespace. Underscores stay: they
   * belong to field names such as {@code max_state_bytes}, never to emphasis in SPEC.md.
   *
   * @param text rule text or a quote
   * @return the normalized text
   */
  public static String normalize(String text) {
    String plain = text.replace("`", "").replace("*", "");
    return WHITESPACE.matcher(plain).replaceAll(" ").strip();
  }

  /**
   * Splits a rule's text into its sentences, each normalized. A sentence ends at a full stop, question mark or
   * exclamation mark, possibly inside a closing parenthesis or quote, followed by white space; a full stop inside a
   * name such as {@code presence.v1} or {@code §7.2} is not followed by white space and ends nothing.
   *
   * @param ruleText a requirement's text
   * @return the sentences in order; empty for blank text
   */
  public static List<String> sentences(String ruleText) {
    String normal = normalize(ruleText);
    List<String> sentences = new ArrayList<>();
    if (normal.isEmpty()) {
      return sentences;
    }
    for (String sentence : SENTENCE_END.split(normal)) {
      sentences.add(sentence);
    }
    return sentences;
  }

  /**
   * Returns whether a quote appears, word for word, in a rule's text once both are normalized.
   *
   * @param ruleText a requirement's text
   * @param quote a clause quoted from it
   * @return true if the quote is non-blank and found
   */
  public static boolean quotes(String ruleText, String quote) {
    String q = normalize(quote);
    return !q.isEmpty() && normalize(ruleText).contains(q);
  }
}
