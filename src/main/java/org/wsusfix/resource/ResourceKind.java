package org.wsusfix.resource;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.wsusfix.machine.Capability;
import org.wsusfix.machine.Target;
import org.wsusfix.policy.Policy;
import org.wsusfix.security.Sid;

/**
 * One kind of server setting (file and folder DACLs, local group memberships ...): everything the
 * planner, the executor, the undo journal and rollback need to know about it. They are generic over
 * kinds; a new kind is a package implementing this interface plus its line in the registry.
 *
 * @param <C> the planned change of this kind
 * @param <U> what the undo journal records before one change of this kind
 */
public interface ResourceKind<C extends Change, U extends UndoPayload> {
  /** Stable name, stored in journals: {@code dacl}, {@code membership}. */
  String name();

  /** How a plan's summary counts its changes: {@code DACL}, {@code membership}. */
  String noun();

  /**
   * What the subjects of this kind's findings are, for a count of them: {@code path}, {@code user
   * right}.
   */
  default String subjectNoun() {
    return "item";
  }

  Class<C> changeType();

  Class<U> payloadType();

  /**
   * What the target can do with this kind; apply and rollback refuse before any change without
   * write.
   */
  Capability capability(Target target);

  /** Reads the live state this kind's part of the policy names and adds the changes it needs. */
  void plan(Policy policy, PlanContext context);

  /** The values of a plan file's {@code kind} field that this kind's changes use. */
  List<String> changeKinds();

  /** Writes a change's fields (beside {@code kind} and the reasons) into a plan file object. */
  void writeChange(C change, ObjectNode out);

  /** Reads a change back from a plan file object; {@code reasons} are read by the caller. */
  C readChange(String kind, Fields in, List<String> reasons);

  /** The change for people, as the plan text shows it. */
  void render(C change, ChangeText text);

  void writePayload(U payload, ObjectNode out);

  U readPayload(Fields in);

  /**
   * Journal format 1 wrote the payload's fields into the intent record itself, named by {@code
   * kind}.
   */
  U readFormat1(String kind, Fields in);

  /** Problems that would stop these changes on the target (rights, elevation, missing paths). */
  List<String> writeProblems(Target target, List<C> changes);

  /** Problems that would stop restoring these journaled changes. */
  List<String> restoreProblems(Target target, List<U> payloads);

  /** Changes that would newly give broad groups write access; refused unless asked for. */
  default List<String> broadWrites(C change, Sid domain) {
    return List.of();
  }

  /** Makes this kind's changes of one apply run, in plan order; sees all of them first. */
  Applier<C> applier(ApplyContext context, List<C> planned);

  /** Restores this kind's journaled changes of one rollback run, newest first. */
  Restorer<U> restorer(RestoreContext context);

  /** How many items a payload restores, for a progress line (paths for DACLs). */
  default long restoreUnits(U payload) {
    return 0;
  }
}
