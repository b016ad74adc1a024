@echo off
rem Runs wsusfix.jar (in ..\lib of a release folder, or in ..\target of a built tree) with %JAVA% when
rem set, else the release's own runtime in ..\runtime, else java from PATH.
rem Commands that change ACLs or groups need an elevated prompt; wsusfix.ps1 elevates by itself.
setlocal
set "here=%~dp0"
set "jar="
if exist "%here%..\lib\wsusfix.jar" set "jar=%here%..\lib\wsusfix.jar"
if not defined jar if exist "%here%..\target\wsusfix.jar" set "jar=%here%..\target\wsusfix.jar"
if not defined jar (
  >&2 echo wsusfix: wsusfix.jar is missing in ..\lib and ..\target; build it with: mvn -B -q -DskipTests package
  exit /b 1
)
set "javaexe=java"
if exist "%here%..\runtime\bin\java.exe" set "javaexe=%here%..\runtime\bin\java.exe"
if defined JAVA set "javaexe=%JAVA%"
rem C1 only starts quickest, and the log scans run on every processor, where C2 would compete with them
if not defined WSUSFIX_JAVA_OPTS set "WSUSFIX_JAVA_OPTS=-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
rem The release runtime is Java 25: JNA loads its library, which that Java warns about unless allowed,
rem and the class-data cache made with it when the release was built is used; nothing is recorded here.
rem (The path is quoted inside the option, so a folder with spaces stays one argument.)
set "release="
if not defined JAVA if exist "%here%..\runtime\bin\java.exe" set "release=--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow"
if defined release if exist "%here%..\lib\wsusfix.aot" set "release=%release% -XX:AOTCache="%here%..\lib\wsusfix.aot" -Xlog:aot=off -Xlog:cds=off"
"%javaexe%" %WSUSFIX_JAVA_OPTS% %release% -jar "%jar%" %*
exit /b %ERRORLEVEL%
