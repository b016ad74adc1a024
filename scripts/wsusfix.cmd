@echo off
rem Runs wsusfix.jar (beside this script, or in ..\target of a built tree) with %JAVA% when set,
rem else the runtime bundled in jre\ beside this script, else java from PATH.
rem Commands that change ACLs or groups need an elevated prompt; wsusfix.ps1 elevates by itself.
setlocal
set "here=%~dp0"
set "jar="
if exist "%here%wsusfix.jar" set "jar=%here%wsusfix.jar"
if not defined jar if exist "%here%..\target\wsusfix.jar" set "jar=%here%..\target\wsusfix.jar"
if not defined jar (
  >&2 echo wsusfix: wsusfix.jar is missing beside %~nx0 and in ..\target; build it with: mvn -B -q -DskipTests package
  exit /b 1
)
set "javaexe=java"
if exist "%here%jre\bin\java.exe" set "javaexe=%here%jre\bin\java.exe"
if defined JAVA set "javaexe=%JAVA%"
rem C1 only starts quickest, and the log scans run on every processor, where C2 would compete with them
if not defined WSUSFIX_JAVA_OPTS set "WSUSFIX_JAVA_OPTS=-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto"
"%javaexe%" %WSUSFIX_JAVA_OPTS% -jar "%jar%" %*
exit /b %ERRORLEVEL%
