package org.wsusfix.diagnose.wulog;

/** Client logs written for the tests: the 401 failure in the legacy and Windows 10+ forms. */
final class WuLogFixtures {
  private WuLogFixtures() {}

  /** Legacy TAB-separated log: one attempt with 0x800710DD and HTTP 401, one without 401. */
  static final String LEGACY_401 =
      String.join(
          "\r\n",
          "2008-01-22\t10:06:25:235\t 988\t7c4\tMisc\t===========  Logging initialized (build: 7.6.7600.256, tz: -0500)  ===========",
          "2008-01-22\t10:06:25:500\t 988\t7c4\tAgent\t  * WSUS server: http://wsus01:8530",
          "2008-01-22\t10:10:12:100\t 988\t9a0\tAgent\t*************",
          "2008-01-22\t10:10:12:100\t 988\t9a0\tAgent\t** START **  Agent: Finding updates [CallerId = AutomaticUpdates]",
          "2008-01-22\t10:10:12:100\t 988\t9a0\tAgent\t*********",
          "2008-01-22\t10:10:13:210\t 988\t9a0\tPT\t  + ServiceId = {3DA21691-E39D-4DA6-8A4B-B43877BCB1B7}, Server URL = http://wsus01:8530/ClientWebService/client.asmx",
          "2008-01-22\t10:10:14:300\t 988\t9a0\tMisc\tWARNING: SendRequest failed with hr = 800710dd. Proxy List used: <(null)> Bypass List used : <(null)> Auth Schemes used : <>",
          "2008-01-22\t10:10:14:310\t 988\t9a0\tPT\t  + Last proxy send request failed with hr = 0x800710DD, HTTP status code = 401",
          "2008-01-22\t10:10:14:310\t 988\t9a0\tPT\tWARNING: SyncUpdates failure, error = 0x800710DD, soap client error = 5, soap error code = 0, HTTP status code = 200",
          "2008-01-22\t10:10:14:320\t 988\t9a0\tAgent\t  * WARNING: Failed to synchronize, error = 0x800710DD",
          "2008-01-22\t10:10:14:330\t 988\t9a0\tAgent\t**  END  **  Agent: Finding updates [CallerId = AutomaticUpdates]",
          "2008-01-22\t14:10:12:100\t 988\t9a0\tAgent\t** START **  Agent: Finding updates [CallerId = AutomaticUpdates]",
          "2008-01-22\t14:10:14:300\t 988\t9a0\tMisc\tWARNING: SendRequest failed with hr = 800710dd. Proxy List used: <(null)>",
          "2008-01-22\t14:10:14:310\t 988\t9a0\tPT\tWARNING: PTError: 0x800710dd",
          "2008-01-22\t14:10:14:320\t 988\t9a0\tAgent\t  * WARNING: Failed to synchronize, error = 0x800710DD",
          "2008-01-22\t16:10:12:100\t 988\t9a0\tAgent\t** START **  Agent: Finding updates [CallerId = AutomaticUpdates]",
          "2008-01-22\t16:10:14:310\t 988\t9a0\tPT\t  + Last proxy send request failed with hr = 0x800710DD, HTTP status code = 401",
          "2008-01-22\t16:10:14:320\t 988\t9a0\tAgent\t  * WARNING: Failed to synchronize, error = 0x800710DD",
          "");

  /** Windows 10+ Get-WindowsUpdateLog text: WU_E_PT_HTTP_STATUS_DENIED over https. */
  static String win10(char sep, boolean bom, String eol) {
    String d = "2024" + sep + "04" + sep + "11";
    String text =
        String.join(
            eol,
            d + " 09:12:01.1234567 1234  5678  Agent           WU client version 10.0.19041.3636",
            d
                + " 09:12:01.2000000 1234  5678  Agent           WSUS server: https://wsus01.contoso.com:8531",
            d
                + " 09:15:00.0000000 1234  6000  Agent           * START * Finding updates CallerId = UpdateOrchestrator  Id = 1",
            d
                + " 09:15:02.0000000 1234  6000  ProtocolTalker  ServiceId = {3DA21691-E39D-4DA6-8A4B-B43877BCB1B7}, Server URL = https://wsus01.contoso.com:8531/ClientWebService/client.asmx",
            d
                + " 09:15:03.0000000 1234  6000  WebServices     *FAILED* [80244017] Web service call",
            d
                + " 09:15:03.1000000 1234  6000  ProtocolTalker  *FAILED* [80244017] SyncUpdates_WithRecovery failed",
            d + " 09:15:03.2000000 1234  6000  Agent           *FAILED* [80244017] Synchronize",
            d
                + " 09:15:03.3000000 1234  6000  Agent           * END * Finding updates CallerId = UpdateOrchestrator, Id = 1, Exit code = 0x80244017",
            d
                + " 11:15:00.0000000 1234  6100  Agent           * START * Finding updates CallerId = UpdateOrchestrator  Id = 2",
            d
                + " 11:15:03.0000000 1234  6100  WebServices     *FAILED* [800710DD] Web service call, HTTP status code = 401",
            d + " 11:15:03.1000000 1234  6100  Agent           *FAILED* [800710DD] Synchronize",
            "");
    return (bom ? "\uFEFF" : "") + text;
  }
}
