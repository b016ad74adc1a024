package org.wsusfix.policy;

/**
 * One required allow entry: the trustee must have at least {@code rights} on the path with the
 * inheritance flags {@code inheritance} (a combination of OI, CI, NP, IO as ACE flag bits).
 */
public record Grant(Trustee trustee, int rights, int inheritance, SourceLocation at) {}
