package org.wsusfix.diagnose.procmon.pml;

import java.util.HashMap;
import java.util.Map;

/**
 * Operation names for a PML event's class and operation number (and file-system sub-operation),
 * spelled as Process Monitor's Operation column shows them.
 */
final class PmlOperations {
  static final int CLASS_PROCESS = 1;
  static final int CLASS_REGISTRY = 2;
  static final int CLASS_FILE_SYSTEM = 3;
  static final int CLASS_PROFILING = 4;
  static final int CLASS_NETWORK = 5;

  static final String[] PROCESS = {
    "Process Defined", "Process Create", "Process Exit", "Thread Create", "Thread Exit",
    "Load Image", "Thread Profile", "Process Start", "Process Statistics", "System Statistics",
  };
  static final String[] REGISTRY = {
    "RegOpenKey",
    "RegCreateKey",
    "RegCloseKey",
    "RegQueryKey",
    "RegSetValue",
    "RegQueryValue",
    "RegEnumValue",
    "RegEnumKey",
    "RegSetInfoKey",
    "RegDeleteKey",
    "RegDeleteValue",
    "RegFlushKey",
    "RegLoadKey",
    "RegUnloadKey",
    "RegRenameKey",
    "RegQueryMultipleValueKey",
    "RegSetKeySecurity",
    "RegQueryKeySecurity",
  };
  static final String[] NETWORK = {
    "Unknown",
    "Other",
    "Send",
    "Receive",
    "Accept",
    "Connect",
    "Disconnect",
    "Reconnect",
    "Retransmit",
    "TCPCopy",
  };
  static final String[] PROFILING = {
    "Thread Profiling", "Process Profiling", "Debug Output Profiling",
  };

  /** Indexed by IRP major function / fast-I/O number as the driver records it. */
  static final String[] FILE_SYSTEM = {
    "VolumeDismount",
    "VolumeMount",
    "FASTIO_MDL_WRITE_COMPLETE",
    "WriteFile2",
    "FASTIO_MDL_READ_COMPLETE",
    "ReadFile2",
    "QueryOpen",
    "FASTIO_CHECK_IF_POSSIBLE",
    "IRP_MJ_12",
    "IRP_MJ_11",
    "IRP_MJ_10",
    "IRP_MJ_9",
    "IRP_MJ_8",
    "FASTIO_NOTIFY_STREAM_FO_CREATION",
    "FASTIO_RELEASE_FOR_CC_FLUSH",
    "FASTIO_ACQUIRE_FOR_CC_FLUSH",
    "FASTIO_RELEASE_FOR_MOD_WRITE",
    "FASTIO_ACQUIRE_FOR_MOD_WRITE",
    "FASTIO_RELEASE_FOR_SECTION_SYNCHRONIZATION",
    "CreateFileMapping",
    "CreateFile",
    "CreatePipe",
    "IRP_MJ_CLOSE",
    "ReadFile",
    "WriteFile",
    "QueryInformationFile",
    "SetInformationFile",
    "QueryEAFile",
    "SetEAFile",
    "FlushBuffersFile",
    "QueryVolumeInformation",
    "SetVolumeInformation",
    "DirectoryControl",
    "FileSystemControl",
    "DeviceIoControl",
    "InternalDeviceIoControl",
    "Shutdown",
    "LockUnlockFile",
    "CloseFile",
    "CreateMailSlot",
    "QuerySecurityFile",
    "SetSecurityFile",
    "Power",
    "SystemControl",
    "DeviceChange",
    "QueryFileQuota",
    "SetFileQuota",
    "PlugAndPlay",
  };

  static final int FS_CREATE_FILE = 20;
  static final int FS_DIRECTORY_CONTROL = 32;

  /** Sub-operation names per file-system operation number. */
  private static final Map<Integer, Map<Integer, String>> SUB = new HashMap<>();

  static {
    sub(
        30,
        new Object[] {
          1, "QueryInformationVolume", 2, "QueryLabelInformationVolume",
          3, "QuerySizeInformationVolume", 4, "QueryDeviceInformationVolume",
          5, "QueryAttributeInformationVolume", 6, "QueryControlInformationVolume",
          7, "QueryFullSizeInformationVolume", 8, "QueryObjectIdInformationVolume",
        });
    sub(
        31,
        new Object[] {
          1,
          "SetControlInformationVolume",
          2,
          "SetLabelInformationVolume",
          8,
          "SetObjectIdInformationVolume",
        });
    sub(
        25,
        new Object[] {
          0x4,
          "QueryBasicInformationFile",
          0x5,
          "QueryStandardInformationFile",
          0x6,
          "QueryFileInternalInformationFile",
          0x7,
          "QueryEaInformationFile",
          0x9,
          "QueryNameInformationFile",
          0xe,
          "QueryPositionInformationFile",
          0x12,
          "QueryAllInformationFile",
          0x14,
          "QueryEndOfFile",
          0x16,
          "QueryStreamInformationFile",
          0x1c,
          "QueryCompressionInformationFile",
          0x1d,
          "QueryId",
          0x1f,
          "QueryMoveClusterInformationFile",
          0x22,
          "QueryNetworkOpenInformationFile",
          0x23,
          "QueryAttributeTagFile",
          0x25,
          "QueryIdBothDirectory",
          0x27,
          "QueryValidDataLength",
          0x28,
          "QueryShortNameInformationFile",
          0x2b,
          "QueryIoPiorityHint",
          0x2e,
          "QueryLinks",
          0x30,
          "QueryNormalizedNameInformationFile",
          0x31,
          "QueryNetworkPhysicalNameInformationFile",
          0x32,
          "QueryIdGlobalTxDirectoryInformation",
          0x33,
          "QueryIsRemoteDeviceInformation",
          0x34,
          "QueryAttributeCacheInformation",
          0x35,
          "QueryNumaNodeInformation",
          0x36,
          "QueryStandardLinkInformation",
          0x37,
          "QueryRemoteProtocolInformation",
          0x38,
          "QueryRenameInformationBypassAccessCheck",
          0x39,
          "QueryLinkInformationBypassAccessCheck",
          0x3a,
          "QueryVolumeNameInformation",
          0x3b,
          "QueryIdInformation",
          0x3c,
          "QueryIdExtdDirectoryInformation",
          0x3e,
          "QueryHardLinkFullIdInformation",
          0x3f,
          "QueryIdExtdBothDirectoryInformation",
          0x43,
          "QueryDesiredStorageClassInformation",
          0x44,
          "QueryStatInformation",
          0x45,
          "QueryMemoryPartitionInformation",
          0x46,
          "QuerySatLxInformation",
          0x47,
          "QueryCaseSensitiveInformation",
          0x48,
          "QueryLinkInformationEx",
          0x49,
          "QueryLinkInfomraitonBypassAccessCheck",
          0x4a,
          "QueryStorageReservedIdInformation",
          0x4b,
          "QueryCaseSensitiveInformationForceAccessCheck",
        });
    sub(
        26,
        new Object[] {
          0x4, "SetBasicInformationFile", 0xa, "SetRenameInformationFile",
          0xb, "SetLinkInformationFile", 0xd, "SetDispositionInformationFile",
          0xe, "SetPositionInformationFile", 0x13, "SetAllocationInformationFile",
          0x14, "SetEndOfFileInformationFile", 0x16, "SetFileStreamInformation",
          0x17, "SetPipeInformation", 0x27, "SetValidDataLengthInformationFile",
          0x28, "SetShortNameInformation", 0x3d, "SetReplaceCompletionInformation",
          0x40, "SetDispositionInformationEx", 0x41, "SetRenameInformationEx",
          0x42, "SetRenameInformationExBypassAccessCheck", 0x4a, "SetStorageReservedIdInformation",
        });
    sub(32, new Object[] {1, "QueryDirectory", 2, "NotifyChangeDirectory"});
    sub(
        47,
        new Object[] {
          0x0,
          "StartDevice",
          0x1,
          "QueryRemoveDevice",
          0x2,
          "RemoveDevice",
          0x3,
          "CancelRemoveDevice",
          0x4,
          "StopDevice",
          0x5,
          "QueryStopDevice",
          0x6,
          "CancelStopDevice",
          0x7,
          "QueryDeviceRelations",
          0x8,
          "QueryInterface",
          0x9,
          "QueryCapabilities",
          0xa,
          "QueryResources",
          0xb,
          "QueryResourceRequirements",
          0xc,
          "QueryDeviceText",
          0xd,
          "FilterResourceRequirements",
          0xf,
          "ReadConfig",
          0x10,
          "WriteConfig",
          0x11,
          "Eject",
          0x12,
          "SetLock",
          0x13,
          "QueryId2",
          0x14,
          "QueryPnpDeviceState",
          0x15,
          "QueryBusInformation",
          0x16,
          "DeviceUsageNotification",
          0x17,
          "SurpriseRemoval",
          0x18,
          "QueryLegacyBusInformation",
        });
    sub(
        37,
        new Object[] {
          1, "LockFile", 2, "UnlockFileSingle", 3, "UnlockFileAll", 4, "UnlockFileByKey",
        });
  }

  private PmlOperations() {}

  private static void sub(int op, Object[] pairs) {
    Map<Integer, String> m = new HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put((Integer) pairs[i], (String) pairs[i + 1]);
    }
    SUB.put(op, m);
  }

  private static String pick(String[] names, int op) {
    return op >= 0 && op < names.length ? names[op] : "<Unknown>";
  }

  /** The Operation column text; network names get their protocol prefix from the caller. */
  static String name(int eventClass, int op, int subOp) {
    switch (eventClass) {
      case CLASS_PROCESS:
        return pick(PROCESS, op);
      case CLASS_REGISTRY:
        return pick(REGISTRY, op);
      case CLASS_NETWORK:
        return pick(NETWORK, op);
      case CLASS_PROFILING:
        return pick(PROFILING, op);
      case CLASS_FILE_SYSTEM:
        Map<Integer, String> subs = SUB.get(op);
        if (subs != null && subOp != 0) {
          return subs.getOrDefault(subOp, "<Unknown>");
        }
        return pick(FILE_SYSTEM, op);
      default:
        return "<Unknown>";
    }
  }
}
