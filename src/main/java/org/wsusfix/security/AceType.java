package org.wsusfix.security;

import java.util.Optional;

/** ACE types found in ordinary file and directory-service descriptors (MS-DTYP 2.4.4.1). */
public enum AceType {
  ACCESS_ALLOWED(0x00, "A", false),
  ACCESS_DENIED(0x01, "D", false),
  SYSTEM_AUDIT(0x02, "AU", false),
  SYSTEM_ALARM(0x03, "AL", false),
  ACCESS_ALLOWED_OBJECT(0x05, "OA", true),
  ACCESS_DENIED_OBJECT(0x06, "OD", true),
  SYSTEM_AUDIT_OBJECT(0x07, "OU", true),
  SYSTEM_ALARM_OBJECT(0x08, "OL", true),
  SYSTEM_MANDATORY_LABEL(0x11, "ML", false);

  private final int code;
  private final String sddl;
  private final boolean object;

  AceType(int code, String sddl, boolean object) {
    this.code = code;
    this.sddl = sddl;
    this.object = object;
  }

  public int code() {
    return code;
  }

  public String sddl() {
    return sddl;
  }

  /** Object ACEs carry optional object-type and inherited-object-type GUIDs. */
  public boolean isObject() {
    return object;
  }

  public boolean isAllow() {
    return this == ACCESS_ALLOWED || this == ACCESS_ALLOWED_OBJECT;
  }

  public boolean isDeny() {
    return this == ACCESS_DENIED || this == ACCESS_DENIED_OBJECT;
  }

  /** Audit, alarm and label ACEs live in the SACL. */
  public boolean isSystem() {
    return !isAllow() && !isDeny();
  }

  public static Optional<AceType> fromCode(int code) {
    for (AceType t : values()) {
      if (t.code == code) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  /** Why a type code that exists in Windows is not modelled, or empty for an unknown code. */
  public static Optional<String> unsupportedReason(int code) {
    return switch (code) {
      case 0x04 -> Optional.of("compound ACEs (type 0x04) are not supported");
      case 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F, 0x10 ->
          Optional.of(
              String.format("callback (conditional) ACEs (type 0x%02x) are not supported", code));
      case 0x12 -> Optional.of("resource attribute ACEs (type 0x12) are not supported");
      case 0x13 -> Optional.of("scoped policy ACEs (type 0x13) are not supported");
      case 0x14 -> Optional.of("process trust label ACEs (type 0x14) are not supported");
      case 0x15 -> Optional.of("access filter ACEs (type 0x15) are not supported");
      default -> Optional.empty();
    };
  }
}
