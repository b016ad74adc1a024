<#
.SYNOPSIS
Runs wsusfix, elevating first when the command would change ACLs or local groups.

.DESCRIPTION
Finds wsusfix.jar in ..\lib (a release folder) or in ..\target (a built source tree) and runs it
with $env:JAVA when set, else the release's own runtime in ..\runtime, else java from PATH, with
the release's class-data cache (..\lib\wsusfix.aot) when it runs the release's runtime.
$env:WSUSFIX_JAVA_OPTS replaces the default JVM options.

"apply" (without --dry-run) and "rollback" (without --dry-run or --export-icacls) change the
machine. From a prompt that is not elevated, the script starts itself again through the UAC
prompt (Start-Process -Verb RunAs) in the same folder with the same arguments, waits, and returns
its exit code; the elevated window stays open until Enter is pressed so its output can be read.

.EXAMPLE
.\wsusfix.ps1 plan -p wsus-2012
.EXAMPLE
.\wsusfix.ps1 apply -p wsus-2012
#>
$ErrorActionPreference = 'Stop'
$argv = [string[]]@($args)

function Test-ChangesMachine([string[]]$argv) {
    if ($argv -ccontains '--help' -or $argv -ccontains '-h' -or $argv -ccontains '--version' -or $argv -ccontains '-V') {
        return $false
    }
    # the command is the first word that is not an option
    $command = $argv | Where-Object { -not $_.StartsWith('-') } | Select-Object -First 1
    $dryRun = @($argv | Where-Object { $_ -ceq '--dry-run' }).Count -gt 0
    switch -CaseSensitive ($command) {
        'apply' { return -not $dryRun }
        'rollback' {
            $export = @($argv | Where-Object { $_ -ceq '--export-icacls' -or $_.StartsWith('--export-icacls=') }).Count -gt 0
            return -not ($dryRun -or $export)
        }
        default { return $false }
    }
}

function Test-Elevated {
    # true only for the full administrator token: under UAC a filtered token is not "in" the role
    $identity = [Security.Principal.WindowsIdentity]::GetCurrent()
    $principal = New-Object Security.Principal.WindowsPrincipal($identity)
    return $principal.IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)
}

function ConvertTo-Literal([string]$text) {
    # a single-quoted PowerShell string: only the quote itself needs doubling
    return "'" + ($text -replace "'", "''") + "'"
}

if ((Test-ChangesMachine $argv) -and -not (Test-Elevated)) {
    # The elevated copy gets one encoded command, so no argument is re-split or re-quoted on the
    # way; it starts in System32, so it is sent back to this folder first.
    $commandText = @(
        '$env:WSUSFIX_ELEVATED = ''1'''
        'Set-Location -LiteralPath ' + (ConvertTo-Literal (Get-Location).ProviderPath)
        '[Environment]::CurrentDirectory = (Get-Location).ProviderPath'
        '& ' + (ConvertTo-Literal $PSCommandPath) + ' ' + (($argv | ForEach-Object { ConvertTo-Literal $_ }) -join ' ')
        'exit $LASTEXITCODE'
    ) -join "`n"
    $encoded = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($commandText))
    $shell = (Get-Process -Id $PID).Path
    Write-Host 'wsusfix: this command changes the machine; asking Windows for an elevated prompt...'
    try {
        $child = Start-Process -FilePath $shell -Verb RunAs -Wait -PassThru `
            -ArgumentList @('-NoProfile', '-ExecutionPolicy', 'Bypass', '-EncodedCommand', $encoded)
    } catch {
        [Console]::Error.WriteLine('wsusfix: not elevated (' + $_.Exception.Message + '); run it from an elevated prompt')
        exit 1
    }
    exit $child.ExitCode
}

$jar = @((Join-Path $PSScriptRoot '..\lib\wsusfix.jar'), (Join-Path $PSScriptRoot '..\target\wsusfix.jar')) |
    Where-Object { Test-Path -LiteralPath $_ -PathType Leaf } | Select-Object -First 1
if (-not $jar) {
    [Console]::Error.WriteLine("wsusfix: wsusfix.jar is missing in ..\lib and ..\target of $PSCommandPath;" +
        ' build it with: mvn -B -q -DskipTests package')
    exit 1
}
$bundled = Join-Path $PSScriptRoot '..\runtime\bin\java.exe'
$java = if ($env:JAVA) { $env:JAVA } elseif (Test-Path -LiteralPath $bundled -PathType Leaf) { $bundled } else { 'java' }
# C1 only starts quickest, and the log scans run on every processor, where C2 would compete with them
$options = @(if ($env:WSUSFIX_JAVA_OPTS) { $env:WSUSFIX_JAVA_OPTS -split '\s+' | Where-Object { $_ } } `
    else { '-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC' })
# The release runtime is Java 25: JNA loads its library, which that Java warns about unless allowed,
# and the class-data cache made with it when the release was built is used; nothing is recorded here.
if ($java -eq $bundled) {
    $options += @('--enable-native-access=ALL-UNNAMED', '--sun-misc-unsafe-memory-access=allow')
    $cache = Join-Path $PSScriptRoot '..\lib\wsusfix.aot'
    if (Test-Path -LiteralPath $cache -PathType Leaf) {
        $options += @("-XX:AOTCache=$cache", '-Xlog:aot=off', '-Xlog:cds=off')
    }
}

# wsusfix reports its own errors on stderr with its exit code; they are not script errors
$ErrorActionPreference = 'Continue'
$PSNativeCommandUseErrorActionPreference = $false
& $java @options -jar $jar @argv
$code = $LASTEXITCODE

if ($env:WSUSFIX_ELEVATED -eq '1') {
    Write-Host ''
    Read-Host "wsusfix finished with exit code $code; press Enter to close this window" | Out-Null
}
exit $code
