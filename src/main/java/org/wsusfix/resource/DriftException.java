package org.wsusfix.resource;

/** The live state is not what the plan was made from: apply stops before changing it. */
public final class DriftException extends RuntimeException {
  public DriftException(String message) {
    super(message);
  }
}
