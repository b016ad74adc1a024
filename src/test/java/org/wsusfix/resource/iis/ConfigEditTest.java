package org.wsusfix.resource.iis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.wsusfix.machine.TargetException;
import org.wsusfix.resource.FormatException;
import org.wsusfix.resource.iis.AppHostConfig.Setting;

class ConfigEditTest {
  static final String CWS = "WSUS Administration/ClientWebService";

  static AppHostConfig config(String text) {
    return AppHostConfig.parse("applicationHost.config", text.getBytes(StandardCharsets.UTF_8));
  }

  static AppHostConfig edit(AppHostConfig c, String sitePath, Setting s, String value) {
    return ConfigEdit.apply(
        c, List.of(new ConfigEdit.Wanted(sitePath, s, value)), WsusConfigs.SITE);
  }

  @ParameterizedTest(name = "{0} {1} = {2}")
  @CsvSource({
    "ClientWebService, ANONYMOUS_ENABLED, false", // the later location block wins
    "ClientWebService, ANONYMOUS_USER, ''", // from the earlier block for the same path
    "ClientWebService, WINDOWS_ENABLED, false", // server-wide
    "SimpleAuthWebService, ANONYMOUS_ENABLED, true", // site level
    "SimpleAuthWebService, ANONYMOUS_USER, IUSR", // server-wide
    "ApiRemoting30, ANONYMOUS_ENABLED, false",
    "ApiRemoting30, WINDOWS_ENABLED, true"
  })
  void effectiveValuesFollowIis(String app, Setting s, String value) {
    assertEquals(
        value, config(WsusConfigs.BROKEN).effective(WsusConfigs.SITE + "/" + app, s).value());
  }

  @Test
  void anAttributeIsReplacedInTheBlockThatDecidesItAndNothingElseChanges() {
    AppHostConfig c = config(WsusConfigs.BROKEN);
    AppHostConfig after = edit(c, CWS, Setting.ANONYMOUS_ENABLED, "true");
    int at = WsusConfigs.BROKEN.lastIndexOf("enabled=\"false\" />");
    String expected =
        WsusConfigs.BROKEN.substring(0, at)
            + "enabled=\"true\" />"
            + WsusConfigs.BROKEN.substring(at + "enabled=\"false\" />".length());
    assertEquals(expected, after.text);
    assertEquals("true", after.effective(CWS, Setting.ANONYMOUS_ENABLED).value());
  }

  @Test
  void aSettingNoBlockHasGetsOneNewLocationAndTheRestStaysByteForByte() {
    AppHostConfig c = config(WsusConfigs.BROKEN);
    String app = WsusConfigs.SITE + "/SimpleAuthWebService";
    AppHostConfig after = edit(c, app, Setting.WINDOWS_ENABLED, "true");
    String inserted = insertion(WsusConfigs.BROKEN, after.text);
    assertTrue(
        inserted.contains("<location path=\"WSUS Administration/SimpleAuthWebService\">"),
        inserted);
    assertTrue(
        inserted.contains("            <security>\n"), "indented as the file is: " + inserted);
    assertEquals("true", after.effective(app, Setting.WINDOWS_ENABLED).value());
    assertEquals(
        "false",
        after.effective(CWS, Setting.WINDOWS_ENABLED).value(),
        "other applications untouched");
  }

  @Test
  void anElementWithoutTheAttributeGetsItAdded() {
    String text = apiRemoting("<anonymousAuthentication />");
    AppHostConfig after =
        edit(config(text), WsusConfigs.SITE + "/ApiRemoting30", Setting.ANONYMOUS_USER, "WSUSANON");
    assertEquals(
        "<anonymousAuthentication userName=\"WSUSANON\" />", insertionContext(text, after.text));
  }

  @Test
  void crlfFilesGetCrlfLinesAndKeepTheirByteOrderMark() {
    String crlf = WsusConfigs.BROKEN.replace("\n", "\r\n");
    byte[] bom = {(byte) 0xef, (byte) 0xbb, (byte) 0xbf};
    byte[] body = crlf.getBytes(StandardCharsets.UTF_8);
    byte[] file = new byte[bom.length + body.length];
    System.arraycopy(bom, 0, file, 0, 3);
    System.arraycopy(body, 0, file, 3, body.length);
    AppHostConfig c = AppHostConfig.parse("a.config", file);
    assertArrayEquals(file, c.bytes(), "read and written back unchanged");
    AppHostConfig after =
        edit(c, WsusConfigs.SITE + "/SimpleAuthWebService", Setting.WINDOWS_ENABLED, "true");
    byte[] out = after.bytes();
    assertArrayEquals(bom, java.util.Arrays.copyOf(out, 3));
    String text = new String(out, 3, out.length - 3, StandardCharsets.UTF_8);
    assertFalse(text.replace("\r\n", "").contains("\n"), "no bare line feed added");
  }

  @Test
  void utf16FilesRoundTrip() {
    byte[] body = WsusConfigs.BROKEN.replace("UTF-8", "UTF-16").getBytes(StandardCharsets.UTF_16LE);
    byte[] file = new byte[body.length + 2];
    file[0] = (byte) 0xff;
    file[1] = (byte) 0xfe;
    System.arraycopy(body, 0, file, 2, body.length);
    AppHostConfig c = AppHostConfig.parse("a.config", file);
    assertArrayEquals(file, c.bytes());
    assertEquals(
        "true",
        AppHostConfig.parse("a.config", edit(c, CWS, Setting.ANONYMOUS_ENABLED, "true").bytes())
            .effective(CWS, Setting.ANONYMOUS_ENABLED)
            .value());
  }

  @Test
  void anEditThatWouldReachANestedApplicationIsRefused() {
    String text =
        WsusConfigs.BROKEN.replace(
            "<application path=\"/ApiRemoting30\" applicationPool=\"WsusPool\" />",
            "<application path=\"/ApiRemoting30\" applicationPool=\"WsusPool\" />\n"
                + "                <application path=\"/ClientWebService/Nested\" applicationPool=\"WsusPool\" />");
    TargetException e =
        assertThrows(
            TargetException.class,
            () -> edit(config(text), CWS, Setting.ANONYMOUS_ENABLED, "true"));
    assertTrue(e.getMessage().contains("ClientWebService/Nested"), e.getMessage());
  }

  @Test
  void encryptedSettingsAreNotTouched() {
    String text =
        apiRemoting(
            "<anonymousAuthentication enabled=\"false\" password=\"[enc:AesProvider:abc:enc]\" />");
    TargetException e =
        assertThrows(
            TargetException.class,
            () ->
                edit(
                    config(text),
                    WsusConfigs.SITE + "/ApiRemoting30",
                    Setting.ANONYMOUS_ENABLED,
                    "true"));
    assertTrue(e.getMessage().contains("encrypted"), e.getMessage());
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "<configuration><a></b></configuration>|applicationHost.config:1:19: </b> closes <a> (line 1)",
        "<configuration>\\n  <a x=\"1\" x=\"2\"/></configuration>|applicationHost.config:2:12: attribute x appears twice",
        "<configuration>\\n<a b='&nope;'/></configuration>|applicationHost.config:2:7: unknown entity &nope;",
        "<configuration><a>|applicationHost.config:1:19: element <a> is not closed",
        "<settings/>|applicationHost.config:1: not an applicationHost.config (root <settings>, not <configuration>)"
      })
  void brokenXmlIsOneLineWithItsPosition(String text, String message) {
    FormatException e =
        assertThrows(FormatException.class, () -> config(text.replace("\\n", "\n")));
    assertEquals(message, e.getMessage());
  }

  /** The broken configuration with ApiRemoting30's anonymousAuthentication element replaced. */
  static String apiRemoting(String element) {
    String text =
        WsusConfigs.BROKEN.replaceFirst(
            "<anonymousAuthentication enabled=\"false\" />(\\s+<windowsAuthentication enabled=\"true\")",
            java.util.regex.Matcher.quoteReplacement(element) + "$1");
    assertFalse(text.equals(WsusConfigs.BROKEN), "the fixture has the element");
    return text;
  }

  /** What was inserted into {@code before} to make {@code after} (one contiguous insertion). */
  static String insertion(String before, String after) {
    int start = 0;
    while (start < before.length() && before.charAt(start) == after.charAt(start)) {
      start++;
    }
    int tail = before.length() - start;
    assertEquals(
        before.substring(start),
        after.substring(after.length() - tail),
        "everything after is unchanged");
    return after.substring(start, after.length() - tail);
  }

  /** The element around a single insertion, for short assertions. */
  static String insertionContext(String before, String after) {
    insertion(before, after);
    int start = 0;
    while (before.charAt(start) == after.charAt(start)) {
      start++;
    }
    int open = after.lastIndexOf('<', start);
    return after.substring(open, after.indexOf('>', start) + 1);
  }
}
