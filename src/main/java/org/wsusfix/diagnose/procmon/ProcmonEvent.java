package org.wsusfix.diagnose.procmon;

/**
 * One Process Monitor event, as far as diagnosing needs it. CSV and PML readers fill it the same
 * way, so findings do not depend on how the capture was saved.
 *
 * @param index 1-based position of the event in the capture
 * @param user the process's account ({@code NT AUTHORITY\NETWORK SERVICE}); empty when unknown
 * @param impersonating the account the thread impersonated (CreateFile only), or null
 * @param desiredAccess the access that was asked for, as Procmon words it, or null
 * @param directory true when the operation is known to target a directory
 */
public record ProcmonEvent(
    long index,
    String process,
    long pid,
    String operation,
    String path,
    String result,
    String user,
    String impersonating,
    String desiredAccess,
    boolean directory) {}
