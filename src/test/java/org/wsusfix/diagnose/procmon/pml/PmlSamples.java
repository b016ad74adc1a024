package org.wsusfix.diagnose.procmon.pml;

/** Generated PML captures for tests outside this package. */
public final class PmlSamples {
  private PmlSamples() {}

  /** The WSUS failure as a native capture, 32- or 64-bit. */
  public static byte[] wsusCapture(boolean is64) {
    return PmlReaderTest.wsusCapture(is64).build();
  }
}
