package org.wsusfix.resource;

/**
 * What the undo journal records before one change of a resource kind: the before- and after-state,
 * enough to restore the first and to recognise both. Each kind has its own record type ({@link
 * ResourceKind#payloadType()}).
 */
public interface UndoPayload {}
