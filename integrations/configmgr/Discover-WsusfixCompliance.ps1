<#
.SYNOPSIS
Configuration Manager discovery script: the value a configuration item compares for wsusfix.

.DESCRIPTION
Runs "wsusfix check" against this machine (target local) and writes one value on stdout for the
compliance rule "Equals Compliant" of a String setting:

  wsusfix check   meaning                                  this script
  0               compliant                                writes: Compliant
  1               not compliant                            writes wsusfix's one-line verdict:
                                                           non-compliant, so remediation runs
  3               nothing checked (no path of the policy   writes that verdict: non-compliant;
                  exists here)                             remediation cannot fix it and says so
  2 or other      error (bad policy, wsusfix missing ...)  the error on stderr, exit 1: the item
                                                           reports an error, not a value

It changes nothing. Configuration Manager runs it as SYSTEM, in 64-bit PowerShell unless the
item says "Run scripts by using the 32-bit scripting host on 64-bit devices" (leave that off).
It passes no parameters: set the defaults below, the same in the remediation script. Nothing
secret is needed: the target is this machine.

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
    return $last
}

$check = Invoke-Wsusfix @('check', '-p', $Policy, '--target', 'local')
switch ($check.Code) {
    0 { Write-Output 'Compliant'; exit 0 }
    { $_ -eq 1 -or $_ -eq 3 } { Write-Output (Get-LastLine $check.Lines); exit 0 }
    default {
        [Console]::Error.WriteLine("wsusfix check failed (exit $($check.Code)): " + (Get-LastLine $check.Lines))
        exit 1
    }
}
