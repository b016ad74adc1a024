<#
.SYNOPSIS
Configuration Manager remediation script: applies a wsusfix policy to this WSUS server.

.DESCRIPTION
Runs when the discovery script's value is not "Compliant": "wsusfix apply --yes" against this
machine (target local), with its undo journal in JournalFolder, then "wsusfix check" to confirm.
Configuration Manager then runs the discovery script again.

  wsusfix apply   then check   this script
  0               0            exit 0: remediated
  0               1 or 3       exit 1: applied, but the server is still not compliant (a conflict
                               or an unmet expectation needs an administrator; or nothing checked)
  1 or other      -            exit 1: apply failed; what it had changed was rolled back

apply's whole output goes to a .log file beside the journal; the line printed here names the
journal to undo with "wsusfix rollback JOURNAL --target local", or the error.

Configuration Manager runs it as SYSTEM (apply needs an administrator), in 64-bit PowerShell
unless the item asks for the 32-bit host. It passes no parameters: set the defaults below, the
same as in the discovery script. Nothing secret is needed: the target is this machine.

.PARAMETER InstallFolder
The bin folder of an unpacked wsusfix release (the one holding wsusfix.cmd).

.PARAMETER Policy
A shipped policy by name (wsus-iis6, wsus-iis7, wsus-2012) or the full path of a policy file.

.PARAMETER JournalFolder
Where undo journals and their logs are kept: one new journal per run, never overwritten.
#>
param(
    [string]$InstallFolder = 'C:\Tools\wsusfix-0.1.0\bin',
    [string]$Policy = 'wsus-2012',
    [string]$JournalFolder = (Join-Path $env:ProgramData 'wsusfix\journals')
)

# A 32-bit host sees another registry and System32: run this same script in the 64-bit one.
if ([Environment]::Is64BitOperatingSystem -and -not [Environment]::Is64BitProcess) {
    $native = Join-Path $env:windir 'sysnative\WindowsPowerShell\v1.0\powershell.exe'
    & $native -NoProfile -ExecutionPolicy Bypass -File $PSCommandPath -InstallFolder $InstallFolder `
        -Policy $Policy -JournalFolder $JournalFolder
    exit $LASTEXITCODE
}

function Invoke-Wsusfix([string[]]$Arguments) {
    $launcher = Join-Path $InstallFolder 'wsusfix.cmd'
    if (-not (Test-Path -LiteralPath $launcher -PathType Leaf)) {
        return [pscustomobject]@{ Code = -1; Lines = @("wsusfix not found: $launcher (set InstallFolder)") }
    }
    # wsusfix reports its errors on stderr with its exit code; captured here, they are not script errors
    $previous = $ErrorActionPreference
    $ErrorActionPreference = 'Continue'
    try {
        $lines = @(& $launcher @Arguments 2>&1 | ForEach-Object { "$_" })
        $code = $LASTEXITCODE
    } finally {
        $ErrorActionPreference = $previous
    }
    return [pscustomobject]@{ Code = $code; Lines = $lines }
}

function Get-LastLine([string[]]$Lines) {
    $last = @($Lines | Where-Object { $_.Trim() }) | Select-Object -Last 1
    if (-not $last) { return '(no output)' }
    return $last
}

New-Item -ItemType Directory -Force -Path $JournalFolder | Out-Null
$stamp = Get-Date -Format 'yyyyMMdd-HHmmss-fff'
$journal = Join-Path $JournalFolder "wsusfix-$stamp.jsonl"
$log = Join-Path $JournalFolder "wsusfix-$stamp.log"

$apply = Invoke-Wsusfix @('apply', '-p', $Policy, '--target', 'local', '--yes', '--undo', $journal)
$apply.Lines | Set-Content -LiteralPath $log -Encoding UTF8
if ($apply.Code -ne 0) {
    Write-Output ("apply failed (exit $($apply.Code), log $log): " + (Get-LastLine $apply.Lines))
    exit 1
}

$check = Invoke-Wsusfix @('check', '-p', $Policy, '--target', 'local')
$check.Lines | Add-Content -LiteralPath $log -Encoding UTF8
if ($check.Code -ne 0) {
    Write-Output ("still not compliant after apply (log $log): " + (Get-LastLine $check.Lines))
    exit 1
}
Write-Output ((Get-LastLine $apply.Lines) + ' - now ' + (Get-LastLine $check.Lines))
exit 0
