package org.wsusfix.release;

import com.hierynomus.security.AEADBlockCipher;
import com.hierynomus.security.Cipher;
import com.hierynomus.security.DerivationFunction;
import com.hierynomus.security.Mac;
import com.hierynomus.security.MessageDigest;
import com.hierynomus.security.SecurityProvider;
import com.hierynomus.security.bc.BCSecurityProvider;
import com.hierynomus.security.jce.derivationfunction.CounterDerivationParameters;
import com.hierynomus.smbj.SMBClient;
import com.rapid7.client.dcerpc.dto.SID;
import com.rapid7.client.dcerpc.io.PacketInput;
import com.rapid7.client.dcerpc.io.PacketOutput;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Run against the shaded jar (and the release runtime), not the test class path: the jar leaves out
 * parts of BouncyCastle, guava and JNA, and the runtime has only the modules jdeps found. This
 * touches what the SMB target needs from them without a server: every algorithm smbj asks
 * BouncyCastle for (NTLM, SMB2/3 signing, key derivation, SMB3 encryption), an SMB client with its
 * authenticators, and dcerpc's readers and writers (guava underneath). Prints "ok" or throws.
 */
public final class ShadedJarProbe {
  private ShadedJarProbe() {}

  public static void main(String[] args) throws Exception {
    SecurityProvider bc = new BCSecurityProvider();
    byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
    expect("MD4", digest(bc, "MD4", abc), "a448017aaf21d8525fc10ae87aa6729d");
    expect("MD5", digest(bc, "MD5", abc), "900150983cd24fb0d6963f7d28e17f72");
    expect(
        "SHA256",
        digest(bc, "SHA256", abc),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(
        "SHA-512", digest(bc, "SHA-512", abc).substring(0, 32), "ddaf35a193617abacc417349ae204131");
    // RFC 2202 and RFC 4231 test case 2, RFC 4493 example 2
    byte[] jefe = "Jefe".getBytes(StandardCharsets.US_ASCII);
    byte[] what = "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII);
    expect("HMACMD5", mac(bc, "HMACMD5", jefe, what), "750c783e6ab0b503eaa86e310a5db738");
    expect(
        "HMACSHA256",
        mac(bc, "HMACSHA256", jefe, what),
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    HexFormat hex = HexFormat.of();
    expect(
        "AESCMAC",
        mac(
            bc,
            "AESCMAC",
            hex.parseHex("2b7e151628aed2a6abf7158809cf4f3c"),
            hex.parseHex("6bc1bee22e409f96e93d7e117393172a")),
        "070a16b46b4d4144f79bdd9dd04a287c");

    byte[] key16 = new byte[16];
    for (String name : new String[] {"RC4", "DES/ECB/NoPadding"}) {
      Cipher c = bc.getCipher(name);
      c.init(Cipher.CryptMode.ENCRYPT, name.startsWith("DES") ? new byte[8] : key16);
      byte[] out = new byte[16];
      c.update(new byte[16], 0, 16, out, 0);
      c.doFinal(out, 0);
    }
    for (String name : new String[] {"AES/CCM/NoPadding", "AES/GCM/NoPadding"}) {
      AEADBlockCipher c = bc.getAEADBlockCipher(name);
      c.init(Cipher.CryptMode.ENCRYPT, key16, new GCMParameterSpec(128, new byte[11]));
      c.updateAAD(new byte[32], 0, 32);
      c.doFinal(abc, 0, abc.length);
    }
    DerivationFunction kdf = bc.getDerivationFunction("KDF/Counter/HMACSHA256");
    kdf.init(
        new CounterDerivationParameters(
            key16, "SMB2AESCMAC\0SmbSign\0".getBytes(StandardCharsets.US_ASCII), 32));
    kdf.generateBytes(new byte[16], 0, 16);

    new SMBClient().close();

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    new PacketOutput(bytes).writeInt(0x12345678);
    if (new PacketInput(new ByteArrayInputStream(bytes.toByteArray())).readInt() != 0x12345678) {
      throw new AssertionError("dcerpc read back another number");
    }
    String sid = new SID((byte) 1, new byte[] {0, 0, 0, 0, 0, 5}, new long[] {32, 544}).toString();
    if (!sid.contains("544")) {
      throw new AssertionError("dcerpc SID: " + sid);
    }
    System.out.println("ok");
  }

  private static String digest(SecurityProvider p, String name, byte[] data) throws Exception {
    MessageDigest d = p.getDigest(name);
    d.update(data);
    return HexFormat.of().formatHex(d.digest());
  }

  private static String mac(SecurityProvider p, String name, byte[] key, byte[] data)
      throws Exception {
    Mac m = p.getMac(name);
    m.init(key);
    m.update(data);
    return HexFormat.of().formatHex(m.doFinal());
  }

  private static void expect(String what, String got, String want) {
    if (!got.equals(want)) {
      throw new AssertionError(what + ": " + got + ", expected " + want);
    }
  }
}
