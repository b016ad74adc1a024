<#
.SYNOPSIS
Intune Remediations detection script: is this WSUS server compliant with a wsusfix policy?

.DESCRIPTION
Runs "wsusfix check" against this machine (target local) and turns its exit code into the one
Intune acts on:

  wsusfix check   meaning                                  this script
  0               compliant                                exit 0: nothing to do
  1               not compliant                            exit 1: Intune runs the remediation script
  3               nothing checked (no path of the policy   exit 1: reported as an issue; remediation
                  exists here)                             cannot fix it and says so
  2 or other      error (bad policy, wsusfix missing ...)  exit 1: reported as an issue, the error shown

The last line it prints is wsusfix's one-line verdict (or its error), which Intune shows as the
detection output. It changes nothing.

Deploy it in a remediation with "Run this script using the logged-on credentials: No" (it runs as
SYSTEM) and "Run script in 64-bit PowerShell: Yes". Intune passes no parameters: set the defaults
below, the same in the remediation script. Nothing secret is needed: the target is this machine.

.PARAMETER InstallFolder
The bin folder of an unpacked wsusfix release (the one holding wsusfix.cmd).

.PARAMETER Policy
A shipped policy by name (wsus-iis6, wsus-iis7, wsus-2012) or the full path of a policy file.
#>
param(
    [string]$InstallFolder = 'C:\Tools\wsusfix-0.1.0\bin',
    [string]$Policy = 'wsus-2012'
)

# A 32-bit host sees another registry and System32: run this same script in the 64-bit one.
if ([Environment]::Is64BitOperatingSystem -and -not [Environment]::Is64BitProcess) {
    $native = Join-Path $env:windir 'sysnative\WindowsPowerShell\v1.0\powershell.exe'
    & $native -NoProfile -ExecutionPolicy Bypass -File $PSCommandPath -InstallFolder $InstallFolder -Policy $Policy
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
    # Intune keeps the last 2,048 characters of the last line
    if ($last.Length -gt 2000) { return $last.Substring(0, 2000) + '...' }
    return $last
}

$check = Invoke-Wsusfix @('check', '-p', $Policy, '--target', 'local')
Write-Output (Get-LastLine $check.Lines)
if ($check.Code -eq 0) {
    exit 0
}
exit 1
