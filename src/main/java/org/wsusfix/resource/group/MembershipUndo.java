package org.wsusfix.resource.group;

import org.wsusfix.resource.UndoPayload;
import org.wsusfix.security.Sid;

/** A journaled membership change: undone by the opposite change. */
public record MembershipUndo(
    boolean added, Sid group, String groupName, Sid member, String memberName)
    implements UndoPayload {}
