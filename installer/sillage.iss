; Inno Setup script for the Windows installer (SPEC §12).
; Build on Windows after PyInstaller:  iscc installer\sillage.iss
[Setup]
AppName=Sillage
AppVersion=0.1.0
AppPublisher=Sillage
DefaultDirName={autopf}\Sillage
DefaultGroupName=Sillage
OutputBaseFilename=sillage-setup
Compression=lzma2
SolidCompression=yes
PrivilegesRequired=lowest
; The data lives in %LOCALAPPDATA%\Sillage (per user), never in the program folder.

[Languages]
Name: "french"; MessagesFile: "compiler:Languages\French.isl"

[Files]
Source: "..\dist\sillage\*"; DestDir: "{app}"; Flags: recursesubdirs ignoreversion

[Icons]
Name: "{group}\Sillage"; Filename: "{app}\sillage.exe"
Name: "{group}\Sillage — démonstration"; Filename: "{app}\sillage.exe"; Parameters: "--workspace ""{localappdata}\Sillage-demo"""
