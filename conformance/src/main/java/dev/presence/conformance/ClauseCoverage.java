package dev.presence.conformance;

import dev.presence.conformance.check.Checker;
import dev.presence.conformance.check.Checkers;
import dev.presence.conformance.directed.DirectedCase;
import dev.presence.conformance.directed.DirectedCases;
import dev.presence.conformance.client.ClientCase;
import dev.presence.conformance.client.cases.ClientCases;
import dev.presence.conformance.client.scenario.ClientChecker;
import dev.presence.conformance.client.scenario.ClientCheckers;
import dev.presence.conformance.spec.Requirement;
import dev.presence.conformance.spec.RuleText;
import dev.presence.conformance.spec.SpecDocument;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which sentences of each SPEC.md rule the kit checks, from the clauses its checkers and directed cases quote. A
 * sentence is CHECKED when quotes cover every word of it, PARTLY CHECKED when they cover some, and NOT CHECKED when
 * none, so a rule checked in part never reads as checked in full.
 */
public final class ClauseCoverage {

  /** How much of a sentence the kit's quotes cover. */
  public enum Mark {
    /** Quotes cover every word of the sentence. */
    CHECKED,
    /** Quotes cover some words of the sentence but not all. */
    PARTLY_CHECKED,
    /** No quote covers any word of the sentence. */
    NOT_CHECKED;

    /** Returns the form used in listings, for example {@code PARTLY CHECKED}. */
    public String label() {
      return name().replace('_', ' ');
    }
  }

  /**
   * Something that quotes clauses of one rule: a checker or a directed case.
   *
   * @param requirementId the rule quoted
   * @param name how a listing names it
   * @param clauses the quotes, word for word from the rule
   */
  public record Quoter(String requirementId, String name, List<String> clauses) {
    /** Copies the quotes. */
    public Quoter {
      clauses = List.copyOf(clauses);
    }
  }

  /**
   * One sentence of a rule and how much of it is checked.
   *
   * @param sentence the normalized sentence
   * @param mark how much of it the quotes cover
   * @param by the names of the checkers and cases whose quotes cover part of it, sorted
   * @param quoted the covered stretches of the sentence, in order; the whole sentence when CHECKED
   */
  public record Clause(String sentence, Mark mark, Set<String> by, List<String> quoted) {
    /** Copies the collections. */
    public Clause {
      by = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(by));
      quoted = List.copyOf(quoted);
    }
  }

  /**
   * The sentences of one rule.
   *
   * @param requirement the rule
   * @param clauses its sentences in order
   */
  public record RuleClauses(Requirement requirement, List<Clause> clauses) {
    /** Copies the sentences. */
    public RuleClauses {
      clauses = List.copyOf(clauses);
    }
  }

  private final List<RuleClauses> rules;

  private ClauseCoverage(List<RuleClauses> rules) {
    this.rules = List.copyOf(rules);
  }

  /** Returns the coverage of a SPEC.md by this kit's checks of servers and of clients. */
  public static ClauseCoverage kit(SpecDocument spec) {
    List<Quoter> quoters = new ArrayList<>();
    for (Checker c : Checkers.all()) {
      quoters.add(new Quoter(c.requirementId(), c.getClass().getSimpleName(), c.clauses()));
    }
    for (DirectedCase c : DirectedCases.all()) {
      quoters.add(new Quoter(c.requirementId(), "directed case", c.clauses()));
    }
    for (ClientCase c : ClientCases.all()) {
      quoters.add(new Quoter(c.requirementId(), "client case", c.clauses()));
    }
    for (ClientChecker c : ClientCheckers.all()) {
      quoters.add(new Quoter(c.requirementId(), c.getClass().getSimpleName(), c.clauses()));
    }
    quoters.add(new Quoter(ClientConformanceSuite.PRIVACY_RULE, "the adapter's log",
        List.of(ClientConformanceSuite.PRIVACY_CLAUSE)));
    return of(spec, quoters);
  }

  /**
   * Returns the coverage of every rule in force, withdrawn rules left out, by some quoters. A quote not found in its
   * rule covers nothing.
   */
  public static ClauseCoverage of(SpecDocument spec, List<Quoter> quoters) {
    List<RuleClauses> rules = new ArrayList<>();
    for (Requirement r : spec.requirements()) {
      if (r.level() != Requirement.Level.WITHDRAWN) {
        rules.add(new RuleClauses(r, SentenceCover.of(r, quoters.stream()
            .filter(q -> q.requirementId().equals(r.id())).toList())));
      }
    }
    return new ClauseCoverage(rules);
  }

  /** Returns every rule in force, in SPEC.md order, with its sentences. */
  public List<RuleClauses> rules() {
    return rules;
  }

  /** Returns the rule with this identifier, if it is in force. */
  public java.util.Optional<RuleClauses> rule(String id) {
    return rules.stream().filter(r -> r.requirement().id().equals(id)).findFirst();
  }

  /** Returns how many sentences, over every rule, have the mark. */
  public long count(Mark mark) {
    return rules.stream().flatMap(r -> r.clauses().stream()).filter(c -> c.mark() == mark).count();
  }

  /** Returns how many sentences there are over every rule. */
  public long sentences() {
    return rules.stream().mapToLong(r -> r.clauses().size()).sum();
  }

  /** Returns the line that totals the marks. */
  public String summary() {
    return String.format("%d sentences in %d rules: %d CHECKED, %d PARTLY CHECKED, %d NOT CHECKED", sentences(),
        rules.size(), count(Mark.CHECKED), count(Mark.PARTLY_CHECKED), count(Mark.NOT_CHECKED));
  }

  /** Which characters of one rule's normalized text the quotes cover, sentence by sentence. */
  private static final class SentenceCover {

    private final String text;

    private SentenceCover(String text) {
      this.text = text;
    }

    static List<Clause> of(Requirement r, List<Quoter> quoters) {
      SentenceCover cover = new SentenceCover(RuleText.normalize(r.text()));
      List<String> names = new ArrayList<>();
      List<int[]> spans = new ArrayList<>();
      for (Quoter q : quoters) {
        for (String quote : q.clauses()) {
          String normal = RuleText.normalize(quote);
          int at = normal.isEmpty() ? -1 : cover.text.indexOf(normal);
          if (at >= 0) {
            names.add(q.name());
            spans.add(new int[] {at, at + normal.length()});
          }
        }
      }
      List<Clause> clauses = new ArrayList<>();
      int from = 0;
      for (String sentence : RuleText.sentences(r.text())) {
        int start = cover.text.indexOf(sentence, from);
        int end = start + sentence.length();
        from = end;
        clauses.add(cover.clause(start, end, names, spans));
      }
      return clauses;
    }

    /** Punctuation and spaces left outside a quote do not make a sentence partly checked; words do. */
    private Clause clause(int start, int end, List<String> names, List<int[]> spans) {
      Set<String> by = new TreeSet<>();
      boolean[] covered = new boolean[end - start];
      for (int i = 0; i < spans.size(); i++) {
        int s = Math.max(start, spans.get(i)[0]);
        int e = Math.min(end, spans.get(i)[1]);
        if (s < e && text.substring(s, e).codePoints().anyMatch(Character::isLetterOrDigit)) {
          by.add(names.get(i));
          for (int k = s; k < e; k++) {
            covered[k - start] = true;
          }
        }
      }
      boolean anyWordLeft = false;
      for (int k = start; k < end; k++) {
        anyWordLeft |= !covered[k - start] && Character.isLetterOrDigit(text.charAt(k));
      }
      String sentence = text.substring(start, end);
      if (by.isEmpty()) {
        return new Clause(sentence, Mark.NOT_CHECKED, by, List.of());
      }
      if (!anyWordLeft) {
        return new Clause(sentence, Mark.CHECKED, by, List.of(sentence));
      }
      return new Clause(sentence, Mark.PARTLY_CHECKED, by, stretches(sentence, covered));
    }

    private static List<String> stretches(String sentence, boolean[] covered) {
      List<String> stretches = new ArrayList<>();
      int k = 0;
      while (k < covered.length) {
        if (!covered[k]) {
          k++;
          continue;
        }
        int s = k;
        while (k < covered.length && covered[k]) {
          k++;
        }
        stretches.add(sentence.substring(s, k).strip());
      }
      return stretches;
    }
  }
}
