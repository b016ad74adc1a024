package org.wsusfix.plan;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.wsusfix.resource.Change;
import org.wsusfix.resource.ChangeText;
import org.wsusfix.resource.Fields;
import org.wsusfix.resource.ResourceKind;
import org.wsusfix.resource.UndoPayload;
import org.wsusfix.resource.folder.FolderDacls;
import org.wsusfix.resource.group.GroupMemberships;
import org.wsusfix.resource.iis.IisAuthentication;
import org.wsusfix.resource.registry.RegistryDacls;
import org.wsusfix.resource.rights.UserRights;
import org.wsusfix.security.Sid;

/**
 * The resource kinds wsusfix plans, applies and rolls back, in planning order: memberships before
 * DACLs and key DACLs, so effective access on folders and keys sees the groups the plan changes;
 * user rights and IIS settings after them.
 */
public final class ResourceKinds {
  /** Every kind wsusfix knows. A new kind is one more entry here. */
  public static final ResourceKinds STANDARD =
      new ResourceKinds(
          List.of(
              new GroupMemberships(),
              new FolderDacls(),
              new RegistryDacls(),
              new UserRights(),
              new IisAuthentication()));

  private final List<ResourceKind<?, ?>> kinds;
  private final Map<String, ResourceKind<?, ?>> byName = new LinkedHashMap<>();
  private final Map<String, ResourceKind<?, ?>> byChangeKind = new LinkedHashMap<>();

  public ResourceKinds(List<ResourceKind<?, ?>> kinds) {
    this.kinds = List.copyOf(kinds);
    for (ResourceKind<?, ?> k : this.kinds) {
      if (byName.put(k.name(), k) != null) {
        throw new IllegalArgumentException("two resource kinds are named " + k.name());
      }
      for (String c : k.changeKinds()) {
        if (byChangeKind.put(c, k) != null) {
          throw new IllegalArgumentException("two resource kinds write changes of kind " + c);
        }
      }
    }
  }

  /** These kinds and one more, planned last (tests add kinds of their own this way). */
  public ResourceKinds with(ResourceKind<?, ?> extra) {
    List<ResourceKind<?, ?>> all = new ArrayList<>(kinds);
    all.add(extra);
    return new ResourceKinds(all);
  }

  public List<ResourceKind<?, ?>> all() {
    return kinds;
  }

  public Optional<ResourceKind<?, ?>> named(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  public Optional<ResourceKind<?, ?>> forChangeKind(String kind) {
    return Optional.ofNullable(byChangeKind.get(kind));
  }

  /** The kind whose change type this is. */
  public ResourceKind<?, ?> of(Change change) {
    for (ResourceKind<?, ?> k : kinds) {
      if (k.changeType().isInstance(change)) {
        return k;
      }
    }
    throw new IllegalArgumentException(
        "no resource kind plans changes of type " + change.getClass().getSimpleName());
  }

  /** The kind whose journal payload type this is. */
  public ResourceKind<?, ?> ofPayload(UndoPayload payload) {
    for (ResourceKind<?, ?> k : kinds) {
      if (k.payloadType().isInstance(payload)) {
        return k;
      }
    }
    throw new IllegalArgumentException(
        "no resource kind journals " + payload.getClass().getSimpleName());
  }

  // The kind's own types are checked by its Class objects: these are the only casts.

  public static <C extends Change> void writeChange(
      ResourceKind<C, ?> kind, Change change, ObjectNode out) {
    kind.writeChange(kind.changeType().cast(change), out);
  }

  public static <C extends Change> void render(
      ResourceKind<C, ?> kind, Change change, ChangeText text) {
    kind.render(kind.changeType().cast(change), text);
  }

  public static <C extends Change> List<String> broadWrites(
      ResourceKind<C, ?> kind, Change change, Sid domain) {
    return kind.broadWrites(kind.changeType().cast(change), domain);
  }

  public static <U extends UndoPayload> void writePayload(
      ResourceKind<?, U> kind, UndoPayload payload, ObjectNode out) {
    kind.writePayload(kind.payloadType().cast(payload), out);
  }

  public static <C extends Change> List<C> changesOf(
      ResourceKind<C, ?> kind, List<? extends Change> changes) {
    return changes.stream()
        .filter(kind.changeType()::isInstance)
        .map(kind.changeType()::cast)
        .toList();
  }

  public static <U extends UndoPayload> List<U> payloadsOf(
      ResourceKind<?, U> kind, List<? extends UndoPayload> all) {
    return all.stream()
        .filter(kind.payloadType()::isInstance)
        .map(kind.payloadType()::cast)
        .toList();
  }

  public static <U extends UndoPayload> long restoreUnits(
      ResourceKind<?, U> kind, UndoPayload payload) {
    return kind.restoreUnits(kind.payloadType().cast(payload));
  }

  /** Reads a change of a plan file; {@code reasons} are read by the caller. */
  public static Change readChange(
      ResourceKind<?, ?> kind, String changeKind, Fields in, List<String> reasons) {
    return kind.readChange(changeKind, in, reasons);
  }
}
