package dev.presence.conformance.cli;

import dev.presence.conformance.ClauseCoverage;
import dev.presence.conformance.ClauseCoverage.Clause;
import dev.presence.conformance.ClauseCoverage.Mark;
import dev.presence.conformance.ClauseCoverage.RuleClauses;
import dev.presence.conformance.Coverage;
import java.util.ArrayList;
import java.util.List;
import dev.presence.conformance.spec.Requirement;
import dev.presence.conformance.spec.SpecDocument;
import java.io.PrintStream;
import java.util.function.Predicate;

/**
 * What {@code --list} prints: per rule, how the kit checks it, then each sentence of its text marked CHECKED,
 * PARTLY CHECKED (with the part that is) or NOT CHECKED, and a final count of the marks.
 */
public final class RequirementListing {

  private static final String INDENT = "    ";
  private static final int MARK_WIDTH = 15;

  private RequirementListing() {}

  /**
   * Prints the listing.
   *
   * @param spec the SPEC.md to list
   * @param selected which requirements this run would check; the others are marked with a minus
   * @param out where to print
   */
  public static void print(SpecDocument spec, Predicate<String> selected, PrintStream out) {
    ClauseCoverage coverage = ClauseCoverage.kit(spec);
    for (RuleClauses rule : coverage.rules()) {
      Requirement r = rule.requirement();
      out.printf("%-11s %-7s %s %s%n", r.id(), r.level(), selected.test(r.id()) ? " " : "-", how(r));
      for (Clause c : rule.clauses()) {
        out.printf("%s%-" + MARK_WIDTH + "s %s%n", INDENT, c.mark().label(), c.sentence());
        if (c.mark() == Mark.PARTLY_CHECKED) {
          out.printf("%s%-" + MARK_WIDTH + "s checked: \"%s\" by %s%n", INDENT, "",
              String.join("\" \u2026 \"", c.quoted()), String.join(", ", c.by()));
        } else if (c.mark() == Mark.CHECKED) {
          out.printf("%s%-" + MARK_WIDTH + "s by %s%n", INDENT, "", String.join(", ", c.by()));
        }
      }
    }
    out.println();
    out.println(coverage.summary());
  }

  /** Says how each party the rule binds is checked: servers by --target runs, clients by --client runs. */
  private static String how(Requirement r) {
    List<String> parts = new ArrayList<>();
    if (r.bindsServer()) {
      parts.add("server: " + serverSide(r.id()));
    }
    if (r.bindsClient()) {
      parts.add("client: " + (Coverage.clientChecked().contains(r.id()) ? "client case"
          : "exempt: " + Coverage.clientExemption(r.id()).orElse("")));
    }
    return String.join("; ", parts);
  }

  private static String serverSide(String id) {
    boolean directed = Coverage.directlyChecked().contains(id);
    boolean scenarios = Coverage.scenarioChecked().contains(id);
    if (directed && scenarios) {
      return "directed case and scenarios";
    } else if (directed) {
      return "directed case";
    } else if (scenarios) {
      return "scenarios";
    }
    return "exempt: " + Coverage.exemption(id).orElse("");
  }
}
