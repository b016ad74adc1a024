package org.wsusfix.resource;

import java.util.List;

/**
 * One change a plan would make on a target. Plans are data: apply consumes exactly these. Each
 * resource kind has its own record type ({@link ResourceKind#changeType()}).
 */
public interface Change {
  /**
   * The plan file's {@code kind} field: {@code dacl}, {@code add-member}, {@code remove-member} ...
   */
  String kind();

  /** Why the change is needed, one sentence each. */
  List<String> reasons();
}
