package dev.presence.bench.suite;

import java.io.PrintStream;
import java.util.List;

/**
 * What the smoke profile proves: every system started, every session opened, and states flowed to the
 * other users of their own room only. It judges function, never speed; timing is not asserted anywhere.
 */
final class SmokeCheck {
  private SmokeCheck() {}

  /** @return 0 when every point worked, 1 otherwise, with the reasons printed */
  static int verdict(List<Point> points, PrintStream out) {
    int problems = 0;
    for (Point p : points) {
      String where = p.system().label() + " " + p.experiment() + " R=" + p.rooms() + " N=" + p.users();
      if (p.failed()) {
        out.println("smoke: " + where + " failed: " + p.failure());
        problems++;
      } else if (!p.experiment().equals("idle") && !(p.median("delivered") > 0)) {
        out.println("smoke: " + where + " delivered no state to another user");
        problems++;
      } else if (p.median("foreign") > 0) {
        out.println("smoke: " + where + " delivered states from another room");
        problems++;
      } else if (!p.faultReasons().isEmpty()) {
        out.println("smoke: " + where + " counted driver faults: " + String.join(", ", p.faultReasons()));
        problems++;
      }
    }
    out.println(problems == 0 ? "smoke: every system works end to end" : "smoke: " + problems + " problem(s)");
    return problems == 0 ? 0 : 1;
  }
}
