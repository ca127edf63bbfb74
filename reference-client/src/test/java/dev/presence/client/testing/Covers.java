package dev.presence.client.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names a SPEC.md rule that the annotated test class or method checks for the Java client. Until the conformance
 * kit can check clients, these annotations are the client's rule coverage, enforced by
 * {@code ClientRuleCoverageTest}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Repeatable(Covers.All.class)
public @interface Covers {
  /**
   * The rule's identifier.
   *
   * @return for example {@code PRS-THC-1}
   */
  String value();

  /** The container of repeated {@link Covers}. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target({ElementType.TYPE, ElementType.METHOD})
  @interface All {
    /**
     * The annotations.
     *
     * @return them
     */
    Covers[] value();
  }
}
