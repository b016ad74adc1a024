package org.wsusfix.machine;

import java.util.List;
import org.wsusfix.security.Sid;

/**
 * The write half of local group memberships, offered by targets that can change them ({@link
 * Target#groupWriter()}).
 */
public interface GroupWriter {
  void addGroupMember(Sid group, Sid member);

  void removeGroupMember(Sid group, Sid member);

  /** Problems that would stop a membership change (elevation), found before the first change. */
  List<String> groupWriteProblems();
}
