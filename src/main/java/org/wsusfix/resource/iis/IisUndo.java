package org.wsusfix.resource.iis;

import org.wsusfix.resource.UndoPayload;

/**
 * A journaled configuration file: the whole file as it was (base64) and the hashes of both states,
 * so rollback writes the before-file back byte for byte and only over the file wsusfix wrote.
 */
public record IisUndo(String file, String beforeBase64, String beforeSha256, String afterSha256)
    implements UndoPayload {}
