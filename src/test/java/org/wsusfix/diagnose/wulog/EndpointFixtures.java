package org.wsusfix.diagnose.wulog;

/**
 * Client logs written for the tests of where a failure went: Windows 10+ agents against WSUS (each
 * HTTP answer the agent maps to a code), Microsoft's services, Delivery Optimization, SLS, the
 * Store, and legacy agents with and without a WSUS server.
 */
final class EndpointFixtures {
  private EndpointFixtures() {}

  private static final String WSUS_ID = "3DA21691-E39D-4DA6-8A4B-B43877BCB1B7";
  private static final String WU_ID = "9482F4B4-E343-43B6-B170-9A65BC822C77";
  private static final String STORE_ID = "855E8A7C-ECB4-4CA3-B045-1DFA50104289";

  /** A Windows 10 agent against WSUS whose web service answers with the given code. */
  static String win10Wsus(String hr, int http) {
    String d = "2024/04/11";
    return String.join(
        "\n",
        d + " 09:12:01.1234567 1234  5678  Agent           WU client version 10.0.19041.3636",
        d
            + " 09:12:01.2000000 1234  5678  Agent           WSUS server: https://wsus01.contoso.com:8531",
        d
            + " 09:12:01.2000100 1234  5678  Agent           WSUS status server: https://wsus01.contoso.com:8531",
        d
            + " 09:15:00.0000000 1234  6000  Agent           * START * Finding updates CallerId = UpdateOrchestrator  Id = 1",
        d
            + " 09:15:01.0000000 1234  6000  Misc            Got WSUS Client/Server URL: https://wsus01.contoso.com:8531/ClientWebService/client.asmx\"\"",
        d
            + " 09:15:02.0000000 1234  6000  ProtocolTalker  ServiceId = {"
            + WSUS_ID
            + "}, Server URL = https://wsus01.contoso.com:8531/ClientWebService/client.asmx",
        d
            + " 09:15:03.0000000 1234  6000  WebServices     WS error: The server returned HTTP status code '"
            + http
            + " (0x"
            + Integer.toHexString(http)
            + ")' with text 'x'",
        d + " 09:15:03.0100000 1234  6000  WebServices     *FAILED* [" + hr + "] Web service call",
        d
            + " 09:15:03.1000000 1234  6000  ProtocolTalker  *FAILED* ["
            + hr
            + "] SyncUpdates_WithRecovery",
        d + " 09:15:03.2000000 1234  6000  Agent           *FAILED* [" + hr + "] ExecuteSearch",
        d
            + " 09:15:03.3000000 1234  6000  Agent           * END * Finding updates CallerId = UpdateOrchestrator, Id = 1, Exit code = 0x"
            + hr,
        "");
  }

  /**
   * A Windows 11 client that WSUS does not manage: it scans Windows Update, and a Delivery
   * Optimization download from Microsoft's content network is refused once.
   */
  static final String WIN11_UNMANAGED =
      String.join(
          "\r\n",
          "\uFEFF2024-04-11 08:00:00.0000000 4412  1200  Agent           WU client version 10.0.22621.3235",
          "2024-04-11 08:00:00.1000000 4412  1200  Agent           WSUS server: (null)",
          "2024-04-11 08:00:00.1000100 4412  1200  Agent           WSUS status server: (null)",
          "2024-04-11 08:00:00.1000200 4412  1200  Agent           Alternate Download Server: (null)",
          "2024-04-11 08:01:00.0000000 4412  1300  ProtocolTalker  ServiceId = {"
              + WU_ID
              + "}, Server URL = https://fe2cr.update.microsoft.com/v6/ClientWebService/client.asmx",
          "2024-04-11 08:02:00.0000000 4412  1400  DownloadManager DO job initialized: JobId = {2C552B4A-A637-451F-8243-9308B611DECE}",
          "2024-04-11 08:02:00.1000000 4412  1400  DownloadManager Downloading from http://tlu.dl.delivery.mp.microsoft.com/filestreamingservice/files/5855b13a?P1=1 to C:\\WINDOWS\\SoftwareDistribution\\Download\\ab\\cd (full file)",
          "2024-04-11 08:02:05.0000000 4412  1500  Agent           WU client calls back to download call {6F3BA7D2-B729-423F-827A-5B6BDBC7643A} with code Call progress and error 0x80244018",
          "2024-04-11 08:02:05.0100000 4412  1600  DownloadManager DO job {2C552B4A-A637-451F-8243-9308B611DECE} 403'd, updateId = FF95561B-934D-4F58-AF55-CABBDFFB1A92.1, hr = 0x80190193, BG_ERROR_CONTEXT = 5",
          "");

  /** A Windows 10 client of WSUS whose SLS look-up and Store scan fail at Microsoft. */
  static final String WIN10_SLS_AND_STORE =
      String.join(
          "\n",
          "2024.04.11 09:12:01.2000000 1234  5678  Agent           WSUS server: https://wsus01.contoso.com:8531",
          "2024.04.11 09:20:00.0000000 1234  7000  SLS             *FAILED* [80244018] GetResponse",
          "2024.04.11 09:20:00.1000000 1234  7000  SLS             Complete the request URL HTTPS://sls.update.microsoft.com/SLS/{"
              + WU_ID
              + "}/x64/10.0.19041/0?CH=602 with [80244018] and http status code[403] and send SLS events.",
          "2024.04.11 09:21:00.0000000 1234  7100  ComApi          * START *   Search ClientId = Update;ScanForUpdates, ServiceId = "
              + STORE_ID
              + ", Flags: 0X9000810",
          "2024.04.11 09:21:01.0000000 1234  7100  ProtocolTalker  ServiceId = {"
              + STORE_ID
              + "}, Server URL = https://fe3.delivery.mp.microsoft.com/ClientWebService/client.asmx",
          "2024.04.11 09:21:02.0000000 1234  7100  WebServices     *FAILED* [80244022] Web service call",
          "");

  /** A legacy agent with no WSUS server: its 0x80244017 is Microsoft Update's. */
  static final String LEGACY_NULL =
      String.join(
          "\r\n",
          "2012-03-01\t10:06:25:235\t 988\t7c4\tMisc\t===========  Logging initialized (build: 7.6.7601.19161, tz: +0100)  ===========",
          "2012-03-01\t10:06:25:500\t 988\t7c4\tAgent\t  * WSUS server: <NULL>",
          "2012-03-01\t10:06:25:510\t 988\t7c4\tAgent\t  * WSUS status server: <NULL>",
          "2012-03-01\t10:10:12:100\t 988\t9a0\tAgent\t** START **  Agent: Finding updates [CallerId = AutomaticUpdates]",
          "2012-03-01\t10:10:14:310\t 988\t9a0\tPT\tWARNING: SyncUpdates failure, error = 0x80244017, soap client error = 5",
          "2012-03-01\t10:10:14:320\t 988\t9a0\tAgent\t  * WARNING: Failed to synchronize, error = 0x80244017",
          "");

  /** A legacy WSUS client whose BITS download of WSUS content is refused. */
  static final String LEGACY_WSUS_CONTENT =
      String.join(
          "\r\n",
          "2012-03-01\t10:06:25:500\t 988\t7c4\tAgent\t  * WSUS server: http://wsus01:8530",
          "2012-03-01\t10:06:25:510\t 988\t7c4\tAgent\t  * WSUS status server: http://wsus01:8530",
          "2012-03-01\t11:00:00:000\t 988\tb10\tDnldMgr\t  * BITS job initialized, JobId = {5A3B4C2D-0000-4000-8000-000000000001}",
          "2012-03-01\t11:00:00:010\t 988\tb10\tDnldMgr\t  * Downloading from http://wsus01:8530/Content/AB/0123456789ABCDEF0123456789ABCDEF012345AB.cab to C:\\Windows\\SoftwareDistribution\\Download\\x",
          "2012-03-01\t11:00:05:000\t 988\tb10\tDnldMgr\tWARNING: BITS job {5A3B4C2D-0000-4000-8000-000000000001} failed, updateId = {A1}.100, hr = 0x80190193, BG_ERROR_CONTEXT = 5",
          "");

  /** A log fragment that names neither a WSUS server nor a service. */
  static final String FRAGMENT =
      String.join(
          "\n",
          "2024/04/11 09:15:03.0100000 1234  6000  WebServices     *FAILED* [80244017] Web service call",
          "2024/04/11 09:15:03.1000000 1234  6000  ProtocolTalker  *FAILED* [80244017] SyncUpdates_WithRecovery",
          "");
}
